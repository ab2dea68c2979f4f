// The calibration file saved next to a triage model (MODEL.calibration.json):
// {"format":"hitlgate.triage-calibration.v1","blocks":[{"lo","hi","x","p","n"}...]}.
// Internal to src/triage.
#pragma once

#include <string>
#include <vector>

#include "hitlgate/common/error.h"
#include "hitlgate/learning/calibration.h"

namespace hitlgate::triage {

std::string EncodeCalibrationBlocks(const std::vector<learning::IsotonicBlock>& blocks);
// InvalidArgument naming the problem.
[[nodiscard]] Result<std::vector<learning::IsotonicBlock>> ParseCalibrationBlocks(std::string_view text);

}  // namespace hitlgate::triage
