#include "storage/postgres/sql_session.h"

#include "storage/postgres/rows.h"

namespace hitlgate::store::postgres {

namespace {

// Skills, languages (none declared: any), queues and workflows checked in
// SQL, the same rules as Qualifies: the first row a walk returns qualifies, so
// it locks one row, and walks tasks_open_claim / tasks_open_queue_claim in
// order, stopping there (bench/claim_plan.sh shows the plan).
constexpr std::string_view kClaimFilter =
    " AND string_to_array(skills, chr(31)) <@ string_to_array($1, chr(31))"
    " AND (language = '' OR $2 = '' OR EXISTS (SELECT 1 FROM unnest(string_to_array($2, chr(31))) AS l(tag)"
    "      WHERE lower(t.language) = lower(l.tag)"
    "         OR left(lower(t.language), length(l.tag) + 1) = lower(l.tag) || '-'))"
    " AND ($3 = '' OR queue = ANY(string_to_array($3, chr(31))))"
    " AND ($4 = '' OR workflow = ANY(string_to_array($4, chr(31))))";

}  // namespace

const sql::Dialect& SqlSession::dialect() const {
  // The reviewer lock is per reviewer (hash collisions only make two
  // reviewers wait for each other), held to the commit; the claim itself
  // takes no cluster-wide lock.
  static const sql::Dialect kDialect{
      .lock_rows = " FOR UPDATE",
      .skip_locked = " SKIP LOCKED",
      .claim_filter = kClaimFilter,
      .lock_reviewer = "SELECT pg_advisory_xact_lock(hashtext('hitlgate.reviewer_leases'), hashtext($1))",
      .lock_table = "LOCK TABLE ",
      .clear_packed_event = ", event_packed = NULL",
      .decision_columns = "seq, event_id, interaction_id, customer_id, workflow, channel, event_index, type, at_us, "
                          "event_json, decision_json, outcome, policy_version, recorded_by, task_id, event_packed, "
                          "decision_packed",
      .hashes_as_bytes = false,
      .remember_policy_version = "",
      .policy_version_value = "$13",
      .packed_decision_columns = "event_json, decision_json, event_packed, decision_packed",
      .packed_decision_values = "'', '', $14, $15"};
  return kDialect;
}

Result<sql::Rows> SqlSession::Query(const std::string& sql, const sql::Params& params) {
  auto result = conn_.Query(sql, params);
  HITLGATE_RETURN_IF_ERROR(result);
  sql::Rows rows(result->columns());
  for (int r = 0; r < result->size(); ++r) {
    for (int c = 0; c < result->columns(); ++c) {
      if (result->IsNull(r, c)) {
        rows.Append(sql::Value::Null());
      } else if (result->IsBytea(c)) {
        auto bytes = FromByteaText(result->Text(r, c));
        HITLGATE_RETURN_IF_ERROR(bytes);
        rows.Append(sql::Value::Blob(std::move(*bytes)));
      } else {
        rows.Append(sql::Value::Text(result->Text(r, c)));
      }
    }
  }
  rows.set_affected(result->affected());
  return rows;
}

}  // namespace hitlgate::store::postgres
