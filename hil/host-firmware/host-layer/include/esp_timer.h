// Karoo host layer: ESP-IDF's microsecond timer since boot (since the process started).
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
int64_t esp_timer_get_time(void);
#ifdef __cplusplus
}
#endif
