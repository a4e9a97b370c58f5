// Checks of Karoo's host layer where the firmware's behaviour depends on it, run by
// host-layer.hil.test.ts. Prints "ok <name>" or "FAIL <name>: <what>" per check; exits 1 on a failure.
#include <Arduino.h>
#include <WiFi.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "host-random.h"

// The firmware's monitor counters, which the host layer's display reads (mining.cpp defines them).
volatile uint32_t shares = 0;
uint32_t totalKHashes = 0;
uint32_t elapsedKHs = 0;
void drawCurrentScreen(unsigned long mElapsed);

namespace {
int failures = 0;

void check(const char *name, bool ok, const std::string &what) {
  if (ok) {
    printf("ok %s\n", name);
  } else {
    printf("FAIL %s: %s\n", name, what.c_str());
    failures++;
  }
}

void same(const char *name, const std::string &got, const std::string &want) {
  check(name, got == want, "got \"" + got + "\", want \"" + want + "\"");
}

// A Print that keeps what it is given.
class Capture : public Print {
 public:
  std::string text;
  size_t write(uint8_t c) override {
    text += static_cast<char>(c);
    return 1;
  }
};

// A listening socket on 127.0.0.1 and one accepted connection, to talk to a WiFiClient.
struct Peer {
  int listener = -1;
  uint16_t port = 0;
  int conn = -1;
  Peer() {
    listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener, reinterpret_cast<sockaddr *>(&a), sizeof a);
    listen(listener, 1);
    socklen_t len = sizeof a;
    getsockname(listener, reinterpret_cast<sockaddr *>(&a), &len);
    port = ntohs(a.sin_port);
  }
  void accept() { conn = ::accept(listener, nullptr, nullptr); }
  void send(const char *text) { ::send(conn, text, strlen(text), 0); }
  void close() { ::close(conn); }
  ~Peer() { ::close(listener); }
};

void strings() {
  // NerdMiner's submit nonce: String(nonce, HEX), lowercase and not zero-padded.
  same("hex-lowercase", String(0xDA54E700UL, HEX).c_str(), "da54e700");
  same("hex-unpadded", String(0x0000ABCDUL, HEX).c_str(), "abcd");
  same("hex-zero", String(0UL, HEX).c_str(), "0");
  same("decimal-negative", String(-42).c_str(), "-42");
  same("float-decimals", String(3.14159, 3).c_str(), "3.142");
  same("sum", (String("a") + String(1) + "b" + 'c').c_str(), "a1bc");
  String s("  padded\r\n");
  s.trim();
  same("trim", s.c_str(), "padded");
  same("substring", String("0123456789").substring(2, 5).c_str(), "234");
  // A String straight into printf's %s (mining.cpp prints serverIP.toString() that way) shows its
  // text when short, as on the ESP32, because the characters start the object.
  char buf[64];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
  snprintf(buf, sizeof buf, "got: %s", IPAddress(127, 0, 0, 1).toString());
#pragma GCC diagnostic pop
  same("string-through-varargs", buf, "got: 127.0.0.1");
  // Past its limit a String stops growing and keeps what it had (the ESP32 out of heap).
  String big;
  big.reserve(KAROO_STRING_MAX);
  for (unsigned i = 0; i < KAROO_STRING_MAX; i++) big += 'x';
  bool grew = big.concat("more");
  check("string-limit", !grew && big.length() == KAROO_STRING_MAX, "length " + std::to_string(big.length()));
}

void printing() {
  Capture c;
  c.println(0.00002, 12);
  c.print(5e9, 2);
  c.print(' ');
  c.print(NAN);
  c.print(' ');
  c.print(0xABu, HEX);
  c.print(' ');
  c.printf("%d|%s", 7, "x");
  same("print", c.text, "0.000020000000\r\novf nan AB 7|x");
}

void randomness() {
  // newlib's rand() from seed 1, as a freshly booted ESP32 task draws it.
  karoo_host_seed(1);
  int first = 0;
  std::thread([&] { first = rand(); }).join();
  check("rand-seed-1", first == 1481765933, "first draw " + std::to_string(first));
  // Each task starts from the process seed: NerdMiner's Stratum task gets the same waits.
  karoo_host_seed(115583);
  int waits[4] = {0};
  std::thread([&] {
    for (int &w : waits) w = 1 + rand() % 60;
  }).join();
  check("rand-seeded-waits", waits[0] == 1 && waits[1] == 1 && waits[2] == 1 && waits[3] == 1,
        "waits " + std::to_string(waits[0]) + "," + std::to_string(waits[1]));
}

void client() {
  Peer peer;
  WiFiClient wifi;
  check("connect", wifi.connect(IPAddress(127, 0, 0, 1), peer.port) == 1, "no connection");
  peer.accept();

  // readStringUntil waits up to the Stream timeout (1000 ms) for each character.
  peer.send("{\"id\":1,\"res");
  unsigned long started = millis();
  String partial = wifi.readStringUntil('\n');
  unsigned long waited = millis() - started;
  same("read-until-timeout-text", partial.c_str(), "{\"id\":1,\"res");
  check("read-until-timeout-waits", waited >= 1000, "returned after " + std::to_string(waited) + " ms");

  // After the FIN the client is connected while bytes sent before it are unread, then not.
  peer.send("x\n");
  peer.close();
  for (int i = 0; i < 5000 && wifi.available() < 2; i++) delay(1);
  delay(50);
  check("fin-connected-while-unread", wifi.connected() == 1, "not connected with a line still unread");
  same("fin-data-kept", wifi.readStringUntil('\n').c_str(), "x");
  for (int i = 0; i < 5000 && wifi.connected() != 0; i++) delay(1);
  check("fin-not-connected", wifi.connected() == 0, "still connected 5 s after the FIN, nothing unread");

  // Writing to a peer that went away fails and closes the client, as the ESP32 core does.
  WiFiClient other;
  Peer gone;
  other.connect(IPAddress(127, 0, 0, 1), gone.port);
  gone.accept();
  struct linger reset = {1, 0};
  setsockopt(gone.conn, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  gone.close();
  size_t sent = 1;
  for (int i = 0; i < 100 && sent > 0; i++) {
    sent = other.print("payload");
    delay(1);
  }
  check("write-after-reset", sent == 0 && other.connected() == 0, "writes kept succeeding");
  uint16_t closedPort;
  {
    Peer nobody;
    closedPort = nobody.port;
  }
  WiFiClient refused;
  check("connect-refused", refused.connect(IPAddress(127, 0, 0, 1), closedPort) == 0, "connected to nothing");
}
}  // namespace

// The no-display hash-rate line, four seconds at 150 kH/s: two decimals while the average warms
// up (three samples), then one, as NerdMiner's monitor rounds it. Checked by the test that runs this.
void hashrateLines() {
  shares = 3;
  for (int second = 1; second <= 4; second++) {
    elapsedKHs = 150;
    totalKHashes = 150 * second;
    drawCurrentScreen(1000);
  }
}

int main() {
  hashrateLines();
  strings();
  printing();
  randomness();
  client();
  return failures == 0 ? 0 : 1;
}
