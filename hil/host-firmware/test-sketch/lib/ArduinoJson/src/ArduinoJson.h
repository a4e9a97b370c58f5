// Karoo's test sketch: a tiny JSON reader with the part of ArduinoJson 6's API the sketch uses
// (StaticJsonDocument, deserializeJson, DeserializationError, JsonVariant, JsonArray). Karoo's own
// code, written so the CI test of the host build needs no third-party library; the real firmware
// builds against the ArduinoJson its platformio.ini pins (6.21.x).
//
// As in ArduinoJson, a document has a fixed capacity (the template argument, in bytes): nodes and
// copied strings share it, and a line that does not fit fails with NoMemory.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <type_traits>

#include <Arduino.h>

class DeserializationError {
 public:
  enum Code { Ok, EmptyInput, IncompleteInput, InvalidInput, NoMemory, TooDeep };
  DeserializationError(Code code = Ok) : code_(code) {}
  explicit operator bool() const { return code_ != Ok; }
  Code code() const { return code_; }
  const char *c_str() const {
    static const char *const names[] = {"Ok", "EmptyInput", "IncompleteInput", "InvalidInput", "NoMemory", "TooDeep"};
    return names[code_];
  }

 private:
  Code code_;
};

namespace mini_json {
enum Type : uint8_t { Null, Bool, Number, Text, Array, Object };

struct Node {
  Type type;
  bool truth;
  double number;
  const char *text;
  const char *key;
  int first;
  int next;
};
}  // namespace mini_json

class JsonDocument;

class JsonVariant {
 public:
  JsonVariant(const JsonDocument *doc = nullptr, int node = -1) : doc_(doc), node_(node) {}

  bool isNull() const;
  size_t size() const;
  bool containsKey(const char *key) const { return !(*this)[key].isNull(); }
  JsonVariant operator[](const char *key) const;
  template <typename T, typename = typename std::enable_if<std::is_integral<T>::value>::type>
  JsonVariant operator[](T index) const {
    return at(static_cast<size_t>(index));
  }

  operator const char *() const;
  operator double() const { return number(); }
  operator float() const { return static_cast<float>(number()); }
  operator int() const { return static_cast<int>(number()); }
  operator long() const { return static_cast<long>(number()); }
  operator unsigned int() const { return static_cast<unsigned int>(number()); }
  operator unsigned long() const { return static_cast<unsigned long>(number()); }
  operator bool() const;

 private:
  const mini_json::Node *node() const;
  double number() const;
  JsonVariant at(size_t index) const;

  const JsonDocument *doc_;
  int node_;
};

typedef JsonVariant JsonArray;
typedef JsonVariant JsonObject;

class JsonDocument {
 public:
  JsonDocument(char *pool, size_t capacity) : pool_(pool), capacity_(capacity) {}
  JsonDocument(const JsonDocument &) = delete;
  JsonDocument &operator=(const JsonDocument &) = delete;

  void clear() { nodes_ = 0, strings_ = 0, root_ = -1; }
  void garbageCollect() {}
  size_t capacity() const { return capacity_; }
  JsonVariant as() const { return JsonVariant(this, root_); }
  bool containsKey(const char *key) const { return as().containsKey(key); }
  JsonVariant operator[](const char *key) const { return as()[key]; }
  template <typename T, typename = typename std::enable_if<std::is_integral<T>::value>::type>
  JsonVariant operator[](T index) const {
    return as()[index];
  }

  const mini_json::Node *node(int index) const {
    return index < 0 ? nullptr : reinterpret_cast<const mini_json::Node *>(pool_) + index;
  }

  DeserializationError parse(const char *text, size_t length);

 private:
  struct Cursor {
    const char *p;
    const char *end;
  };
  int newNode(mini_json::Type type);
  const char *store(const char *text, size_t length);
  DeserializationError value(Cursor &c, int &out, int depth);
  DeserializationError string(Cursor &c, const char *&out);
  static void skipSpace(Cursor &c) {
    while (c.p < c.end && (*c.p == ' ' || *c.p == '\t' || *c.p == '\r' || *c.p == '\n')) c.p++;
  }
  mini_json::Node *mutableNode(int index) { return reinterpret_cast<mini_json::Node *>(pool_) + index; }

