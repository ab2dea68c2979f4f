// Name matching without regex or per-event allocation. Every exact name a
// policy mentions (workflows, intents, actions) gets a small integer id at
// compile time (SymbolTable); an event's names are looked up once per
// evaluation. NameTable<T> then resolves a name to a value: exact entries by
// id (binary search), then globs in order of specificity.
// Precedence: exact name > @group member > glob (most literal characters first).
// Immutable after Finish(): thread-safe for reads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "policy/eval/glob.h"

namespace hitlgate::policy::eval {

class SymbolTable {
 public:
  int Intern(std::string_view name) {
    auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    const int id = static_cast<int>(ids_.size());
    ids_.emplace(std::string(name), id);
    return id;
  }
  // -1 when the policy never names it. No allocation (heterogeneous lookup).
  int Find(std::string_view name) const {
    auto it = ids_.find(name);
    return it == ids_.end() ? -1 : it->second;
  }
  int size() const { return static_cast<int>(ids_.size()); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, int, Hash, std::equal_to<>> ids_;
};

template <typename T>
class NameTable {
 public:
  // Compile time. Earlier entries win: add exact names, then group members,
  // then globs; Finish() orders the globs.
  void AddExact(int id, T value) {
    for (const auto& e : exact_) {
      if (e.first == id) return;
    }
    exact_.emplace_back(id, std::move(value));
  }
  void AddGlob(std::string pattern, T value) {
    globs_.emplace_back(std::move(pattern), std::move(value));
  }
  void Finish() {
    std::sort(exact_.begin(), exact_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    auto literal_chars = [](const std::string& p) {
      return static_cast<int>(p.size() - std::count(p.begin(), p.end(), '*'));
    };
    std::stable_sort(globs_.begin(), globs_.end(), [&](const auto& a, const auto& b) {
      return literal_chars(a.first) > literal_chars(b.first);
    });
  }
  bool empty() const { return exact_.empty() && globs_.empty(); }

  // `id` is the name's symbol id (-1 when unknown to the policy).
  const T* Lookup(int id, std::string_view name) const {
    if (id >= 0) {
      auto it = std::lower_bound(exact_.begin(), exact_.end(), id,
                                 [](const auto& e, int key) { return e.first < key; });
      if (it != exact_.end() && it->first == id) return &it->second;
    }
    for (const auto& [pattern, value] : globs_) {
      if (GlobMatch(pattern, name)) return &value;
    }
    return nullptr;
  }

 private:
  std::vector<std::pair<int, T>> exact_;
  std::vector<std::pair<std::string, T>> globs_;
};

// A set of names: NameTable without values.
class NameSet {
 public:
  void AddExact(int id) { table_.AddExact(id, 1); }
  void AddGlob(std::string pattern) {
    if (pattern == "*") any_ = true;
    table_.AddGlob(std::move(pattern), 1);
  }
  void Finish() { table_.Finish(); }
  bool Matches(int id, std::string_view name) const {
    return any_ || table_.Lookup(id, name) != nullptr;
  }

 private:
  bool any_ = false;
  NameTable<std::uint8_t> table_;
};

}  // namespace hitlgate::policy::eval
