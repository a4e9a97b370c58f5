// Karoo host layer: WiFiClient over a POSIX socket (see WiFiClient.h).
#include "WiFiClient.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "Arduino.h"
#include "WiFi.h"

namespace {
// arduino-esp32 WiFiClient.cpp: WIFI_CLIENT_DEF_CONN_TIMEOUT_MS.
const int32_t CONNECT_TIMEOUT_MS = 3000;
// How long a write may wait for the socket to take more bytes before the client gives up.
const int WRITE_TIMEOUT_MS = 3000;
// The core's receive buffer (WiFiClientRxBuffer) is one TCP segment; bytes beyond it stay in the
// socket until read.
const size_t RX_BUFFER_SIZE = 1436;
}  // namespace

// One connected socket and its receive buffer; closed when the last client sharing it lets go.
class HostSocket {
 public:
  explicit HostSocket(int fd) : fd_(fd) {}
  ~HostSocket() { ::close(fd_); }
  HostSocket(const HostSocket &) = delete;
  HostSocket &operator=(const HostSocket &) = delete;

  int fd() const { return fd_; }

  // Arduino's connected(): true while the peer has not closed, and after it closed (FIN) for as
  // long as bytes it sent are still unread; false once the socket failed.
  bool open() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failed_ && !peerClosed_) {
      char probe;
      ssize_t n = recv(fd_, &probe, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n > 0) return true;
      if (n == 0) peerClosed_ = true;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) failed_ = true;
    }
    if (failed_) return false;
    return !peerClosed_ || start_ != end_;
  }

  bool failed() const { return failed_; }

  int available() {
    std::lock_guard<std::mutex> lock(mutex_);
    fill();
    return static_cast<int>(end_ - start_);
  }

  int read(uint8_t *out, size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (start_ == end_) fill();
    size_t n = end_ - start_;
    if (n > size) n = size;
    memcpy(out, buffer_ + start_, n);
    start_ += n;
    return static_cast<int>(n);
  }

  int peek() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (start_ == end_) fill();
    return start_ == end_ ? -1 : buffer_[start_];
  }

  // Bytes sent, or -1 when the socket failed.
  long send(const uint8_t *data, size_t size) {
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::send(fd_, data + done, size - done, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        done += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        pollfd p = {fd_, POLLOUT, 0};
        if (poll(&p, 1, WRITE_TIMEOUT_MS) > 0) continue;
      }
      failed_ = true;
      return -1;
    }
    return static_cast<long>(done);
  }

  void waitReadable(unsigned long ms) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (start_ != end_) return;
      if (failed_ || peerClosed_) ms = ms < 1 ? ms : 1;
    }
    pollfd p = {fd_, POLLIN, 0};
    poll(&p, 1, static_cast<int>(ms > 60000 ? 60000 : ms));
  }

 private:
  void fill() {
    if (start_ == end_) start_ = end_ = 0;
    if (end_ == RX_BUFFER_SIZE || failed_ || peerClosed_) return;
    ssize_t n = recv(fd_, buffer_ + end_, RX_BUFFER_SIZE - end_, MSG_DONTWAIT);
    if (n > 0) end_ += static_cast<size_t>(n);
    if (n == 0) peerClosed_ = true;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) failed_ = true;
  }

  const int fd_;
  std::mutex mutex_;
  uint8_t buffer_[RX_BUFFER_SIZE];
  size_t start_ = 0;
  size_t end_ = 0;
  bool failed_ = false;
  bool peerClosed_ = false;
};

WiFiClient::WiFiClient() = default;

WiFiClient::WiFiClient(const WiFiClient &other) : Stream(other) {
  WiFiClient &source = const_cast<WiFiClient &>(other);
  socket_ = source.socket();
}

WiFiClient &WiFiClient::operator=(const WiFiClient &other) {
  if (this == &other) return *this;
  std::shared_ptr<HostSocket> shared = const_cast<WiFiClient &>(other).socket();
  std::lock_guard<std::mutex> lock(mutex_);
  socket_ = shared;
  return *this;
}

WiFiClient::~WiFiClient() = default;

std::shared_ptr<HostSocket> WiFiClient::socket() {
  std::lock_guard<std::mutex> lock(mutex_);
  return socket_;
}

