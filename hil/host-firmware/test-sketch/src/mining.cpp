// Karoo's test sketch: the Stratum task, the miner tasks and the monitor task, shaped like
// NerdMiner's (a Stratum loop that wakes every 50 ms, reads what the pool sent, hands 4096-nonce
// chunks to the miners and submits what they found; a monitor that reports once a second).
#include "mining.h"

#include <Arduino.h>
#include <WiFi.h>

#include <atomic>
#include <deque>
#include <mutex>

#include "ShaTests/nerdSHA256plus.h"
#include "drivers/storage/storage.h"
#include "stratum.h"
#include "utils.h"

extern TSettings Settings;
void drawCurrentScreen(unsigned long mElapsed);

volatile uint32_t shares = 0;
uint32_t totalKHashes = 0;
uint32_t elapsedKHs = 0;

namespace {
const uint32_t CHUNK_NONCES = 4096;
const size_t CHUNKS_QUEUED = 4;
const size_t RESULTS_KEPT = 16;
const double SUGGESTED_DIFFICULTY = 0.00015;

struct Chunk {
  uint32_t job;
  uint8_t header[80];
  uint32_t firstNonce;
};

struct Result {
  uint32_t job;
  uint32_t hashed;
  bool found;
  uint32_t nonce;
  double difficulty;
  uint8_t hash[32];
};

std::mutex queueMutex;
std::deque<Chunk> chunks;
std::deque<Result> results;
std::atomic<uint32_t> currentJob{0};
std::atomic<uint64_t> hashes{0};

WiFiClient client;
IPAddress poolIp(1, 1, 1, 1);

void stopWork() {
  std::lock_guard<std::mutex> lock(queueMutex);
  chunks.clear();
  results.clear();
  currentJob++;
}

// As NerdMiner's checkPoolConnection: a connection made here is a new session, so the caller's
// subscribed flag drops with it (a FIN read after the loop's check must not leave it set).
bool connectPool(bool &subscribed) {
  if (client.connected()) return true;
  subscribed = false;
  Serial.println("Client not connected, trying to connect...");
  if (poolIp == IPAddress(1, 1, 1, 1)) {
    WiFi.hostByName(Settings.PoolAddress.c_str(), poolIp);
    Serial.printf("Resolved DNS and save ip (first time) got: %s\n", poolIp.toString().c_str());
  }
  if (!client.connect(poolIp, Settings.PoolPort)) {
    Serial.println("Imposible to connect to : " + Settings.PoolAddress);
    WiFi.hostByName(Settings.PoolAddress.c_str(), poolIp);
    return false;
  }
  return true;
}

void printHash(const uint8_t hash[32]) {
  Serial.print("   - TX SHARE: ");
  for (int i = 0; i < 32; i++) Serial.printf("%02x", hash[i]);
  Serial.println("");
}
}  // namespace

