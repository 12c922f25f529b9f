#include "engine/rulehost/signature_index.h"

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <utility>

#include "engine/match/pattern_set.h"

namespace convaudit::rulehost {

namespace {

constexpr size_t kRoles = 5;  // core::Role values

size_t role_bit(core::Role role) {
  return static_cast<size_t>(role);
}

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

// Which signatures hit: a literal prefilter (engine/match PatternSet with prefilter, RE2's
// FilteredRE2 underneath) finds the atoms in the text (a bounded Aho-Corasick-like DFA), the
// atoms give the candidate patterns, and each candidate whose signature scans the role and has
// not hit yet is confirmed with its own RE2 (the same RE2 gives first_span). History: one
// RE2::Set over every pattern listed hits at 119 us per attack message (DFA state explosion on
// bounded gaps); then the set only answered "any hit?" and shards of 48 patterns listed the hits
// (1.0 us benign, 9.2 us attack), but the big set cost ~0.2 s to compile and its DFA cache grew
// with new text. bench/README.md "Signature prefilter" has the figures.
// Atoms shorter than this are not used: measured on the built-in pack (bench/README.md).
constexpr int kMinAtomLen = 3;
// A role whose signatures hold at most this share of all patterns gets a set of its own.
constexpr size_t kOwnSetShare = 4;  // 1/4

// The patterns of the signatures that scan one role, in a set of their own (ids ascending with
// the main set's): in the built-in pack one signature scans assistant replies, so half of all
// messages need not be searched for the atoms of the other 280 patterns.
struct RoleSet {
  match::PatternSet set{match::PatternSetOptions{.prefilter = true, .min_atom_len = kMinAtomLen}};
  std::vector<int> main_ids;  // own id -> id in the main set
};

struct SignatureIndex::Impl {
  std::vector<RuleInfo> signatures;
  std::vector<uint8_t> role_mask;             // per signature: bit role_bit(role) set when scanned
  uint8_t any_mask = 0;                       // union of role_mask
  std::vector<size_t> pattern_owner;          // pattern id -> signature position
  std::vector<std::vector<int>> pattern_ids;  // signature position -> its pattern ids
  match::PatternSet set{match::PatternSetOptions{.prefilter = true, .min_atom_len = kMinAtomLen}};
  bool compiled = false;
  std::array<std::unique_ptr<RoleSet>, kRoles> role_sets;  // null: the role uses `set`