int WiFiClient::connect(IPAddress ip, uint16_t port) { return connect(ip, port, CONNECT_TIMEOUT_MS); }

int WiFiClient::connect(IPAddress ip, uint16_t port, int32_t timeoutMs) {
  stop();
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return 0;
  sockaddr_in address;
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = ip.toUint32();
  int rc = ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address);
  if (rc < 0 && errno == EINPROGRESS) {
    pollfd p = {fd, POLLOUT, 0};
    int error = 0;
    socklen_t length = sizeof error;
    if (poll(&p, 1, timeoutMs) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 &&
        error == 0) {
      rc = 0;
    }
  }
  if (rc != 0) {
    ::close(fd);
    return 0;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  std::lock_guard<std::mutex> lock(mutex_);
  socket_ = std::make_shared<HostSocket>(fd);
  return 1;
}

int WiFiClient::connect(const char *host, uint16_t port) { return connect(host, port, CONNECT_TIMEOUT_MS); }

int WiFiClient::connect(const char *host, uint16_t port, int32_t timeoutMs) {
  IPAddress ip;
  if (!WiFi.hostByName(host, ip)) return 0;
  return connect(ip, port, timeoutMs);
}

uint8_t WiFiClient::connected() {
  std::shared_ptr<HostSocket> s = socket();
  return s && s->open() ? 1 : 0;
}

void WiFiClient::stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  socket_.reset();
}

int WiFiClient::available() {
  std::shared_ptr<HostSocket> s = socket();
  if (!s) return 0;
  int n = s->available();
  if (s->failed()) stop();
  return n;
}

int WiFiClient::read(uint8_t *buffer, size_t size) {
  std::shared_ptr<HostSocket> s = socket();
  if (!s) return -1;
  int n = s->read(buffer, size);
  if (s->failed()) stop();
  return n;
}

int WiFiClient::read() {
  uint8_t c;
  return read(&c, 1) == 1 ? c : -1;
}

int WiFiClient::peek() {
  std::shared_ptr<HostSocket> s = socket();
  return s ? s->peek() : -1;
}

size_t WiFiClient::write(uint8_t c) { return write(&c, 1); }

size_t WiFiClient::write(const uint8_t *buffer, size_t size) {
  std::shared_ptr<HostSocket> s = socket();
  if (!s) return 0;
  long n = s->send(buffer, size);
  if (n < 0) {
    stop();
    return 0;
  }
  return static_cast<size_t>(n);
}

int WiFiClient::setNoDelay(bool noDelay) {
  std::shared_ptr<HostSocket> s = socket();
  int flag = noDelay ? 1 : 0;
  return s ? setsockopt(s->fd(), IPPROTO_TCP, TCP_NODELAY, &flag, sizeof flag) : -1;
}

static IPAddress addressOf(int fd, bool peer, uint16_t *port) {
  sockaddr_in address;
  socklen_t length = sizeof address;
  memset(&address, 0, sizeof address);
  int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length)
                : getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
  if (port != nullptr) *port = rc == 0 ? ntohs(address.sin_port) : 0;
  return rc == 0 ? IPAddress(static_cast<uint32_t>(address.sin_addr.s_addr)) : IPAddress();
}

IPAddress WiFiClient::remoteIP() {
  std::shared_ptr<HostSocket> s = socket();
  return s ? addressOf(s->fd(), true, nullptr) : IPAddress();
}

uint16_t WiFiClient::remotePort() {
  std::shared_ptr<HostSocket> s = socket();
  uint16_t port = 0;
  if (s) addressOf(s->fd(), true, &port);
  return port;
}

IPAddress WiFiClient::localIP() {
  std::shared_ptr<HostSocket> s = socket();
  return s ? addressOf(s->fd(), false, nullptr) : IPAddress();
}

int WiFiClient::fd() {
  std::shared_ptr<HostSocket> s = socket();
  return s ? s->fd() : -1;
}

void WiFiClient::waitForData(unsigned long ms) {
  std::shared_ptr<HostSocket> s = socket();
  if (!s) {
    delay(ms < 1 ? ms : 1);
    return;
  }
  s->waitReadable(ms);
}
