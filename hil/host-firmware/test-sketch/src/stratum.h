// Karoo's test sketch: Stratum V1 messages, printed on the console in NerdMiner's format so the
// harness's console parser reads this sketch as it reads the firmware.
#pragma once

#include <Arduino.h>
#include <WiFi.h>

const size_t MAX_BRANCHES = 16;

struct Subscription {
  String extranonce1;
  int extranonce2Size = 0;
  String extranonce2;
};

struct Job {
  String id;
  String prevhash;
  String coinb1;
  String coinb2;
  String branches[MAX_BRANCHES];
  size_t branchCount = 0;
  String version;
  String nbits;
  String ntime;
};

enum class Message { Answer, Refused, Notify, SetDifficulty, Unknown, Unreadable };

bool sendSubscribe(WiFiClient &client, Subscription &subscription);
void sendAuthorize(WiFiClient &client, const char *user, const char *password);
void sendSuggestDifficulty(WiFiClient &client, double difficulty);
unsigned long sendSubmit(WiFiClient &client, const char *user, const Job &job,
                         const Subscription &subscription, uint32_t nonce);
// Reads one line from the pool: prints it, and says what it is (answers carry their id).
Message readMessage(const String &line, unsigned long &id);
bool parseNotify(const String &line, Job &job);
bool parseSetDifficulty(const String &line, double &difficulty);
