// Karoo host layer: the ESP32 core's WiFiClient over a POSIX TCP socket.
//
// Where NerdMiner's behaviour depends on it (mining.cpp runStratumWorker, checkPoolConnection):
// - connected() turns false on FIN once every byte the peer sent before it has been read (Arduino's
//   documented rule: "a client is considered connected if the connection has been closed but
//   there is still unread data"), and at once when the socket fails. NerdMiner's
//   `while (client.connected() && client.available())` loop so reads a pool's last lines (a
//   client.reconnect before the close), then sees the close and reconnects.
// - read()/available() never block; readStringUntil() waits up to the Stream timeout (1000 ms)
//   per character.
// - A failed write closes the client (the ESP32 core's WiFiClient::write calls stop()).
// - connect() gives up after 3 s, the core's WIFI_CLIENT_DEF_CONN_TIMEOUT_MS.
// Copies share one socket, as the core's copies share their socket handle.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <memory>
#include <mutex>

#include "IPAddress.h"
#include "Stream.h"

class HostSocket;

class WiFiClient : public Stream {
 public:
  WiFiClient();
  WiFiClient(const WiFiClient &other);
  WiFiClient &operator=(const WiFiClient &other);
  ~WiFiClient() override;

  int connect(IPAddress ip, uint16_t port);
  int connect(IPAddress ip, uint16_t port, int32_t timeoutMs);
  int connect(const char *host, uint16_t port);
  int connect(const char *host, uint16_t port, int32_t timeoutMs);
  uint8_t connected();
  void stop();
  operator bool() { return connected() != 0; }

  int available() override;
  int read() override;
  int read(uint8_t *buffer, size_t size);
  int peek() override;
  size_t write(uint8_t c) override;
  size_t write(const uint8_t *buffer, size_t size) override;
  using Print::write;
  void flush() override {}
  int setNoDelay(bool noDelay);

  IPAddress remoteIP();
  uint16_t remotePort();
  IPAddress localIP();
  int fd();

 protected:
  void waitForData(unsigned long ms) override;

 private:
  std::shared_ptr<HostSocket> socket();
  std::mutex mutex_;
  std::shared_ptr<HostSocket> socket_;
};
