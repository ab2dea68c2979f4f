// Readers for the public data sets in ../shared/data (never copied into this
// repository). Used by benchmarks and evaluation programs only.
// Header-only; not thread-safe (plain functions over files).
#pragma once

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace hitlgate::bench {

// RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes.
// nullopt when the file cannot be opened.
inline std::optional<std::vector<std::vector<std::string>>> ReadCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < data.size() && data[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

struct LabeledText {
  std::string text;
  std::string label;
};

// Column `text_col` and `label_col` of a CSV with a header row.
inline std::vector<LabeledText> ReadLabeledCsv(const std::string& path, size_t text_col,
                                               size_t label_col) {
  std::vector<LabeledText> out;
  auto rows = ReadCsv(path);
  if (!rows) return out;
  for (size_t i = 1; i < rows->size(); ++i) {
    const auto& r = (*rows)[i];
    if (r.size() <= std::max(text_col, label_col)) continue;
    out.push_back({r[text_col], r[label_col]});
  }
  return out;
}

inline std::vector<LabeledText> Banking77(const std::string& data_dir) {
  return ReadLabeledCsv(data_dir + "/banking77/train.csv", 0, 1);
}

inline std::vector<LabeledText> BitextIntents(const std::string& data_dir) {
  auto train = ReadLabeledCsv(
      data_dir + "/bitext_intent/Bitext_Sample_Customer_Service_Training_Dataset.csv", 0, 1);
  auto val = ReadLabeledCsv(
      data_dir + "/bitext_intent/Bitext_Sample_Customer_Service_Validation_Dataset.csv", 0, 1);
  train.insert(train.end(), val.begin(), val.end());
  return train;
}

// A VADER ground-truth file (icwsm2014_ground_truth/*_GroundTruth.txt): tab
// separated id, mean human rating in [-4, 4], text. Lines that do not parse
// are skipped. Empty when the file cannot be opened.
struct RatedText {
  std::string text;
  double rating = 0;
};

inline std::vector<RatedText> ReadRatedTsv(const std::string& path) {
  std::vector<RatedText> out;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t t1 = line.find('\t');
    if (t1 == std::string::npos) continue;
    const size_t t2 = line.find('\t', t1 + 1);
    if (t2 == std::string::npos) continue;
    const std::string rating = line.substr(t1 + 1, t2 - t1 - 1);
    char* end = nullptr;
    const double v = std::strtod(rating.c_str(), &end);
    if (end == rating.c_str()) continue;
    out.push_back({line.substr(t2 + 1), v});
  }
  return out;
}

}  // namespace hitlgate::bench
