// Karoo host layer: ESP-IDF services with nothing behind them on a host (watchdog, log levels,
// error names) and NVS kept in memory (see nvs.h).
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "Arduino.h"
#include "esp_log.h"
#include "esp_task_wdt.h"
#include "nvs_flash.h"

esp_err_t esp_task_wdt_init(uint32_t, bool) { return ESP_OK; }
esp_err_t esp_task_wdt_add(TaskHandle_t) { return ESP_OK; }
esp_err_t esp_task_wdt_delete(TaskHandle_t) { return ESP_OK; }
esp_err_t esp_task_wdt_reset(void) { return ESP_OK; }
void disableCore0WDT(void) {}
void disableCore1WDT(void) {}

const char *esp_err_to_name(esp_err_t code) {
  switch (code) {
    case ESP_OK:
      return "ESP_OK";
    case ESP_FAIL:
      return "ESP_FAIL";
    case ESP_ERR_NVS_NOT_FOUND:
      return "ESP_ERR_NVS_NOT_FOUND";
    case ESP_ERR_NVS_INVALID_LENGTH:
      return "ESP_ERR_NVS_INVALID_LENGTH";
    default:
      return "UNKNOWN ERROR";
  }
}

namespace {
esp_log_level_t logLevel = ESP_LOG_INFO;
}

extern "C" void esp_log_level_set(const char *, esp_log_level_t level) { logLevel = level; }
extern "C" uint32_t esp_log_timestamp(void) { return static_cast<uint32_t>(millis()); }

extern "C" void esp_log_write(esp_log_level_t level, const char *, const char *format, ...) {
  if (level > logLevel) return;
  char line[512];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (n > 0) Serial.write(line, static_cast<size_t>(n) < sizeof line ? static_cast<size_t>(n) : sizeof line - 1);
}

namespace {
std::mutex nvsMutex;
std::map<std::string, std::vector<uint8_t>> nvsStore;

std::string nvsKey(nvs_handle_t handle, const char *key) { return std::to_string(handle) + "/" + key; }

esp_err_t nvsGet(nvs_handle_t handle, const char *key, void *out, size_t length, size_t *found) {
  std::lock_guard<std::mutex> lock(nvsMutex);
  auto it = nvsStore.find(nvsKey(handle, key));
  if (it == nvsStore.end()) return ESP_ERR_NVS_NOT_FOUND;
  if (found != nullptr) *found = it->second.size();
  if (out == nullptr) return ESP_OK;
  if (it->second.size() > length) return ESP_ERR_NVS_INVALID_LENGTH;
  memcpy(out, it->second.data(), it->second.size());
  return ESP_OK;
}

esp_err_t nvsSet(nvs_handle_t handle, const char *key, const void *value, size_t length) {
  std::lock_guard<std::mutex> lock(nvsMutex);
  const uint8_t *bytes = static_cast<const uint8_t *>(value);
  nvsStore[nvsKey(handle, key)] = std::vector<uint8_t>(bytes, bytes + length);
  return ESP_OK;
}
}  // namespace

esp_err_t nvs_flash_init(void) { return ESP_OK; }
esp_err_t nvs_flash_erase(void) {
  std::lock_guard<std::mutex> lock(nvsMutex);
  nvsStore.clear();
  return ESP_OK;
}

esp_err_t nvs_open(const char *name, nvs_open_mode_t, nvs_handle_t *handle) {
  static std::map<std::string, nvs_handle_t> namespaces;
  std::lock_guard<std::mutex> lock(nvsMutex);
  auto it = namespaces.emplace(name, static_cast<nvs_handle_t>(namespaces.size() + 1)).first;
  *handle = it->second;
  return ESP_OK;
}

void nvs_close(nvs_handle_t) {}
esp_err_t nvs_commit(nvs_handle_t) { return ESP_OK; }

esp_err_t nvs_get_blob(nvs_handle_t handle, const char *key, void *out, size_t *length) {
  return nvsGet(handle, key, out, *length, length);
}
esp_err_t nvs_set_blob(nvs_handle_t handle, const char *key, const void *value, size_t length) {
  return nvsSet(handle, key, value, length);
}
esp_err_t nvs_get_u32(nvs_handle_t handle, const char *key, uint32_t *out) {
  return nvsGet(handle, key, out, sizeof *out, nullptr);
}
esp_err_t nvs_set_u32(nvs_handle_t handle, const char *key, uint32_t value) {
  return nvsSet(handle, key, &value, sizeof value);
}
esp_err_t nvs_get_u64(nvs_handle_t handle, const char *key, uint64_t *out) {
  return nvsGet(handle, key, out, sizeof *out, nullptr);
}
esp_err_t nvs_set_u64(nvs_handle_t handle, const char *key, uint64_t value) {
  return nvsSet(handle, key, &value, sizeof value);
}
