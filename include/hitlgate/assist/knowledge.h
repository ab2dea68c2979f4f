// Procedures and knowledge articles as data (docs/assist.md): a procedure is
// a flow's ordered steps, each an action with the slots it needs; an article
// is a titled Markdown text. Admins load them as one JSON document; the ABCD
// importer writes that document from the data set's guidelines and kb files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/error.h"

namespace hitlgate::assist {

struct ProcedureStep {
  std::string action;              // e.g. "verify-identity"
  std::string label;               // the button as people see it
  std::vector<std::string> slots;  // what the action needs filled
  std::string text;                // the guideline for the step
};

struct Procedure {
  std::string id;     // e.g. "refund_initiate"
  std::string flow;   // e.g. "product_defect"
  std::string title;  // e.g. "Initiate Refund"
  std::vector<ProcedureStep> steps;
};

struct Article {
  std::string id;
  std::string title;
  std::string body;       // Markdown
  std::string procedure;  // the procedure it documents, if any
};

struct Knowledge {
  std::vector<Procedure> procedures;
  std::vector<Article> articles;
  const Procedure* FindProcedure(std::string_view id) const;
};

inline constexpr std::string_view kKnowledgeFormat = "hitlgate-assist/1";

// InvalidArgument names the first wrong field (e.g. "procedures[3].steps[0]:
// action is missing"); nothing is partly accepted.
[[nodiscard]] Result<Knowledge> ParseKnowledge(std::string_view json);
[[nodiscard]] Result<Knowledge> ReadKnowledgeFile(const std::string& path);
std::string EncodeKnowledge(const Knowledge& knowledge);

// ABCD (asappresearch/abcd): kb.json gives each subflow's action sequence,
// guidelines.json the people's wording per flow and subflow. Each kb subflow
// becomes a procedure; its guideline becomes the step texts and an article.
[[nodiscard]] Result<Knowledge> ImportAbcd(std::string_view guidelines_json, std::string_view kb_json);

}  // namespace hitlgate::assist
