#include "storage/sqlite/sql_session.h"

#include <cctype>

namespace hitlgate::store::sqlite {
namespace {

std::string NumberedPlaceholders(std::string_view sql) {
  std::string out(sql);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && std::isdigit(static_cast<unsigned char>(out[i + 1]))) out[i] = '?';
  }
  return out;
}

void BindValue(Statement& st, int index, const sql::Value& v) {
  switch (v.kind) {
    case sql::Value::Kind::kInt:
      st.Bind(index, v.i);
      return;
    case sql::Value::Kind::kText:
      st.Bind(index, std::string_view(v.s));
      return;
    case sql::Value::Kind::kBytes:
      st.BindBlob(index, v.s);
      return;
    case sql::Value::Kind::kNull:
      st.BindNull(index);
      return;
  }
}

sql::Value ColumnValue(const Statement& st, int col) {
  switch (st.TypeOf(col)) {
    case ColumnType::kNull:
      return sql::Value::Null();
    case ColumnType::kInteger:
      return sql::Value::Int(st.Int(col));
    case ColumnType::kBlob:
      return sql::Value::Blob(st.Blob(col));
    case ColumnType::kText:
      break;
  }
  return sql::Value::Text(st.Text(col));
}

}  // namespace

const sql::Dialect& SqlSession::dialect() const {
  static const sql::Dialect kDialect{
      .lock_rows = "",
      .skip_locked = "",
      .claim_filter = "",
      .lock_reviewer = "",
      .lock_table = "",
      .clear_packed_event = "",
      .decision_columns = "seq, event_id, interaction_id, customer_id, workflow, channel, event_index, type, at_us, "
                          "event_json, decision_json, outcome, "
                          "(SELECT version FROM policy_refs WHERE id = policy_version), recorded_by, task_id, NULL, NULL",
      .hashes_as_bytes = true,
      .remember_policy_version = "INSERT INTO policy_refs(version) VALUES($1) ON CONFLICT DO NOTHING",
      .policy_version_value = "(SELECT id FROM policy_refs WHERE version = $13)",
      .packed_decision_columns = "event_json, decision_json",
      .packed_decision_values = "$14, $15"};
  return kDialect;
}

Result<sql::Rows> SqlSession::Query(const std::string& sql, const sql::Params& params) {
  auto st = conn_.Prepare(sql, &NumberedPlaceholders);
  HITLGATE_RETURN_IF_ERROR(st);
  for (int i = 0; i < params.size(); ++i) BindValue(*st, i + 1, params.values()[static_cast<size_t>(i)]);
  sql::Rows rows(st->ColumnCount());
  while (true) {
    auto row = st->Step();
    HITLGATE_RETURN_IF_ERROR(row);
    if (!*row) break;
    for (int c = 0; c < st->ColumnCount(); ++c) rows.Append(ColumnValue(*st, c));
  }
  rows.set_affected(conn_.Changes());
  return rows;
}

}  // namespace hitlgate::store::sqlite
