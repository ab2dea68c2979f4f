// Conversations for `hitlgate demo`: real customer-service traffic from the
// public data sets in ../shared/data (tau_bench dialogues, tau2_bench tasks
// with their gold actions, ABCD dialogues with agent actions, banking77 and
// bitext_intent messages), or a small built-in script when they are absent.
// Plain functions over files; not thread-safe. Internal to src/cli.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace hitlgate::cli::demo {

struct DemoAction {
  std::string name;               // refund, exchange_item, cancel_order, modify_address, ...
  std::optional<double> amount;   // USD
  std::string order_id;
};

struct DemoTurn {
  bool customer = true;  // false: an AI proposal
  std::string text;
  std::string intent;    // proposals: the AI's intent label
  double confidence = 0.9;
  std::optional<DemoAction> action;
  std::vector<std::pair<std::string, std::string>> collected;  // slots known so far
};

struct DemoConversation {
  std::string source;    // "tau_bench", "tau2_bench", "abcd", "banking77", "bitext", "built-in"
  std::string workflow;  // "retail-bot", "airline-bot", "bank-bot"
  std::string channel;   // "chat" or "voice"
  std::vector<DemoTurn> turns;
};

// Every conversation the data folder yields, shuffled with `rng`; the
// built-in script when none does. `counts` (may be null) gets one line per
// source read.
std::vector<DemoConversation> LoadDemoConversations(const std::string& data_dir, std::mt19937_64& rng,
                                                    std::vector<std::string>* counts);

std::vector<DemoConversation> BuiltInConversations();

}  // namespace hitlgate::cli::demo
