// Karoo host layer: the task watchdog. Nothing watches tasks on a host: every call succeeds.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "esp_err.h"
#include "freertos/FreeRTOS.h"

esp_err_t esp_task_wdt_init(uint32_t timeoutSeconds, bool panic);
esp_err_t esp_task_wdt_add(TaskHandle_t task);
esp_err_t esp_task_wdt_delete(TaskHandle_t task);
esp_err_t esp_task_wdt_reset(void);
void disableCore0WDT(void);
void disableCore1WDT(void);
