// Karoo host layer: FreeRTOS tasks as threads. Priorities and stack sizes have no meaning on a
// host; a task's core is remembered so xPortGetCoreID() answers what the firmware pinned it to.
#include <pthread.h>
#include <string.h>

#include <chrono>
#include <thread>

#include "Arduino.h"
#include "freertos/task.h"

namespace {
struct HostTask {
  TaskFunction_t code;
  void *parameters;
  BaseType_t core;
  char name[16];
};

thread_local BaseType_t currentCore = 0;
}  // namespace

BaseType_t xTaskCreatePinnedToCore(TaskFunction_t code, const char *name, uint32_t, void *parameters,
                                   UBaseType_t, TaskHandle_t *created, BaseType_t coreId) {
  // Tasks live as long as the process (the firmware never deletes its own), so is their record.
  HostTask *task = new HostTask{code, parameters, coreId == tskNO_AFFINITY ? 0 : coreId, {0}};
  strncpy(task->name, name == nullptr ? "task" : name, sizeof task->name - 1);
  std::thread thread([task]() {
    pthread_setname_np(pthread_self(), task->name);
    currentCore = task->core;
    task->code(task->parameters);
  });
  thread.detach();
  if (created != nullptr) *created = task;
  return pdPASS;
}

BaseType_t xTaskCreate(TaskFunction_t code, const char *name, uint32_t stackDepth, void *parameters,
                       UBaseType_t priority, TaskHandle_t *created) {
  return xTaskCreatePinnedToCore(code, name, stackDepth, parameters, priority, created, tskNO_AFFINITY);
}

void vTaskDelay(TickType_t ticks) {
  if (ticks == 0) {
    std::this_thread::yield();
    return;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(ticks * portTICK_PERIOD_MS));
}

void vTaskDelete(TaskHandle_t task) {
  if (task == nullptr) pthread_exit(nullptr);
}

void vTaskPrioritySet(TaskHandle_t, UBaseType_t) {}

TickType_t xTaskGetTickCount() { return static_cast<TickType_t>(millis() / portTICK_PERIOD_MS); }

UBaseType_t uxTaskGetStackHighWaterMark(TaskHandle_t) { return 0; }

BaseType_t xPortGetCoreID() { return currentCore; }
