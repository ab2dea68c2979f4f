// ParseCaseFile / ParseCaseText: policy test cases (test_cases.h). Each step's
// event becomes JSON text (case defaults merged in, the event's own fields
// winning); running the cases is src/engine's job. Never throws.
#include <fstream>
#include <sstream>

#include "hitlgate/policy/test_cases.h"
#include "policy/compiler/node_reader.h"
#include "policy/parser/json_writer.h"
#include "policy/parser/yaml_tree.h"

namespace hitlgate::policy {
namespace {

using compiler::NodeReader;
using compiler::PosOf;
using parser::Node;

// Event fields that are strings in the event schema: written as JSON strings
// even when YAML would read them as numbers (interaction_id: 1042).
bool IsStringField(std::string_view key) {
  for (std::string_view f : {"interaction_id", "customer_id", "workflow", "channel", "type", "text",
                             "language", "intent", "summary", "event_id", "at"}) {
    if (f == key) return true;
  }
  return false;
}

void AppendField(const parser::MapEntry& e, bool* first, std::string* out) {
  if (!*first) out->push_back(',');
  *first = false;
  parser::AppendJsonString(e.key.scalar, out);
  out->push_back(':');
  if (e.value.is_scalar() && IsStringField(e.key.scalar)) {
    parser::AppendJsonString(e.value.scalar, out);
  } else {
    parser::AppendJson(e.value, out);
  }
}

std::string EventJson(const Node* defaults, const Node& event) {
  std::string out = "{";
  bool first = true;
  if (defaults != nullptr) {
    for (const parser::MapEntry& d : defaults->entries) {
      if (!d.key.is_scalar() || event.Find(d.key.scalar) != nullptr) continue;
      AppendField(d, &first, &out);
    }
  }
  for (const parser::MapEntry& e : event.entries) {
    if (e.key.is_scalar()) AppendField(e, &first, &out);
  }
  out.push_back('}');
  return out;
}

std::optional<Expectation> ReadExpectation(const Node& n, NodeReader* r) {
  if (!r->ExpectMap(n, "expect")) return std::nullopt;
  r->CheckKeys(n,
               {"decision", "oversight", "rules", "not_rules", "queue", "human_request",
                "legal_threat", "frustration", "topics"},
               "expect");
  Expectation x;
  if (const Node* v = n.Find("decision")) {
    if (auto s =
            r->OneOf(*v, "decision", {"allow", "allow_monitored", "hold", "handoff", "block"})) {
      x.decision = engine::ParseOutcome(*s);
    }
  }
  if (const Node* v = n.Find("oversight")) {
    if (auto s = r->OneOf(*v, "oversight", {"hitl", "hotl", "hootl"})) {
      x.oversight = engine::ParseOversight(*s);
    }
  }
  auto names = [&](const char* key, std::vector<std::string>* out) {
    if (const Node* v = n.Find(key)) {
      if (auto list = r->Names(*v, key, true)) {
        for (const compiler::NameRef& ref : *list) out->push_back(ref.text);
      }
    }
  };
  names("rules", &x.rules);
  names("not_rules", &x.not_rules);
  names("topics", &x.topics);
  if (const Node* v = n.Find("queue")) x.queue = r->String(*v, "queue");
  if (const Node* v = n.Find("human_request")) x.human_request = r->Bool(*v, "human_request");
  if (const Node* v = n.Find("legal_threat")) x.legal_threat = r->Bool(*v, "legal_threat");
  if (const Node* v = n.Find("frustration")) x.frustration = r->Bool(*v, "frustration");
  return x;
}

void ReadCase(const Node& n, NodeReader* r, CaseFile* out) {
  if (!r->ExpectMap(n, "case")) return;
  r->CheckKeys(n, {"name", "description", "defaults", "steps"}, "case");
  TestCase tc;
  tc.line = n.line;
  if (const Node* v = r->Require(n, "name", "case")) {
    if (auto s = r->String(*v, "name")) tc.name = *s;
  }
  const Node* defaults = n.Find("defaults");
  if (defaults != nullptr && !r->ExpectMap(*defaults, "defaults")) defaults = nullptr;
  if (defaults != nullptr) r->CheckKeys(*defaults, {}, "defaults");
  const Node* steps = r->Require(n, "steps", "case '" + tc.name + "'");
  if (steps != nullptr && r->ExpectList(*steps, "steps")) {
    for (const Node& s : steps->items) {
      if (!r->ExpectMap(s, "step")) continue;
      r->CheckKeys(s, {"event", "expect"}, "step");
      CaseStep step;
      step.line = s.line;
      const Node* event = r->Require(s, "event", "step");
      if (event == nullptr || !r->ExpectMap(*event, "event")) continue;
      r->CheckKeys(*event, {}, "event");
      step.event_json = EventJson(defaults, *event);
      if (const Node* expect = s.Find("expect")) step.expect = ReadExpectation(*expect, r);
      tc.steps.push_back(std::move(step));
    }
  }
  out->cases.push_back(std::move(tc));
}

}  // namespace

bool CaseFile::ok() const {
  for (const Issue& issue : issues) {
    if (issue.severity == Issue::Severity::kError) return false;
  }
  return true;
}

CaseFile ParseCaseText(std::string_view yaml_text, std::string_view display_name) {
  CaseFile out;
  compiler::IssueList issues{std::string(display_name)};
  try {
    auto root = parser::ParseYaml(yaml_text);
    if (!root) {
      issues.Error(compiler::Pos{root.error().line, root.error().column}, "yaml_syntax",
                   "YAML syntax error: " + root.error().message);
    } else {
      NodeReader r(&issues);
      if (r.ExpectMap(*root, "cases file")) {
        r.CheckKeys(*root, {"cases", "description", "policy"}, "the cases file");
        if (const Node* cases = r.Require(*root, "cases", "the cases file")) {
          if (r.ExpectList(*cases, "cases")) {
            for (const Node& c : cases->items) ReadCase(c, &r, &out);
          }
        }
      }
    }
  } catch (const std::exception& e) {
    issues.Error(compiler::Pos{}, "internal", std::string("cannot read cases: ") + e.what());
  }
  out.issues = issues.Take();
  return out;
}

CaseFile ParseCaseFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    CaseFile out;
    compiler::IssueList issues(path);
    issues.Error(compiler::Pos{}, "not_found", "cannot read cases file");
    out.issues = issues.Take();
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseCaseText(text.str(), path);
}

}  // namespace hitlgate::policy
