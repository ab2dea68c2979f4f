// ABCD guidelines + kb -> the knowledge document. kb.json names subflows by
// id ("refund_initiate"), guidelines.json by title ("Initiate Refund") under
// a flow title; the two are paired by shared words and by how alike their
// action sequences are, best pairs first.
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <set>

#include "assist/sequence.h"
#include "hitlgate/assist/knowledge.h"

namespace hitlgate::assist {
namespace {

namespace json = boost::json;

struct Guideline {
  std::string flow_id;
  std::string flow_description;
  std::string title;
  const json::object* body = nullptr;
  std::vector<std::string> button_actions;
};

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// "Pull up Account" -> "pull-up-account", as kb.json spells actions.
std::string ActionSlug(std::string_view button) {
  std::string out;
  for (const std::string& w : Words(button)) out += (out.empty() ? "" : "-") + w;
  return out;
}

double WordOverlap(std::string_view a, std::string_view b) {
  std::set<std::string> x, y;
  for (auto& w : Words(a)) if (w != "faq") x.insert(w);
  for (auto& w : Words(b)) if (w != "faq") y.insert(w);
  size_t common = 0;
  for (const auto& w : x) common += y.count(w);
  const size_t all = x.size() + y.size() - common;
  return all == 0 ? 0 : static_cast<double>(common) / all;
}

std::string StringOr(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string ArticleBody(const Guideline& g) {
  std::string body = "# " + g.title + "\n\n" + g.flow_description + "\n\n";
  if (const json::value* steps = g.body->if_contains("actions"); steps != nullptr && steps->is_array()) {
    int n = 0;
    for (const json::value& s : steps->as_array()) {
      if (!s.is_object()) continue;
      body += std::to_string(++n) + ". **" + StringOr(s.as_object(), "button") + "**: " + StringOr(s.as_object(), "text") + "\n";
      if (const json::value* sub = s.as_object().if_contains("subtext"); sub != nullptr && sub->is_array()) {
        for (const json::value& line : sub->as_array()) {
          if (line.is_string()) body += "   - " + std::string(line.as_string()) + "\n";
        }
      }
    }
  }
  if (const json::value* notes = g.body->if_contains("instructions"); notes != nullptr && notes->is_array()) {
    body += "\n";
    for (const json::value& line : notes->as_array()) {
      if (line.is_string()) body += std::string(line.as_string()) + "\n";
    }
  }
  return body;
}

}  // namespace

Result<Knowledge> ImportAbcd(std::string_view guidelines_json, std::string_view kb_json) {
  boost::system::error_code ec;
  json::value guidelines = json::parse(guidelines_json, ec);
  if (ec || !guidelines.is_object()) return InvalidArgument("guidelines: not a JSON object of flows");
  json::value kb = json::parse(kb_json, ec);
  if (ec || !kb.is_object()) return InvalidArgument("kb: not a JSON object of subflow -> actions");

  std::vector<Guideline> found;
  for (const auto& [flow_title, flow] : guidelines.as_object()) {
    const json::value* subflows = flow.is_object() ? flow.as_object().if_contains("subflows") : nullptr;
    if (subflows == nullptr || !subflows->is_object()) {
      return InvalidArgument("guidelines: flow '" + std::string(flow_title) + "' has no subflows object");
    }
    for (const auto& [title, body] : subflows->as_object()) {
      if (!body.is_object()) return InvalidArgument("guidelines: subflow '" + std::string(title) + "' is not an object");
      Guideline g{ActionSlug(flow_title), StringOr(flow.as_object(), "description"), std::string(title), &body.as_object(), {}};
      std::replace(g.flow_id.begin(), g.flow_id.end(), '-', '_');
      if (const json::value* steps = body.as_object().if_contains("actions"); steps != nullptr && steps->is_array()) {
        for (const json::value& s : steps->as_array()) {
          if (s.is_object()) g.button_actions.push_back(ActionSlug(StringOr(s.as_object(), "button")));
        }
      }
      found.push_back(std::move(g));
    }
  }

  Knowledge k;
  for (const auto& [id, actions] : kb.as_object()) {
    if (!actions.is_array() || actions.as_array().empty()) {
      return InvalidArgument("kb: '" + std::string(id) + "' must be a non-empty array of actions");
    }
    Procedure p{std::string(id), "", std::string(id), {}};
    for (const json::value& a : actions.as_array()) {
      if (!a.is_string()) return InvalidArgument("kb: '" + p.id + "' has an action that is not a string");
      p.steps.push_back({std::string(a.as_string()), "", {}, ""});
    }
    k.procedures.push_back(std::move(p));
  }

  struct Pair {
    double score;
    size_t procedure, guideline;
  };
  std::vector<Pair> pairs;
  for (size_t i = 0; i < k.procedures.size(); ++i) {
    const auto actions = StepActions(k.procedures[i]);
    for (size_t j = 0; j < found.size(); ++j) {
      const double alike = static_cast<double>(LongestCommonSubsequence(actions, found[j].button_actions)) /
                           std::max<size_t>({actions.size(), found[j].button_actions.size(), 1});
      pairs.push_back({WordOverlap(k.procedures[i].id, found[j].title) + 0.5 * alike, i, j});
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.score > b.score; });
  constexpr size_t kUnpaired = static_cast<size_t>(-1);
  std::vector<size_t> guideline_of(k.procedures.size(), kUnpaired);
  std::vector<bool> guideline_used(found.size());
  for (const Pair& pair : pairs) {
    if (guideline_of[pair.procedure] != kUnpaired || guideline_used[pair.guideline] || pair.score <= 0) continue;
    guideline_of[pair.procedure] = pair.guideline;
    guideline_used[pair.guideline] = true;
  }
  for (size_t i = 0; i < k.procedures.size(); ++i) {
    if (guideline_of[i] == kUnpaired) return InvalidArgument("guidelines: no subflow matches kb '" + k.procedures[i].id + "'");
    Procedure& p = k.procedures[i];
    const Guideline& g = found[guideline_of[i]];
    p.flow = g.flow_id;
    p.title = g.title;
    const json::value* steps = g.body->if_contains("actions");
    for (ProcedureStep& step : p.steps) {
      for (size_t s = 0; steps != nullptr && steps->is_array() && s < g.button_actions.size(); ++s) {
        if (g.button_actions[s] != step.action || !steps->as_array()[s].is_object()) continue;
        step.label = StringOr(steps->as_array()[s].as_object(), "button");
        step.text = StringOr(steps->as_array()[s].as_object(), "text");
        break;
      }
    }
    k.articles.push_back({"guide-" + p.id, g.title, ArticleBody(g), p.id});
  }
  return k;
}

}  // namespace hitlgate::assist
