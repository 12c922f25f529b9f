#pragma once
// LiteralMatcher: which of many literals occur in an ASCII text, ignoring ASCII case, in one
// pass (an Aho-Corasick automaton with a full transition table over byte classes). Internal to
// engine/match: the prefilter's atom matcher for ASCII text (pattern_set.cpp says why).
//
//   auto m = LiteralMatcher::build({"ignore", "prompt"});   // nullptr: not usable (see build)
//   std::vector<int> found;
//   m->find("IGNORE the system prompt", found);             // {0, 1}, each literal once
//
// Immutable after build; find() is const and safe to call from many threads at once.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace convaudit::match::internal {

class LiteralMatcher {
 public:
  // The automaton of `literals` (literal i is reported as i). nullptr when the answer for an ASCII
  // text could differ from a case-insensitive RE2 search of each literal: a literal holding a
  // character whose case folding reaches ASCII ("ſ" U+017F folds with 's', the Kelvin sign U+212A
  // with 'k'), or an empty literal. Other literals with non-ASCII bytes are left out: they cannot
  // occur in ASCII text.
  static std::unique_ptr<LiteralMatcher> build(const std::vector<std::string>& literals);

  // Appends to `found` the ids of the literals that occur in `text`, each once, in no set order.
  // `text` must be ASCII (every byte < 0x80); other bytes are read as bytes no literal holds.
  void find(std::string_view text, std::vector<int>& found) const;

  size_t state_count() const { return state_count_; }

 private:
  LiteralMatcher() = default;

  std::array<uint8_t, 256> byte_class_{};  // byte -> class (0: in no literal); A-Z as a-z
  size_t class_count_ = 1;
  size_t state_count_ = 0;
  static constexpr uint32_t kReports = uint32_t{1} << 31;  // the target state reports literals
  // state * class_count_ + class -> the target's row (target * class_count_), | kReports: the
  // row, not the state, so the scan's chain of dependent loads has no multiplication.
  std::vector<uint32_t> next_;
  // The literals ending at state s: outputs_[out_begin_[s] .. out_begin_[s + 1]).
  std::vector<uint32_t> out_begin_;
  std::vector<int> outputs_;
  // state -> the nearest proper suffix state that has outputs (0: none; the root has none).
  std::vector<uint32_t> output_link_;
};

}  // namespace convaudit::match::internal
