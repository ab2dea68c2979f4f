// Readers for the public data sets in ../shared/data (never copied into this
// repository). Used by benchmarks and evaluation programs only.
// Header-only; not thread-safe (plain functions over files).
#pragma once

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string_view>
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

namespace hitlgate::bench {

// The string literals of a JSON document in order, unescaped, each with
// whether it is an object key (followed by ':'). Enough to read clinc150 and
// tau_bench without a JSON library in the signals benchmarks; \uXXXX
// escapes become UTF-8 (surrogate pairs joined). Empty when unreadable.
struct JsonString {
  std::string text;
  bool is_key = false;
};

inline void AppendUtf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

inline std::vector<JsonString> JsonStrings(const std::string& data) {
  std::vector<JsonString> out;
  auto hex = [&](size_t at) -> unsigned {
    if (at + 4 > data.size()) return 0xFFFD;
    return static_cast<unsigned>(std::strtoul(data.substr(at, 4).c_str(), nullptr, 16));
  };
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '"') continue;
    std::string s;
    size_t j = i + 1;
    for (; j < data.size() && data[j] != '"'; ++j) {
      if (data[j] != '\\' || j + 1 >= data.size()) {
        s.push_back(data[j]);
        continue;
      }
      const char e = data[++j];
      switch (e) {
        case 'n': s.push_back('\n'); break;
        case 't': s.push_back('\t'); break;
        case 'r': s.push_back('\r'); break;
        case 'b': s.push_back('\b'); break;
        case 'f': s.push_back('\f'); break;
        case 'u': {
          unsigned cp = hex(j + 1);
          j += 4;
          if (cp >= 0xD800 && cp < 0xDC00 && j + 6 < data.size() && data[j + 1] == '\\' &&
              data[j + 2] == 'u') {
            const unsigned low = hex(j + 3);
            if (low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              j += 6;
            }
          }
          AppendUtf8(s, cp);
          break;
        }
        default: s.push_back(e);  // \" \\ \/
      }
    }
    size_t k = j + 1;
    while (k < data.size() && (data[k] == ' ' || data[k] == '\n' || data[k] == '\r' || data[k] == '\t')) ++k;
    out.push_back({std::move(s), k < data.size() && data[k] == ':'});
    i = j;
  }
  return out;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// clinc150's data_full_train_val.json: [text, intent] pairs of the splits
// "train", "val", "oos_train", "oos_val"; label is the intent ("oos" for
// out-of-scope).
inline std::vector<LabeledText> Clinc150(const std::string& data_dir) {
  std::vector<LabeledText> out;
  const auto strings = JsonStrings(ReadFile(data_dir + "/clinc150/data_full_train_val.json"));
  for (size_t i = 0; i < strings.size(); ++i) {
    if (strings[i].is_key) continue;
    if (i + 1 < strings.size() && !strings[i + 1].is_key) {
      out.push_back({strings[i].text, strings[i + 1].text});
      ++i;
    }
  }
  return out;
}

// The customer ("user:") turns of tau_bench's few-shot dialogues, in order:
// label is "<file index> <dialogue index> <turn index>" (file 0 = retail,
// 1 = airline; turns counted over the user turns of a dialogue only).
inline std::vector<LabeledText> TauBenchUserTurns(const std::string& data_dir) {
  std::vector<LabeledText> out;
  const char* files[] = {"/tau_bench/MockRetailDomainEnv-few_shot.jsonl",
                         "/tau_bench/MockAirlineDomainEnv-few_shot.jsonl"};
  for (int f = 0; f < 2; ++f) {
    std::ifstream in(data_dir + files[f], std::ios::binary);
    std::string line;
    int dialogue = 0;
    while (std::getline(in, line)) {
      const auto strings = JsonStrings(line);
      int turn = 0;
      for (const JsonString& s : strings) {
        if (s.is_key) continue;
        size_t start = 0;
        while (start < s.text.size()) {
          size_t end = s.text.find('\n', start);
          if (end == std::string::npos) end = s.text.size();
          const std::string_view l(s.text.data() + start, end - start);
          if (l.starts_with("user: ")) {
            out.push_back({std::string(l.substr(6)), std::to_string(f) + " " +
                                                         std::to_string(dialogue) + " " +
                                                         std::to_string(turn)});
            ++turn;
          }
          start = end + 1;
        }
      }
      ++dialogue;
    }
  }
  return out;
}

// Lines of a text file (xlmt_sentiment/<language>/*_text.txt).
inline std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace hitlgate::bench