  char *pool_;
  size_t capacity_;
  size_t nodes_ = 0;
  size_t strings_ = 0;
  int root_ = -1;
};

template <size_t N>
class StaticJsonDocument : public JsonDocument {
 public:
  StaticJsonDocument() : JsonDocument(pool_, N) {}

 private:
  alignas(double) char pool_[N];
};

inline DeserializationError deserializeJson(JsonDocument &doc, const String &input) {
  return doc.parse(input.c_str(), input.length());
}
inline DeserializationError deserializeJson(JsonDocument &doc, const char *input) {
  return doc.parse(input, input == nullptr ? 0 : strlen(input));
}

// ---- implementation ----

inline const mini_json::Node *JsonVariant::node() const { return doc_ == nullptr ? nullptr : doc_->node(node_); }

inline bool JsonVariant::isNull() const {
  const mini_json::Node *n = node();
  return n == nullptr || n->type == mini_json::Null;
}

inline size_t JsonVariant::size() const {
  const mini_json::Node *n = node();
  if (n == nullptr || (n->type != mini_json::Array && n->type != mini_json::Object)) return 0;
  size_t count = 0;
  for (int child = n->first; child >= 0; child = doc_->node(child)->next) count++;
  return count;
}

inline JsonVariant JsonVariant::operator[](const char *key) const {
  const mini_json::Node *n = node();
  if (n == nullptr || n->type != mini_json::Object || key == nullptr) return JsonVariant();
  for (int child = n->first; child >= 0; child = doc_->node(child)->next) {
    if (strcmp(doc_->node(child)->key, key) == 0) return JsonVariant(doc_, child);
  }
  return JsonVariant();
}

inline JsonVariant JsonVariant::at(size_t index) const {
  const mini_json::Node *n = node();
  if (n == nullptr || n->type != mini_json::Array) return JsonVariant();
  int child = n->first;
  while (child >= 0 && index-- > 0) child = doc_->node(child)->next;
  return JsonVariant(doc_, child);
}

inline JsonVariant::operator const char *() const {
  const mini_json::Node *n = node();
  return n != nullptr && n->type == mini_json::Text ? n->text : nullptr;
}

inline double JsonVariant::number() const {
  const mini_json::Node *n = node();
  if (n == nullptr) return 0;
  if (n->type == mini_json::Number) return n->number;
  if (n->type == mini_json::Bool) return n->truth ? 1 : 0;
  return 0;
}

inline JsonVariant::operator bool() const {
  const mini_json::Node *n = node();
  if (n == nullptr) return false;
  if (n->type == mini_json::Bool) return n->truth;
  if (n->type == mini_json::Number) return n->number != 0;
  return false;
}

inline int JsonDocument::newNode(mini_json::Type type) {
  size_t used = (nodes_ + 1) * sizeof(mini_json::Node);
  if (used + strings_ > capacity_) return -1;
  mini_json::Node *n = mutableNode(static_cast<int>(nodes_));
  n->type = type;
  n->truth = false;
  n->number = 0;
  n->text = nullptr;
  n->key = "";
  n->first = -1;
  n->next = -1;
  return static_cast<int>(nodes_++);
}

inline const char *JsonDocument::store(const char *text, size_t length) {
  if (nodes_ * sizeof(mini_json::Node) + strings_ + length + 1 > capacity_) return nullptr;
  strings_ += length + 1;
  char *out = pool_ + capacity_ - strings_;
  memcpy(out, text, length);
  out[length] = '\0';
  return out;
}

inline DeserializationError JsonDocument::parse(const char *text, size_t length) {
  clear();
  if (text == nullptr || length == 0) return DeserializationError::EmptyInput;
  Cursor c{text, text + length};
  skipSpace(c);
  if (c.p == c.end) return DeserializationError::EmptyInput;
  DeserializationError error = value(c, root_, 0);
  if (error) clear();
  return error;
}

