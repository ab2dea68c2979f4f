// The knowledge document: parsing with the field path in every error, and
// writing it back in the same shape.
#include <boost/json.hpp>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

#include "hitlgate/assist/knowledge.h"

namespace hitlgate::assist {
namespace {

namespace json = boost::json;

Result<std::string> RequiredString(const json::object& o, std::string_view key, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return InvalidArgument(where + ": " + std::string(key) + " is missing");
  if (!v->is_string()) return InvalidArgument(where + ": " + std::string(key) + " must be a string");
  if (v->as_string().empty()) return InvalidArgument(where + ": " + std::string(key) + " is empty");
  return std::string(v->as_string());
}

Result<std::string> OptionalString(const json::object& o, std::string_view key, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) return InvalidArgument(where + ": " + std::string(key) + " must be a string");
  return std::string(v->as_string());
}

// The string fields of one object: a required one must be a non-empty
// string, an optional one a string or absent.
struct StringField {
  std::string_view key;
  std::string* into;
  bool required;
};

Result<void> ReadStrings(const json::object& o, const std::string& where, std::initializer_list<StringField> fields) {
  for (const StringField& f : fields) {
    auto value = f.required ? RequiredString(o, f.key, where) : OptionalString(o, f.key, where);
    HITLGATE_RETURN_IF_ERROR(value);
    *f.into = std::move(*value);
  }
  return {};
}

Result<ProcedureStep> ParseStep(const json::value& v, const std::string& where) {
  if (!v.is_object()) return InvalidArgument(where + ": a step must be an object");
  const json::object& o = v.as_object();
  ProcedureStep step;
  HITLGATE_RETURN_IF_ERROR(
      ReadStrings(o, where, {{"action", &step.action, true}, {"label", &step.label, false}, {"text", &step.text, false}}));
  if (const json::value* slots = o.if_contains("slots")) {
    if (!slots->is_array()) return InvalidArgument(where + ": slots must be an array of strings");
    for (const json::value& s : slots->as_array()) {
      if (!s.is_string()) return InvalidArgument(where + ": slots must be an array of strings");
      step.slots.emplace_back(s.as_string());
    }
  }
  return step;
}

Result<Procedure> ParseProcedure(const json::value& v, const std::string& where) {
  if (!v.is_object()) return InvalidArgument(where + ": a procedure must be an object");
  const json::object& o = v.as_object();
  Procedure p;
  HITLGATE_RETURN_IF_ERROR(
      ReadStrings(o, where, {{"id", &p.id, true}, {"flow", &p.flow, false}, {"title", &p.title, false}}));
  if (p.title.empty()) p.title = p.id;
  const json::value* steps = o.if_contains("steps");
  if (steps == nullptr || !steps->is_array() || steps->as_array().empty()) {
    return InvalidArgument(where + ": steps must be a non-empty array");
  }
  for (size_t i = 0; i < steps->as_array().size(); ++i) {
    auto step = ParseStep(steps->as_array()[i], where + ".steps[" + std::to_string(i) + "]");
    HITLGATE_RETURN_IF_ERROR(step);
    p.steps.push_back(std::move(*step));
  }
  return p;
}

Result<Article> ParseArticle(const json::value& v, const std::string& where) {
  if (!v.is_object()) return InvalidArgument(where + ": an article must be an object");
  Article a;
  HITLGATE_RETURN_IF_ERROR(ReadStrings(v.as_object(), where,
                                       {{"id", &a.id, true},
                                        {"title", &a.title, true},
                                        {"body", &a.body, true},
                                        {"procedure", &a.procedure, false}}));
  return a;
}

json::array StringArray(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

}  // namespace

const Procedure* Knowledge::FindProcedure(std::string_view id) const {
  for (const Procedure& p : procedures) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

Result<Knowledge> ParseKnowledge(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) return InvalidArgument("not JSON: " + ec.message());
  if (!root.is_object()) return InvalidArgument("the knowledge document must be a JSON object");
  const json::object& o = root.as_object();
  const json::value* format = o.if_contains("format");
  if (format == nullptr || !format->is_string() || format->as_string() != kKnowledgeFormat) {
    return InvalidArgument("format must be \"" + std::string(kKnowledgeFormat) + "\"");
  }
  Knowledge k;
  std::set<std::string> ids;
  if (const json::value* procedures = o.if_contains("procedures")) {
    if (!procedures->is_array()) return InvalidArgument("procedures must be an array");
    for (size_t i = 0; i < procedures->as_array().size(); ++i) {
      const std::string where = "procedures[" + std::to_string(i) + "]";
      auto p = ParseProcedure(procedures->as_array()[i], where);
      HITLGATE_RETURN_IF_ERROR(p);
      if (!ids.insert(p->id).second) return InvalidArgument(where + ": id '" + p->id + "' is used twice");
      k.procedures.push_back(std::move(*p));
    }
  }
  ids.clear();
  if (const json::value* articles = o.if_contains("articles")) {
    if (!articles->is_array()) return InvalidArgument("articles must be an array");
    for (size_t i = 0; i < articles->as_array().size(); ++i) {
      const std::string where = "articles[" + std::to_string(i) + "]";
      auto a = ParseArticle(articles->as_array()[i], where);
      HITLGATE_RETURN_IF_ERROR(a);
      if (!ids.insert(a->id).second) return InvalidArgument(where + ": id '" + a->id + "' is used twice");
      if (!a->procedure.empty() && k.FindProcedure(a->procedure) == nullptr) {
        return InvalidArgument(where + ": procedure '" + a->procedure + "' is not in this document");
      }
      k.articles.push_back(std::move(*a));
    }
  }
  if (k.procedures.empty() && k.articles.empty()) return InvalidArgument("no procedures and no articles");
  return k;
}

Result<Knowledge> ReadKnowledgeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  auto k = ParseKnowledge(s.str());
  if (!k) return InvalidArgument(path + ": " + k.error().message());
  return k;
}

std::string EncodeKnowledge(const Knowledge& k) {
  json::array procedures;
  for (const Procedure& p : k.procedures) {
    json::array steps;
    for (const ProcedureStep& s : p.steps) {
      json::object step{{"action", s.action}};
      if (!s.label.empty()) step["label"] = s.label;
      if (!s.slots.empty()) step["slots"] = StringArray(s.slots);
      if (!s.text.empty()) step["text"] = s.text;
      steps.emplace_back(std::move(step));
    }
    procedures.emplace_back(json::object{{"id", p.id}, {"flow", p.flow}, {"title", p.title}, {"steps", std::move(steps)}});
  }
  json::array articles;
  for (const Article& a : k.articles) {
    json::object article{{"id", a.id}, {"title", a.title}, {"body", a.body}};
    if (!a.procedure.empty()) article["procedure"] = a.procedure;
    articles.emplace_back(std::move(article));
  }
  return json::serialize(json::object{
      {"format", kKnowledgeFormat}, {"procedures", std::move(procedures)}, {"articles", std::move(articles)}});
}

}  // namespace hitlgate::assist
