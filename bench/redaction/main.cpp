// convaudit_bench_redaction [corpus.jsonl] [-v] [--messages logs.jsonl] [--dump FILE]
// [--passes N]: runs
// PiiDetector over a labelled corpus and prints, per split and per type, span-level precision /
// recall / F1 (exact and overlap match), the leak rate (share of gold PII bytes no detected span
// covers) and detector throughput, single thread. --messages also times detect() over the message
// texts of a bench/gen_logs.py log (one call per message, as the redactor does). --dump writes
// every detected span (type, offsets, normalised value) of both texts, to diff detector changes.
// --passes N times exactly N passes instead of best of three ~1 s rounds (for perf stat).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "redaction/pii_detector.h"

namespace {

using convaudit::redaction::pii_type_name;
using convaudit::redaction::PiiDetector;

struct Span {
  std::string type;
  size_t begin = 0;
  size_t end = 0;
};

struct Sample {
  std::string split;
  std::string text;
  std::vector<Span> gold;
};

struct Counts {
  size_t gold = 0, predicted = 0, exact_tp_gold = 0, exact_tp_pred = 0, overlap_tp_gold = 0,
         overlap_tp_pred = 0, gold_bytes = 0, leaked_bytes = 0;
};

const std::set<std::string> kStructured = {"EMAIL", "PHONE",  "CARD",   "SSN",     "IBAN",
                                           "IP",    "SECRET", "WALLET", "URLCRED", "MAC"};

bool overlaps(const Span& a, const Span& b) {
  return a.begin < b.end && b.begin < a.end;
}

double ratio(size_t a, size_t b) {
  return b == 0 ? 1.0 : static_cast<double>(a) / static_cast<double>(b);
}

void print_row(const std::string& name, const Counts& c) {
  const double pe = ratio(c.exact_tp_pred, c.predicted), re = ratio(c.exact_tp_gold, c.gold);
  const double po = ratio(c.overlap_tp_pred, c.predicted), ro = ratio(c.overlap_tp_gold, c.gold);
  auto f1 = [](double p, double r) { return p + r == 0 ? 0.0 : 2 * p * r / (p + r); };
  std::printf(
      "  %-11s gold %5zu pred %5zu | exact P %6.2f R %6.2f F1 %6.2f | overlap P %6.2f R %6.2f F1 "
      "%6.2f | leak %5.2f%%\n",
      name.c_str(), c.gold, c.predicted, 100 * pe, 100 * re, 100 * f1(pe, re), 100 * po, 100 * ro,
      100 * f1(po, ro), 100 * ratio(c.leaked_bytes, c.gold_bytes));
}

void add(Counts& into, const Counts& c) {
  into.gold += c.gold;
  into.predicted += c.predicted;
  into.exact_tp_gold += c.exact_tp_gold;
  into.exact_tp_pred += c.exact_tp_pred;
  into.overlap_tp_gold += c.overlap_tp_gold;
  into.overlap_tp_pred += c.overlap_tp_pred;
  into.gold_bytes += c.gold_bytes;
  into.leaked_bytes += c.leaked_bytes;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Speed {
  double wall_mbps = 0;  // MB of text per wall-clock second
  double cpu_mbps = 0;   // MB of text per second of this thread's CPU time (the shared CPU
                         // steals wall time from us, not CPU time)
  size_t spans = 0;      // spans one pass finds
};

// Best of three rounds of at least `min_seconds` each (the CPU is shared); with `passes` > 0,
// one round of exactly that many passes (steady work for perf).
Speed throughput(const PiiDetector& detector, const std::vector<std::string>& texts,
                 double min_seconds, size_t passes) {
  Speed speed;
  for (const std::string& t : texts) {
    speed.spans += detector.detect(t).size();
  }
  size_t sink = 0;
  for (int round = 0; round < (passes > 0 ? 1 : 3); ++round) {
    size_t bytes = 0;
    size_t done = 0;
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_seconds();
    double seconds = 0;
    do {
      for (const std::string& t : texts) {
        sink += detector.detect(t).size();
        bytes += t.size();
      }
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (passes > 0 ? ++done < passes : seconds < min_seconds);
    const double cpu = thread_cpu_seconds() - cpu_start;
    speed.wall_mbps = std::max(speed.wall_mbps, static_cast<double>(bytes) / 1e6 / seconds);
    speed.cpu_mbps = std::max(speed.cpu_mbps, static_cast<double>(bytes) / 1e6 / cpu);
  }
  if (sink == 0 && speed.spans != 0) {
    speed = Speed{};  // keeps the calls observable; never taken
  }
  return speed;
}

// The "message" (jsonl) or messages[].content (db) texts of a bench/gen_logs.py output.
bool read_messages(const std::string& path, std::vector<std::string>& out) {
  std::ifstream in(path);
  if (!in) {
    return false;
  }
  std::string line;
  try {
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line);
      if (j.contains("message")) {
        out.push_back(j.at("message").get<std::string>());
      } else if (j.contains("messages")) {
        for (const auto& m : j.at("messages")) {
          out.push_back(m.at("content").get<std::string>());
        }
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "bad log line: " << e.what() << "\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "bench/redaction/corpus.jsonl";
  std::string messages_path;
  std::string dump_path;
  bool verbose = false;
  size_t passes = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-v") {
      verbose = true;
    } else if (arg == "--messages" && i + 1 < argc) {
      messages_path = argv[++i];
    } else if (arg == "--passes" && i + 1 < argc) {
      passes = std::stoul(argv[++i]);
    } else if (arg == "--dump" && i + 1 < argc) {
      dump_path = argv[++i];
    } else {
      path = arg;
    }
  }
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot open " << path << " (run bench/redaction/make_corpus.py)\n";
    return 2;
  }
  std::vector<Sample> samples;
  std::string line;
  try {
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line);
      Sample s{j.at("split").get<std::string>(), j.at("text").get<std::string>(), {}};
      for (const auto& g : j.at("spans")) {
        s.gold.push_back({g.at("type").get<std::string>(), g.at("begin").get<size_t>(),
                          g.at("end").get<size_t>()});
      }
      samples.push_back(std::move(s));
    }
  } catch (const std::exception& e) {
    std::cerr << "bad corpus line: " << e.what() << "\n";
    return 2;
  }
  auto created = PiiDetector::create();
  if (!created) {
    std::cerr << "detector: " << created.error().message << "\n";
    return 2;
  }
  const PiiDetector& detector = *created;

  // split -> type -> counts
  std::map<std::string, std::map<std::string, Counts>> table;
  for (const Sample& s : samples) {
    std::vector<Span> pred;
    for (const auto& p : detector.detect(s.text)) {
      pred.push_back({std::string(pii_type_name(p.type)), p.begin, p.end});
    }
    auto& by_type = table[s.split];
    for (const Span& g : s.gold) {
      Counts& c = by_type[g.type];
      ++c.gold;
      bool exact = false, over = false;
      for (const Span& p : pred) {
        exact = exact || (p.type == g.type && p.begin == g.begin && p.end == g.end);
        over = over || (p.type == g.type && overlaps(p, g));
      }
      c.exact_tp_gold += exact ? 1 : 0;
      c.overlap_tp_gold += over ? 1 : 0;
      c.gold_bytes += g.end - g.begin;
      for (size_t b = g.begin; b < g.end; ++b) {
        const bool covered = std::any_of(pred.begin(), pred.end(),
                                         [b](const Span& p) { return p.begin <= b && b < p.end; });
        c.leaked_bytes += covered ? 0 : 1;
      }
      if (verbose && !exact) {
        std::cout << "MISS " << g.type << " [" << s.text.substr(g.begin, g.end - g.begin)
                  << "] in: " << s.text << "\n";
      }
    }
    for (const Span& p : pred) {
      Counts& c = by_type[p.type];
      ++c.predicted;
      bool exact = false, over = false;
      for (const Span& g : s.gold) {
        exact = exact || (p.type == g.type && p.begin == g.begin && p.end == g.end);
        over = over || (p.type == g.type && overlaps(p, g));
      }
      c.exact_tp_pred += exact ? 1 : 0;
      c.overlap_tp_pred += over ? 1 : 0;
      if (verbose && !over) {
        std::cout << "FP   " << p.type << " [" << s.text.substr(p.begin, p.end - p.begin)
                  << "] in: " << s.text << "\n";
      }
    }
  }
  for (const auto& [split, by_type] : table) {
    std::printf("split %s\n", split.c_str());
    Counts structured, other;
    for (const auto& [type, c] : by_type) {
      print_row(type, c);
      add(kStructured.count(type) != 0 ? structured : other, c);
    }
    print_row("STRUCTURED", structured);
    print_row("OTHER", other);
  }

  std::vector<std::string> corpus_texts;
  size_t corpus_bytes = 0;
  for (const Sample& s : samples) {
    corpus_texts.push_back(s.text);
    corpus_bytes += s.text.size();
  }
  std::vector<std::string> messages;
  size_t message_bytes = 0;
  if (!messages_path.empty()) {
    if (!read_messages(messages_path, messages)) {
      std::cerr << "cannot read messages from " << messages_path << "\n";
      return 2;
    }
    for (const std::string& m : messages) {
      message_bytes += m.size();
    }
  }
  if (!dump_path.empty()) {
    std::ofstream dump(dump_path);
    for (const auto* texts : {&corpus_texts, &messages}) {
      for (size_t i = 0; i < texts->size(); ++i) {
        for (const auto& p : detector.detect((*texts)[i])) {
          dump << i << ' ' << pii_type_name(p.type) << ' ' << p.begin << ' ' << p.end << ' '
               << p.normalized << '\n';
        }
      }
    }
  }
  const auto report = [](const char* name, const Speed& speed, size_t count, size_t bytes) {
    std::printf(
        "throughput %s: %.1f MB/s wall, %.1f MB/s thread CPU time (%zu texts, %zu bytes, %.0f "
        "B/text, %zu spans/pass; one thread, best of 3)\n",
        name, speed.wall_mbps, speed.cpu_mbps, count, bytes,
        count == 0 ? 0.0 : static_cast<double>(bytes) / static_cast<double>(count), speed.spans);
  };
  report("corpus", throughput(detector, corpus_texts, 1.0, passes), corpus_texts.size(),
         corpus_bytes);
  if (!messages.empty()) {
    report("messages", throughput(detector, messages, 1.0, passes), messages.size(), message_bytes);
  }
  return 0;
}
