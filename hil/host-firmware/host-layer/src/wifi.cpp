// Karoo host layer: WiFi (see WiFi.h).
#include "WiFi.h"

#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

WiFiClass WiFi;

int WiFiClass::hostByName(const char *host, IPAddress &result) {
  if (host != nullptr && result.fromString(host)) return 1;
  result = IPAddress(0, 0, 0, 0);
  if (host == nullptr) return 0;
  addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo *found = nullptr;
  if (getaddrinfo(host, nullptr, &hints, &found) != 0 || found == nullptr) return 0;
  const sockaddr_in *in = reinterpret_cast<const sockaddr_in *>(found->ai_addr);
  result = IPAddress(static_cast<uint32_t>(in->sin_addr.s_addr));
  freeaddrinfo(found);
  return 1;
}
