// Three small intents repeated `rounds` times: enough for fastText and the
// linear model to learn in well under a second. For the triage unit tests.
#pragma once

#include <string>
#include <vector>

#include "hitlgate/triage/classifier.h"

namespace hitlgate::triage {

inline std::vector<LabeledText> ToyIntents(int rounds, const std::string& human_label = "human") {
  std::vector<LabeledText> out;
  const char* card[] = {"where is my card", "my card has not arrived", "card still not here",
                        "when will my new card come", "i am waiting for my card"};
  const char* refund[] = {"i want a refund", "give me my money back", "refund my order please",
                          "how do i get a refund", "money back for this purchase"};
  const char* human[] = {"let me talk to a person", "i want a human agent", "connect me to someone real",
                         "speak to an operator", "get me a human"};
  for (int round = 0; round < rounds; ++round) {
    for (const char* t : card) out.push_back({t, "card_arrival"});
    for (const char* t : refund) out.push_back({t, "refund"});
    for (const char* t : human) out.push_back({t, human_label});
  }
  return out;
}

}  // namespace hitlgate::triage
