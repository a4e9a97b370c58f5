// Karoo host layer: ESP-IDF logging, written to the console (standard output) in ESP-IDF's
// "L (ms) tag: message" form, without colours.
#pragma once

#include <stdint.h>

typedef enum {
  ESP_LOG_NONE,
  ESP_LOG_ERROR,
  ESP_LOG_WARN,
  ESP_LOG_INFO,
  ESP_LOG_DEBUG,
  ESP_LOG_VERBOSE
} esp_log_level_t;

#ifdef __cplusplus
extern "C" {
#endif
void esp_log_write(esp_log_level_t level, const char *tag, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void esp_log_level_set(const char *tag, esp_log_level_t level);
uint32_t esp_log_timestamp(void);
#ifdef __cplusplus
}
#endif

#define KAROO_ESP_LOG(level, letter, tag, format, ...) \
  esp_log_write(level, tag, letter " (%u) %s: " format "\n", (unsigned)esp_log_timestamp(), tag, ##__VA_ARGS__)
#define ESP_LOGE(tag, format, ...) KAROO_ESP_LOG(ESP_LOG_ERROR, "E", tag, format, ##__VA_ARGS__)
#define ESP_LOGW(tag, format, ...) KAROO_ESP_LOG(ESP_LOG_WARN, "W", tag, format, ##__VA_ARGS__)
#define ESP_LOGI(tag, format, ...) KAROO_ESP_LOG(ESP_LOG_INFO, "I", tag, format, ##__VA_ARGS__)
#define ESP_LOGD(tag, format, ...) KAROO_ESP_LOG(ESP_LOG_DEBUG, "D", tag, format, ##__VA_ARGS__)
#define ESP_LOGV(tag, format, ...) KAROO_ESP_LOG(ESP_LOG_VERBOSE, "V", tag, format, ##__VA_ARGS__)
#define log_e(format, ...) ESP_LOGE("ARDUINO", format, ##__VA_ARGS__)
#define log_w(format, ...) ESP_LOGW("ARDUINO", format, ##__VA_ARGS__)
#define log_i(format, ...) ESP_LOGI("ARDUINO", format, ##__VA_ARGS__)
#define log_d(format, ...) ESP_LOGD("ARDUINO", format, ##__VA_ARGS__)
#define log_v(format, ...) ESP_LOGV("ARDUINO", format, ##__VA_ARGS__)
