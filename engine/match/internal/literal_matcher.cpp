#include "engine/match/internal/literal_matcher.h"


namespace convaudit::match::internal {

namespace {

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether `literal` holds a character outside ASCII whose case folding reaches an ASCII letter:
// U+017F (UTF-8 C5 BF, folds with 's') or U+212A (E2 84 AA, the Kelvin sign, folds with 'k').
bool folds_into_ascii(std::string_view literal) {
  return literal.find("\xC5\xBF") != std::string_view::npos ||
         literal.find("\xE2\x84\xAA") != std::string_view::npos;
}

bool is_ascii(std::string_view literal) {
  for (char c : literal) {
    if ((static_cast<unsigned char>(c) & 0x80) != 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::unique_ptr<LiteralMatcher> LiteralMatcher::build(const std::vector<std::string>& literals) {
  std::unique_ptr<LiteralMatcher> m(new LiteralMatcher());
  // Byte classes: one per distinct (lower-cased) byte of the ASCII literals, upper-case letters
  // sharing their lower-case letter's class; every other byte is class 0.
  for (const std::string& literal : literals) {
    if (literal.empty() || folds_into_ascii(literal)) {
      return nullptr;
    }
    if (!is_ascii(literal)) {
      continue;
    }
    for (char c : literal) {
      const auto lower = static_cast<unsigned char>(ascii_lower(c));
      if (m->byte_class_[lower] == 0) {
        m->byte_class_[lower] = static_cast<uint8_t>(m->class_count_++);
      }
    }
  }
  for (int c = 'A'; c <= 'Z'; ++c) {
    m->byte_class_[static_cast<size_t>(c)] = m->byte_class_[static_cast<size_t>(c - 'A' + 'a')];
  }
  const size_t classes = m->class_count_;

  // The trie: goto_[state * classes + class] (0 = no edge; the root is state 0, never a target).
  std::vector<uint32_t> goto_(classes, 0);
  std::vector<std::vector<int>> ends(1);
  for (size_t id = 0; id < literals.size(); ++id) {
    const std::string& literal = literals[id];
    if (!is_ascii(literal)) {
      continue;
    }
    uint32_t state = 0;
    for (char c : literal) {
      const size_t cls = m->byte_class_[static_cast<unsigned char>(c)];
      uint32_t& edge = goto_[state * classes + cls];
      if (edge == 0) {
        edge = static_cast<uint32_t>(ends.size());
        ends.emplace_back();
        goto_.resize(goto_.size() + classes, 0);
      }
      state = goto_[state * classes + cls];  // (goto_ may have moved)
    }
    ends[state].push_back(static_cast<int>(id));
  }
  const size_t states = ends.size();
  if (states * classes >= kReports) {
    return nullptr;  // more than a transition can name
  }

  // Number the states breadth first (old -> new): the shallow states, which most bytes of a text
  // lead to, then sit together at the start of the table.
  std::vector<uint32_t> renumber(states, 0);
  std::vector<uint32_t> order;  // new -> old
  order.reserve(states);
  order.push_back(0);
  for (size_t i = 0; i < order.size(); ++i) {
    for (size_t cls = 0; cls < classes; ++cls) {
      const uint32_t child = goto_[order[i] * classes + cls];
      if (child != 0) {
        renumber[child] = static_cast<uint32_t>(order.size());
        order.push_back(child);
      }
    }
  }

  // In breadth-first order: failure links, the full transition table, and output links.
  std::vector<uint32_t> next(states * classes, 0);
  std::vector<uint32_t> fail(states, 0);
  m->output_link_.assign(states, 0);
  m->out_begin_.assign(states + 1, 0);
  for (uint32_t state = 0; state < states; ++state) {
    const uint32_t old = order[state];
    m->out_begin_[state] = static_cast<uint32_t>(m->outputs_.size());
    m->outputs_.insert(m->outputs_.end(), ends[old].begin(), ends[old].end());
    const uint32_t f = fail[state];
    if (state != 0) {
      const bool f_outputs = m->out_begin_[f] != m->out_begin_[f + 1];
      m->output_link_[state] = f_outputs ? f : m->output_link_[f];
    }
    for (size_t cls = 0; cls < classes; ++cls) {
      const uint32_t old_child = goto_[old * classes + cls];
      const uint32_t via_fail = state == 0 ? 0 : next[f * classes + cls];
      if (old_child != 0) {
        const uint32_t child = renumber[old_child];
        fail[child] = via_fail;  // a child comes later in the order: set before it is read
        next[state * classes + cls] = child;
      } else {
        next[state * classes + cls] = via_fail;
      }
    }
  }
  m->out_begin_[states] = static_cast<uint32_t>(m->outputs_.size());

  // A transition carries kReports when its target or a suffix of it ends a literal, so the scan
  // looks at outputs only there.
  m->next_.resize(next.size());
  for (size_t i = 0; i < next.size(); ++i) {
    const uint32_t target = next[i];
    const bool reports =
        m->out_begin_[target] != m->out_begin_[target + 1] || m->output_link_[target] != 0;
    m->next_[i] = static_cast<uint32_t>(target * classes) | (reports ? kReports : 0);
  }
  m->state_count_ = states;
  return m;
}

void LiteralMatcher::find(std::string_view text, std::vector<int>& found) const {
  // States whose outputs (and those of their output chain) were reported already.
  std::vector<uint64_t> reported((state_count_ + 63) / 64, 0);
  const size_t classes = class_count_;
  uint32_t row = 0;  // the current state's row in next_ (state * classes)
  for (char c : text) {
    const uint32_t to = next_[row + byte_class_[static_cast<unsigned char>(c)]];
    row = to & ~kReports;
    if ((to & kReports) == 0) {
      continue;
    }
    // Every state on the chain from here: this state's own literals, then shorter suffixes'.
    for (auto s = static_cast<uint32_t>(row / classes); s != 0; s = output_link_[s]) {
      uint64_t& word = reported[s / 64];
      const uint64_t bit = uint64_t{1} << (s % 64);
      if ((word & bit) != 0) {
        break;  // this state and its whole chain were reported before
      }
      word |= bit;
      for (uint32_t i = out_begin_[s]; i < out_begin_[s + 1]; ++i) {
        found.push_back(outputs_[i]);
      }
    }
  }
}

}  // namespace convaudit::match::internal