  // Builds role_sets for the roles few patterns scan. Best effort: a set that does not build is
  // left out and its role keeps using the main set (same hits either way).
  void build_role_sets() {
    for (size_t role = 0; role < kRoles; ++role) {
      size_t patterns = 0;
      for (size_t position = 0; position < signatures.size(); ++position) {
        patterns += (role_mask[position] >> role & 1u) != 0 ? pattern_ids[position].size() : 0;
      }
      if (patterns == 0 || patterns * kOwnSetShare > set.size()) {
        continue;
      }
      auto own = std::make_unique<RoleSet>();
      bool built = true;
      for (size_t position = 0; position < signatures.size(); ++position) {
        if ((role_mask[position] >> role & 1u) == 0) {
          continue;
        }
        // Every pattern compiled (build() fails otherwise): ids and patterns line up.
        for (size_t i = 0; i < pattern_ids[position].size(); ++i) {
          built = built && own->set.add(signatures[position].patterns[i]).has_value();
          own->main_ids.push_back(pattern_ids[position][i]);
        }
      }
      if (built && own->set.compile()) {
        role_sets[role] = std::move(own);
      }
    }
  }
};

SignatureIndex::SignatureIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SignatureIndex::~SignatureIndex() = default;

Result<std::unique_ptr<const SignatureIndex>> SignatureIndex::build(
    std::vector<RuleInfo> signatures, std::vector<Error>* errors) {
  static_assert(kRoles <= 8, "role mask is 8 bits");
  std::vector<Error> local;
  std::vector<Error>& out = errors != nullptr ? *errors : local;
  const size_t errors_before = out.size();
  auto impl = std::make_unique<Impl>();
  std::sort(signatures.begin(), signatures.end(),
            [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
  impl->signatures = std::move(signatures);
  for (size_t position = 0; position < impl->signatures.size(); ++position) {
    const RuleInfo& signature = impl->signatures[position];
    uint8_t mask = 0;
    for (core::Role role : signature.roles) {
      mask = static_cast<uint8_t>(mask | (1u << role_bit(role)));
    }
    impl->role_mask.push_back(mask);
    impl->any_mask = static_cast<uint8_t>(impl->any_mask | mask);
    std::vector<int>& ids = impl->pattern_ids.emplace_back();
    for (size_t i = 0; i < signature.patterns.size(); ++i) {
      auto id = impl->set.add(signature.patterns[i]);
      if (!id) {
        Error error{ErrorCode::kBadPattern,
                    "pattern " + std::to_string(i + 1) + " '" + signature.patterns[i] +
                        "' does not compile: " + id.error().message,
                    signature.where};
        error.where.rule_id = signature.id;
        out.push_back(std::move(error));
        continue;
      }
      ids.push_back(*id);
      impl->pattern_owner.push_back(position);
    }
  }
  if (out.size() > errors_before) {
    return fail(out[errors_before]);
  }
  if (impl->set.size() > 0) {
    if (Status compiled = impl->set.compile(); !compiled) {
      Error error = compiled.error();
      error.message = "the signature set (" + std::to_string(impl->set.size()) +
                      " patterns) does not compile: " + error.message;
      out.push_back(error);
      return fail(std::move(error));
    }
    impl->compiled = true;
    impl->build_role_sets();
  }
  return std::unique_ptr<const SignatureIndex>(new SignatureIndex(std::move(impl)));
}

const std::vector<RuleInfo>& SignatureIndex::signatures() const {
  return impl_->signatures;
}

size_t SignatureIndex::pattern_count() const {
  return impl_->set.size();
}

bool SignatureIndex::scans(size_t position, core::Role role) const {
  return (impl_->role_mask[position] >> role_bit(role) & 1u) != 0;
}

bool SignatureIndex::any_scans(core::Role role) const {
  return (impl_->any_mask >> role_bit(role) & 1u) != 0;
}

bool SignatureIndex::has_own_set(core::Role role) const {
  return impl_->role_sets[role_bit(role)] != nullptr;
}

std::vector<size_t> SignatureIndex::match(std::string_view text, core::Role role) const {
  std::vector<size_t> hits;
  if (!impl_->compiled || !any_scans(role)) {
    return hits;
  }
  // The role's own set when it has one (its ids map to the main set's), else the main set.
  const RoleSet* own = impl_->role_sets[role_bit(role)].get();
  const match::PatternSet& set = own != nullptr ? own->set : impl_->set;
  for (int set_id : set.candidates(text)) {  // ascending ids: positions come in order
    const int id = own != nullptr ? own->main_ids[static_cast<size_t>(set_id)] : set_id;
    const size_t position = impl_->pattern_owner[static_cast<size_t>(id)];
    if (!scans(position, role) || (!hits.empty() && hits.back() == position)) {
      continue;  // not scanned, or another pattern of the signature already hit
    }
    if (set.matches(set_id, text)) {
      hits.push_back(position);
    }
  }
  return hits;
}

bool SignatureIndex::first_span(size_t position, std::string_view text, size_t& begin,
                                size_t& end) const {
  // Each pattern's first match (find() stops there; listing every match cost more than all the
  // matching of a long text), the earliest of them; on a tie the earlier pattern's.
  bool found = false;
  for (int id : impl_->pattern_ids[position]) {
    if (std::optional<match::MatchSpan> span = impl_->set.find(id, text)) {
      if (!found || span->begin < begin) {
        begin = span->begin;
        end = span->end;
        found = true;
      }
    }
  }
  return found;
}

uint64_t SignatureIndex::fallback_count() const {
  uint64_t count = impl_->set.fallback_count();
  for (const std::unique_ptr<RoleSet>& own : impl_->role_sets) {
    count += own != nullptr ? own->set.fallback_count() : 0;
  }
  return count;
}

std::string excerpt_around(std::string_view text, size_t begin, size_t end, size_t limit) {
  constexpr std::string_view kMore = "...";
  if (text.size() <= limit) {
    return std::string(text);
  }
  begin = std::min(begin, text.size());
  end = std::clamp(end, begin, text.size());
  const size_t room = limit - 2 * kMore.size();
  // The span itself, cut to the room, then context split evenly around it.
  size_t from = begin;
  size_t to = std::min(end, begin + room);
  const size_t context = room - (to - from);
  const size_t before = std::min(from, context / 2);
  from -= before;
  to = std::min(text.size(), to + (context - before));
  from -= std::min(from, room - (to - from));  // near the end: use what is left before
  while (from > 0 && from < text.size() && is_continuation(text[from])) {
    ++from;
  }
  while (to < text.size() && to > from && is_continuation(text[to])) {
    --to;
  }
  std::string out;
  if (from > 0) {
    out.append(kMore);
  }
  out.append(text.substr(from, to - from));
  if (to < text.size()) {
    out.append(kMore);
  }
  return out;
}

}  // namespace convaudit::rulehost
