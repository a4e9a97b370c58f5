// Karoo's test sketch: Stratum V1 over WiFiClient, JSON through ArduinoJson's API, one reused
// document per line as NerdMiner does (see ../README.md for what is checked with it).
#include "stratum.h"

#include <ArduinoJson.h>
#include <stdio.h>

#include "version.h"

namespace {
StaticJsonDocument<4096> doc;
unsigned long nextId = 1;

void send(WiFiClient &client, const char *payload) {
  Serial.print("  Sending  : ");
  Serial.println(payload);
  client.print(payload);
}

// An "error" that is not null: printed, and the line is not a success.
bool reportError() {
  if (!doc.containsKey("error") || doc["error"].size() == 0) return false;
  Serial.printf("ERROR: %d | reason: %s \n", (int)doc["error"][0], (const char *)doc["error"][1]);
  return true;
}
}  // namespace

bool sendSubscribe(WiFiClient &client, Subscription &subscription) {
  char payload[160];
  nextId = 1;
  snprintf(payload, sizeof payload, "{\"id\": %lu, \"method\": \"mining.subscribe\", \"params\": [\"%s\"]}\n",
           nextId, CURRENT_VERSION);
  Serial.println("[WORKER] ==> Mining subscribe");
  send(client, payload);
  vTaskDelay(200 / portTICK_PERIOD_MS);

  // Exactly one line, read with the Stream timeout (a second per character), must answer it.
  String line = client.readStringUntil('\n');
  line.trim();
  if (line.isEmpty()) return false;
  Serial.print("  Receiving: ");
  Serial.println(line);
  if (deserializeJson(doc, line) || reportError() || !doc.containsKey("result")) return false;
  const char *extranonce1 = doc["result"][1];
  subscription.extranonce1 = String(extranonce1);
  subscription.extranonce2Size = doc["result"][2];
  Serial.print("    extranonce1: ");
  Serial.println(subscription.extranonce1);
  Serial.print("    extranonce2_size: ");
  Serial.println(subscription.extranonce2Size);
  if (subscription.extranonce1.isEmpty() || subscription.extranonce2Size < 1 ||
      subscription.extranonce2Size > 8) {
    Serial.println("[WORKER] >>>>>>>>> Work aborted");
    return false;
  }
  // The sketch mines one extranonce2, the value 1 in its size, as NerdMiner does.
  subscription.extranonce2 = String();
  for (int i = 1; i < subscription.extranonce2Size * 2; i++) subscription.extranonce2 += '0';
  subscription.extranonce2 += '1';
  return true;
}

void sendAuthorize(WiFiClient &client, const char *user, const char *password) {
  char payload[256];
  snprintf(payload, sizeof payload, "{\"params\": [\"%s\", \"%s\"], \"id\": %lu, \"method\": \"mining.authorize\"}\n",
           user, password, ++nextId);
  Serial.println("[WORKER] ==> Autorize work");
  send(client, payload);
  vTaskDelay(200 / portTICK_PERIOD_MS);
}

void sendSuggestDifficulty(WiFiClient &client, double difficulty) {
  char payload[128];
  snprintf(payload, sizeof payload, "{\"id\":%lu,\"method\":\"mining.suggest_difficulty\",\"params\":[%.10g]}\n",
           ++nextId, difficulty);
  send(client, payload);
}

unsigned long sendSubmit(WiFiClient &client, const char *user, const Job &job,
                         const Subscription &subscription, uint32_t nonce) {
  char payload[512];
  unsigned long id = ++nextId;
  String hexNonce(static_cast<unsigned long>(nonce), HEX);
  snprintf(payload, sizeof payload,
           "{\"id\":%lu,\"method\":\"mining.submit\",\"params\":[\"%s\",\"%s\",\"%s\",\"%s\",\"%s\"]}\n", id, user,
           job.id.c_str(), subscription.extranonce2.c_str(), job.ntime.c_str(), hexNonce.c_str());
  send(client, payload);
  return id;
}

Message readMessage(const String &text, unsigned long &id) {
  String line = text;
  line.trim();
  id = 0;
  if (line.isEmpty()) return Message::Unreadable;
  Serial.print("  Receiving: ");
  Serial.println(line);
  if (deserializeJson(doc, line)) return Message::Unreadable;
  id = doc["id"];
  if (reportError()) return Message::Refused;
  if (!doc.containsKey("method")) return doc["error"].isNull() ? Message::Answer : Message::Unknown;
  const char *method = doc["method"];
  if (strcmp(method, "mining.notify") == 0) return Message::Notify;
  if (strcmp(method, "mining.set_difficulty") == 0) return Message::SetDifficulty;
  return Message::Unknown;
}

bool parseNotify(const String &line, Job &job) {
  Serial.println("    Parsing Method [MINING NOTIFY]");
  if (deserializeJson(doc, line) || !doc.containsKey("params")) return false;
  JsonArray params = doc["params"];
  JsonArray branches = params[4];
  if (params.size() < 9 || branches.size() > MAX_BRANCHES) return false;
  job.id = String((const char *)params[0]);
  job.prevhash = String((const char *)params[1]);
  job.coinb1 = String((const char *)params[2]);
  job.coinb2 = String((const char *)params[3]);
  job.branchCount = branches.size();
  for (size_t i = 0; i < job.branchCount; i++) job.branches[i] = String((const char *)branches[i]);
  job.version = String((const char *)params[5]);
  job.nbits = String((const char *)params[6]);
  job.ntime = String((const char *)params[7]);
  return job.prevhash.length() == 64 && job.version.length() == 8 && job.nbits.length() == 8 &&
         job.ntime.length() == 8;
}

bool parseSetDifficulty(const String &line, double &difficulty) {
  Serial.println("    Parsing Method [SET DIFFICULTY]");
  if (deserializeJson(doc, line) || !doc.containsKey("params")) return false;
  difficulty = doc["params"][0];
  Serial.print("    difficulty: ");
  Serial.println(difficulty, 12);
  return difficulty > 0;
}
