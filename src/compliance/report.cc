// BuildReport: the store's audit log, policy and controls summed up for an
// auditor; RenderHtml/RenderJson: one self-contained page (no scripts, no
// external assets) or the same facts as JSON.
#include "hitlgate/compliance/report.h"

#include <algorithm>
#include <boost/json.hpp>

#include "hitlgate/audit/verifier.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/receipts/checkpoint.h"
#include "hitlgate/store/audit_source.h"

namespace hitlgate::compliance {
namespace {

namespace json = boost::json;

std::string Get(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

bool GetBool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->as_bool();
}

std::optional<double> Quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Seconds(const std::optional<double>& s) {
  if (!s) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f s", *s);
  return buf;
}

}  // namespace

Result<ComplianceReport> BuildReport(store::Store& store, const ReportOptions& options) {
  ComplianceReport r;
  r.generated_at = options.now;
  r.audit_retention_days = options.audit_retention_days;
  r.checkpoint_dir = options.checkpoint_dir;

  if (auto active = store.GetActivePolicy()) {
    auto words = DescribePolicy(active->policy.source_yaml);
    if (words) {
      words->version = active->policy.version;
      words->activated_at = active->activated_at;
      words->activated_by = active->activated_by;
      r.policy = std::move(*words);
    } else {
      r.policy_problem = words.error().message();
    }
  } else {
    r.policy_problem = active.error().message();
  }

  std::map<std::string, std::pair<std::string, TimePoint>> tasks;  // id -> kind, created
  std::vector<double> to_verdict;
  std::int64_t from = 1;
  constexpr int kPage = 5000;
  while (true) {
    auto page = store.ReadAudit(from, kPage);
    HITLGATE_RETURN_IF_ERROR(page);
    for (const audit::AuditRecord& a : *page) {
      ++r.audit_records;
      if (!r.oldest_audit_record) r.oldest_audit_record = a.at;
      boost::system::error_code ec;
      json::value parsed = json::parse(a.payload_json, ec);
      const json::object empty;
      const json::object& p = !ec && parsed.is_object() ? parsed.as_object() : empty;
      OversightStats& s = r.stats;
      // Since the one-record-per-event form the "event" record carries the
      // outcome; older logs carry it in a separate "decision" record, and
      // their "event" records have none (docs/audit-format.md).
      if (a.kind == "decision" || (a.kind == "event" && p.contains("outcome"))) {
        ++s.decisions_by_outcome[Get(p, "outcome")];
      } else if (a.kind == "task_created") {
        const std::string kind = Get(p, "kind");
        ++s.tasks_by_kind[kind];
        tasks[a.subject] = {kind, a.at};
        if (kind == "hold") ++s.holds_opened;
        if (kind == "contest") ++s.contests_opened;
      } else if (a.kind == "verdict") {
        const std::string kind = Get(p, "kind");
        ++s.verdicts_by_kind[kind];
        if (GetBool(p, "override")) ++s.supervisor_overrides;
        auto t = tasks.find(a.subject);
        const std::string task_kind = t == tasks.end() ? "" : t->second.first;
        if (task_kind == "hold") ++s.holds_answered;
        if (task_kind == "contest") {
          (kind == "approved" ? s.contests_upheld : s.contests_overturned)++;
        } else if (kind == "edited" || kind == "rejected" || kind == "taken_over") {
          ++s.proposals_changed;
        }
        if (t != tasks.end()) {
          to_verdict.push_back(std::chrono::duration<double>(a.at - t->second.second).count());
        }
      } else if (a.kind == "escalation") {
        ++s.escalations;
      } else if (a.kind == "audit_purged") {
        r.purges.push_back(FormatRfc3339(a.at) + ": " + a.payload_json);
      } else if (a.kind == "customer_erased") {
        ++r.erasures;
      } else if (a.kind == "customer_exported") {
        ++r.exports;
      } else if (a.kind == "key_created") {
        r.key_history.push_back({a.at, a.kind, a.subject, Get(p, "role") + " key '" + Get(p, "name") + "' by " + a.actor});
      } else if (a.kind == "key_revoked") {
        r.key_history.push_back({a.at, a.kind, a.subject, "by " + a.actor});
      } else if (a.kind == "signing_key_rotated") {
        r.key_history.push_back({a.at, a.kind, a.subject,
                                 "replaces " + Get(p, "previous_key_id") + ", by " + a.actor});
      }
    }
    if (static_cast<int>(page->size()) < kPage) break;
    from = page->back().seq + 1;
  }
  r.stats.median_seconds_to_verdict = Quantile(to_verdict, 0.5);
  r.stats.p90_seconds_to_verdict = Quantile(to_verdict, 0.9);

  auto controls = store.ListControls();
  HITLGATE_RETURN_IF_ERROR(controls);
  for (const store::Control& c : *controls) {
    if (c.kind == store::ControlKind::kLegalHold) r.legal_holds.push_back(c);
  }

  store::StoreAuditSource source(&store);
  audit::VerifySummary summary = audit::VerifyChain(source);
  r.chain_verified = summary.ok();
  r.chain_detail = summary.ok() ? std::to_string(summary.records_checked) + " records, head " +
                                      std::to_string(summary.last_seq)
                                : summary.detail;

  if (!options.checkpoint_dir.empty()) {
    auto files = receipts::ReadCheckpointDir(options.checkpoint_dir);
    HITLGATE_RETURN_IF_ERROR(files);
    for (const receipts::CheckpointFile& f : *files) {
      CheckpointInfo info;
      info.file = f.name;
      auto c = receipts::DecodeCheckpoint(f.text);
      if (c) {
        info.seq = c->seq;
        info.at = c->at;
        info.key_id = c->key_id;
      } else {
        info.problem = c.error().message();
      }
      r.checkpoints.push_back(std::move(info));
    }
  }
  return r;
}

std::string RenderJson(const ComplianceReport& r) {
  json::object o;
  o["generated_at"] = FormatRfc3339(r.generated_at);
  if (r.policy) {
    const PolicyInWords& p = *r.policy;
    auto list = [](const std::vector<std::string>& v) { return json::value_from(v); };
    o["policy"] = json::object{{"name", p.name},
                               {"version", p.version},
                               {"activated_at", p.activated_at ? FormatRfc3339(*p.activated_at) : ""},
                               {"activated_by", p.activated_by},
                               {"defaults", list(p.defaults)},
                               {"workflows", list(p.workflows)},
                               {"floors", list(p.floors)},
                               {"rules", list(p.rules)},
                               {"queues", list(p.queues)}};
  } else {
    o["policy_problem"] = r.policy_problem;
  }
  const OversightStats& s = r.stats;
  json::object stats;
  stats["decisions_by_outcome"] = json::value_from(s.decisions_by_outcome);
  stats["tasks_by_kind"] = json::value_from(s.tasks_by_kind);
  stats["verdicts_by_kind"] = json::value_from(s.verdicts_by_kind);
  stats["holds_opened"] = s.holds_opened;
  stats["holds_answered"] = s.holds_answered;
  stats["escalations"] = s.escalations;
  stats["supervisor_overrides"] = s.supervisor_overrides;
  stats["proposals_changed_by_people"] = s.proposals_changed;
  stats["contests_opened"] = s.contests_opened;
  stats["contests_upheld"] = s.contests_upheld;
  stats["contests_overturned"] = s.contests_overturned;
  stats["median_seconds_to_verdict"] = s.median_seconds_to_verdict ? json::value(*s.median_seconds_to_verdict) : nullptr;
  stats["p90_seconds_to_verdict"] = s.p90_seconds_to_verdict ? json::value(*s.p90_seconds_to_verdict) : nullptr;
  o["oversight"] = std::move(stats);
  json::array holds;
  for (const store::Control& c : r.legal_holds) {
    holds.push_back(json::object{{"target", c.target}, {"reason", c.reason}, {"set_by", c.actor}, {"set_at", FormatRfc3339(c.at)}});
  }
  o["retention"] = json::object{{"audit_retention_days", r.audit_retention_days},
                                {"audit_records", r.audit_records},
                                {"oldest_audit_record", r.oldest_audit_record ? FormatRfc3339(*r.oldest_audit_record) : ""},
                                {"purges", json::value_from(r.purges)},
                                {"erasures", r.erasures},
                                {"exports", r.exports},
                                {"legal_holds", std::move(holds)}};
  json::array cps;
  for (const CheckpointInfo& c : r.checkpoints) {
    cps.push_back(json::object{{"file", c.file}, {"seq", c.seq}, {"at", c.problem.empty() ? FormatRfc3339(c.at) : ""},
                               {"key_id", c.key_id}, {"problem", c.problem}});
  }
  o["integrity"] = json::object{{"chain_verified", r.chain_verified}, {"chain", r.chain_detail},
                                {"checkpoint_dir", r.checkpoint_dir}, {"checkpoints", std::move(cps)}};
  json::array keys;
  for (const KeyEvent& k : r.key_history) {
    keys.push_back(json::object{{"at", FormatRfc3339(k.at)}, {"kind", k.kind}, {"key", k.subject}, {"detail", k.detail}});
  }
  o["key_history"] = std::move(keys);
  return json::serialize(o);
}

std::string RenderHtml(const ComplianceReport& r) {
  std::string h;
  auto list = [&](const std::vector<std::string>& items) {
    h += "<ul>";
    for (const std::string& i : items) h += "<li>" + Escape(i) + "</li>";
    h += "</ul>";
  };
  auto row = [&](std::string_view k, const std::string& v) {
    h += "<tr><th>" + Escape(k) + "</th><td>" + Escape(v) + "</td></tr>";
  };
  h += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>hitlgate compliance report</title>"
       "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
       "h1,h2{font-weight:600}table{border-collapse:collapse}th,td{text-align:left;padding:.2rem .8rem;"
       "border-bottom:1px solid #ddd}.bad{color:#b00}.ok{color:#070}</style></head><body>";
  h += "<h1>Compliance report</h1><p>Generated " + Escape(FormatRfc3339(r.generated_at)) + ".</p>";

  h += "<h2>Where human oversight enters</h2>";
  if (r.policy) {
    const PolicyInWords& p = *r.policy;
    h += "<p>Active policy <b>" + Escape(p.name) + "</b> (" + Escape(p.version) + ")";
    if (p.activated_at) h += ", activated " + Escape(FormatRfc3339(*p.activated_at)) + " by " + Escape(p.activated_by);
    h += ".</p><h3>Baseline</h3>";
    list(p.defaults);
    h += "<h3>Workflows</h3>";
    list(p.workflows);
    h += "<h3>Floors (never relaxed)</h3>";
    list(p.floors);
    h += "<h3>Rules</h3>";
    list(p.rules);
    h += "<h3>Review queues</h3>";
    list(p.queues);
  } else {
    h += "<p class=\"bad\">No active policy: " + Escape(r.policy_problem) + "</p>";
  }

  const OversightStats& s = r.stats;
  h += "<h2>Oversight statistics</h2><table>";
  for (const auto& [k, v] : s.decisions_by_outcome) row("decisions: " + k, std::to_string(v));
  for (const auto& [k, v] : s.tasks_by_kind) row("review tasks: " + k, std::to_string(v));
  for (const auto& [k, v] : s.verdicts_by_kind) row("verdicts: " + k, std::to_string(v));
  row("holds answered / opened", std::to_string(s.holds_answered) + " / " + std::to_string(s.holds_opened));
  row("median time to verdict", Seconds(s.median_seconds_to_verdict));
  row("90th percentile time to verdict", Seconds(s.p90_seconds_to_verdict));
  row("AI proposals changed by people (edited, rejected, taken over)", std::to_string(s.proposals_changed));
  row("supervisor overrides", std::to_string(s.supervisor_overrides));
  row("escalations (SLA missed)", std::to_string(s.escalations));
  row("contests (GDPR Art. 22): opened / upheld / overturned",
      std::to_string(s.contests_opened) + " / " + std::to_string(s.contests_upheld) + " / " +
          std::to_string(s.contests_overturned));
  h += "</table>";

  h += "<h2>Retention and legal holds</h2><table>";
  row("audit retention (decision logs)", std::to_string(r.audit_retention_days) + " days (legal minimum 183)");
  row("audit records kept", std::to_string(r.audit_records));
  row("oldest audit record", r.oldest_audit_record ? FormatRfc3339(*r.oldest_audit_record) : "none");
  row("customer erasures / exports", std::to_string(r.erasures) + " / " + std::to_string(r.exports));
  row("legal holds in force", std::to_string(r.legal_holds.size()));
  h += "</table>";
  if (!r.legal_holds.empty()) {
    std::vector<std::string> lines;
    for (const store::Control& c : r.legal_holds) {
      lines.push_back(c.target + ": " + c.reason + " (" + c.actor + ", " + FormatRfc3339(c.at) + ")");
    }
    list(lines);
  }
  if (!r.purges.empty()) {
    h += "<h3>Audit purges</h3>";
    list(r.purges);
  }

  h += "<h2>Integrity</h2><p class=\"" + std::string(r.chain_verified ? "ok" : "bad") + "\">Audit chain " +
       (r.chain_verified ? "verifies: " : "does NOT verify: ") + Escape(r.chain_detail) + "</p>";
  if (!r.checkpoint_dir.empty()) {
    h += "<h3>Checkpoints in " + Escape(r.checkpoint_dir) + "</h3><table><tr><th>file</th><th>seq</th><th>signed</th><th>key</th></tr>";
    for (const CheckpointInfo& c : r.checkpoints) {
      h += "<tr><td>" + Escape(c.file) + "</td><td>" + std::to_string(c.seq) + "</td><td>" +
           Escape(c.problem.empty() ? FormatRfc3339(c.at) : "unreadable: " + c.problem) + "</td><td>" +
           Escape(c.key_id) + "</td></tr>";
    }
    h += "</table>";
  }
  h += "<h3>Key history</h3><table><tr><th>when</th><th>what</th><th>key</th><th></th></tr>";
  for (const KeyEvent& k : r.key_history) {
    h += "<tr><td>" + Escape(FormatRfc3339(k.at)) + "</td><td>" + Escape(k.kind) + "</td><td>" + Escape(k.subject) +
         "</td><td>" + Escape(k.detail) + "</td></tr>";
  }
  h += "</table></body></html>\n";
  return h;
}

}  // namespace hitlgate::compliance