inline DeserializationError JsonDocument::string(Cursor &c, const char *&out) {
  c.p++;  // the opening quote
  char scratch[1024];
  size_t n = 0;
  while (c.p < c.end && *c.p != '"') {
    char ch = *c.p++;
    if (ch == '\\') {
      if (c.p == c.end) return DeserializationError::IncompleteInput;
      char esc = *c.p++;
      ch = esc == 'n' ? '\n' : esc == 't' ? '\t' : esc == 'r' ? '\r' : esc == 'b' ? '\b' : esc == 'f' ? '\f' : esc;
      if (esc == 'u') return DeserializationError::InvalidInput;  // not needed by the sketch
    }
    if (n == sizeof scratch) return DeserializationError::NoMemory;
    scratch[n++] = ch;
  }
  if (c.p == c.end) return DeserializationError::IncompleteInput;
  c.p++;  // the closing quote
  out = store(scratch, n);
  return out == nullptr ? DeserializationError::NoMemory : DeserializationError::Ok;
}

inline DeserializationError JsonDocument::value(Cursor &c, int &out, int depth) {
  if (depth > 10) return DeserializationError::TooDeep;
  skipSpace(c);
  if (c.p == c.end) return DeserializationError::IncompleteInput;
  char ch = *c.p;
  if (ch == '{' || ch == '[') {
    bool object = ch == '{';
    out = newNode(object ? mini_json::Object : mini_json::Array);
    if (out < 0) return DeserializationError::NoMemory;
    c.p++;
    int last = -1;
    for (;;) {
      skipSpace(c);
      if (c.p == c.end) return DeserializationError::IncompleteInput;
      if (*c.p == (object ? '}' : ']')) {
        c.p++;
        return DeserializationError::Ok;
      }
      if (last >= 0) {
        if (*c.p != ',') return DeserializationError::InvalidInput;
        c.p++;
        skipSpace(c);
      }
      const char *key = "";
      if (object) {
        if (c.p == c.end || *c.p != '"') return DeserializationError::InvalidInput;
        DeserializationError e = string(c, key);
        if (e) return e;
        skipSpace(c);
        if (c.p == c.end || *c.p != ':') return DeserializationError::InvalidInput;
        c.p++;
      }
      int child = -1;
      DeserializationError e = value(c, child, depth + 1);
      if (e) return e;
      mutableNode(child)->key = key;
      if (last < 0) {
        mutableNode(out)->first = child;
      } else {
        mutableNode(last)->next = child;
      }
      last = child;
    }
  }
  if (ch == '"') {
    const char *text = nullptr;
    DeserializationError e = string(c, text);
    if (e) return e;
    out = newNode(mini_json::Text);
    if (out < 0) return DeserializationError::NoMemory;
    mutableNode(out)->text = text;
    return DeserializationError::Ok;
  }
  const char *words[] = {"null", "true", "false"};
  for (int w = 0; w < 3; w++) {
    size_t len = strlen(words[w]);
    if (static_cast<size_t>(c.end - c.p) >= len && strncmp(c.p, words[w], len) == 0) {
      c.p += len;
      out = newNode(w == 0 ? mini_json::Null : mini_json::Bool);
      if (out < 0) return DeserializationError::NoMemory;
      mutableNode(out)->truth = w == 1;
      return DeserializationError::Ok;
    }
  }
  char number[64];
  size_t n = 0;
  while (c.p < c.end && n < sizeof number - 1 && strchr("+-.0123456789eE", *c.p) != nullptr) number[n++] = *c.p++;
  if (n == 0) return DeserializationError::InvalidInput;
  number[n] = '\0';
  char *stop = nullptr;
  double parsed = strtod(number, &stop);
  if (stop != number + n) return DeserializationError::InvalidInput;
  out = newNode(mini_json::Number);
  if (out < 0) return DeserializationError::NoMemory;
  mutableNode(out)->number = parsed;
  return DeserializationError::Ok;
}
