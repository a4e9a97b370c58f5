// Karoo host layer: FreeRTOS tasks as POSIX threads (freertos.cpp).
#pragma once

#include "freertos/FreeRTOS.h"

// Starts `code(parameters)` on its own thread. Stack size and priority mean nothing on a host;
// the core is what xPortGetCoreID() reports inside the task.
BaseType_t xTaskCreatePinnedToCore(TaskFunction_t code, const char *name, uint32_t stackDepth,
                                   void *parameters, UBaseType_t priority, TaskHandle_t *created,
                                   BaseType_t coreId);
BaseType_t xTaskCreate(TaskFunction_t code, const char *name, uint32_t stackDepth, void *parameters,
                       UBaseType_t priority, TaskHandle_t *created);
void vTaskDelay(TickType_t ticks);
void vTaskDelete(TaskHandle_t task);
void vTaskPrioritySet(TaskHandle_t task, UBaseType_t priority);
TickType_t xTaskGetTickCount();
UBaseType_t uxTaskGetStackHighWaterMark(TaskHandle_t task);
BaseType_t xPortGetCoreID();