void runStratumWorker(void *name) {
  Serial.printf("\n[WORKER] Started. Running %s on core %d\n", static_cast<const char *>(name),
                static_cast<int>(xPortGetCoreID()));
  Subscription subscription;
  Job job;
  bool subscribed = false;
  bool haveJob = false;
  double poolDifficulty = SUGGESTED_DIFFICULTY;
  uint8_t header[80];
  uint32_t nextNonce = 0;

  for (;;) {
    if (!connectPool(subscribed)) {
      haveJob = false;
      stopWork();
      // NerdMiner's back-off after a failed connect: 1 to 60 seconds, from rand().
      vTaskDelay(((1 + rand() % 60) * 1000) / portTICK_PERIOD_MS);
      continue;
    }
    if (!subscribed) {
      haveJob = false;
      stopWork();
      subscription = Subscription();
      if (!sendSubscribe(client, subscription)) {
        client.stop();
        continue;
      }
      sendAuthorize(client, Settings.BtcWallet, Settings.PoolPassword);
      sendSuggestDifficulty(client, SUGGESTED_DIFFICULTY);
      subscribed = true;
    }

    while (client.connected() && client.available()) {
      String line = client.readStringUntil('\n');
      unsigned long id = 0;
      switch (readMessage(line, id)) {
        case Message::Notify:
          if (parseNotify(line, job) && buildHeader(job, subscription, header)) {
            stopWork();
            haveJob = true;
            nextNonce = 0;
          } else {
            Serial.println("Parsing error, need restart");
            client.stop();
            subscribed = false;
          }
          break;
        case Message::SetDifficulty:
          parseSetDifficulty(line, poolDifficulty);
          break;
        case Message::Answer:
          break;
        case Message::Refused:
          Serial.printf("Refuse submition %lu\n", id);
          break;
        case Message::Unknown:
          Serial.println("  Parsed JSON: unknown");
          break;
        case Message::Unreadable:
          break;
      }
    }
    if (!client.connected()) subscribed = false;

    vTaskDelay(50 / portTICK_PERIOD_MS);
    if (!haveJob) continue;

    std::deque<Result> found;
    {
      std::lock_guard<std::mutex> lock(queueMutex);
      found.swap(results);
      while (chunks.size() < CHUNKS_QUEUED) {
        Chunk chunk;
        chunk.job = currentJob;
        memcpy(chunk.header, header, sizeof header);
        chunk.firstNonce = nextNonce;
        nextNonce += CHUNK_NONCES;
        chunks.push_back(chunk);
      }
    }
    for (const Result &result : found) {
      hashes += result.hashed;
      if (!result.found || result.job != currentJob || result.difficulty <= poolDifficulty) continue;
      if (!client.connected()) break;
      sendSubmit(client, Settings.BtcWallet, job, subscription, result.nonce);
      Serial.print("   - Current diff share: ");
      Serial.println(result.difficulty, 12);
      Serial.print("   - Current pool diff : ");
      Serial.println(poolDifficulty, 12);
      printHash(result.hash);
      shares++;
    }
  }
}

void minerWorkerSw(void *task_id) {
  Serial.printf("[MINER] %d Started minerWorkerSw Task!\n", static_cast<int>(reinterpret_cast<intptr_t>(task_id)));
  for (;;) {
    Chunk chunk;
    bool taken = false;
    {
      std::lock_guard<std::mutex> lock(queueMutex);
      if (!chunks.empty()) {
        chunk = chunks.front();
        chunks.pop_front();
        taken = true;
      }
    }
    if (!taken) {
      vTaskDelay(2 / portTICK_PERIOD_MS);
      continue;
    }
    Result result = {chunk.job, 0, false, 0, 0, {0}};
    for (uint32_t n = 0; n < CHUNK_NONCES; n++) {
      uint32_t nonce = chunk.firstNonce + n;
      memcpy(chunk.header + 76, &nonce, 4);
      uint8_t hash[32];
      sketch_sha256d(chunk.header, sizeof chunk.header, hash);
      result.hashed++;
      // Only hashes with 16 zero bits are looked at, as on the firmware.
      if (hash[31] == 0 && hash[30] == 0) {
        double difficulty = hashDifficulty(hash);
        if (difficulty > result.difficulty) {
          result.found = true;
          result.nonce = nonce;
          result.difficulty = difficulty;
          memcpy(result.hash, hash, sizeof hash);
        }
      }
      if ((n & 0xff) == 0 && currentJob != chunk.job) break;
    }
    std::lock_guard<std::mutex> lock(queueMutex);
    if (results.size() < RESULTS_KEPT) results.push_back(result);
  }
}

void runMonitor(void *) {
  Serial.println("[MONITOR] started");
  unsigned long last = millis();
  for (;;) {
    vTaskDelay(100 / portTICK_PERIOD_MS);
    unsigned long now = millis();
    if (now - last < 1000) continue;
    uint32_t done = static_cast<uint32_t>(hashes / 1000);
    elapsedKHs = done - totalKHashes;
    totalKHashes = done;
    drawCurrentScreen(now - last);
    last = now;
  }
}
