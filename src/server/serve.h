// `hitlgate serve`: wires the real clock, randomness, SQLite store, engine,
// gateway, HTTP server, periodic work and webhook delivery, then runs until
// SIGINT or SIGTERM. The only place (with src/cli) that names concrete
// backends.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hitlgate/autonomy/tracker.h"
#include "server/learning_models.h"

namespace hitlgate::server {

struct ServeOptions {
  std::string data_dir = "data";
  // Empty: SQLite in data_dir. postgres://...: PostgreSQL shared by several
  // nodes (store_factory.h); data_dir still holds the key secret.
  std::string store_url;
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string policy_path;  // used when the store has no active policy yet; empty = built-in example
  std::string lexicon_path;
  LearningModelOptions learning;  // calibration map and triage model (docs/learning.md)
  autonomy::AutonomyConfig autonomy;  // earned autonomy's window, targets, audit rates (docs/autonomy.md)
  std::string console_dir;  // built console assets; empty = look for web/dist
  int threads = 0;          // io threads; 0 = cores
  int lease_seconds = 120;
  bool metrics_need_key = false;  // /metrics only for keys that may read metrics
  int event_clock_skew_seconds = 900;  // 0: an event's `at` is not checked
  std::string escalation_queue = "supervisors";
  int audit_retention_days = 183;  // EU AI Act: decision logs at least six months
  int text_retention_days = 0;     // personal text; 0 = kept until the customer is erased
  bool allow_short_retention = false;
  // Signed audit checkpoints exported here (empty: none); see GatewayOptions.
  std::string checkpoint_dir;     // empty: <data_dir>/checkpoints
  bool no_checkpoints = false;    // deleting the newest records then goes unnoticed
  std::string signing_key_file;   // empty: <data_dir>/signing_keys.json (receipts, checkpoints)
  int checkpoint_every_records = 1000;
  int checkpoint_minutes = 10;
  // HTTPS (docs/tls.md): certificate chain and key, PEM; empty = plain HTTP.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;  // set: agents must present a certificate it signed
  // "ROLE=PER_SECOND[/BURST]" each, over the defaults (docs/hardening.md);
  // 0 = unlimited for that role.
  std::vector<std::string> rate_limits;
  // Agent assist (docs/assist.md): both or neither.
  std::string assist_model;      // `hitlgate assist train --out` prefix
  std::string assist_knowledge;  // the procedures and articles document
};

int RunServe(const ServeOptions& options);

// The retail example policy, compiled into the binary so that `serve` needs
// no file to start.
extern const char* const kDefaultPolicyYaml;

}  // namespace hitlgate::server
