// The checkpoint side of `hitlgate audit verify` and `hitlgate audit prove`:
// loading the signed checkpoints and their keys, checking a record source
// against them, and building inclusion proofs. Internal to src/cli.
#pragma once

#include <string>

#include "cli/commands.h"
#include "hitlgate/audit/verifier.h"

namespace hitlgate::cli {

// Verifies `source` (with `vo`), and against the checkpoints when
// options.checkpoint_dir is set; prints the outcome naming the first bad
// record and every checkpoint problem. 0 ok, 1 problems, 2 unreadable input.
int VerifyAndReport(audit::RecordSource& source, audit::VerifyOptions vo,
                    const audit::CorruptionReporter& reporter, const AuditVerifyOptions& options,
                    std::string_view what);

// Prints the inclusion proof of record `seq` of `source` as JSON. 0 ok, 1 the
// record or the checkpoints do not check out, 2 unreadable input.
int ProveInclusion(audit::RecordSource& source, const AuditProveOptions& options);

}  // namespace hitlgate::cli
