#pragma once
// Result<T>: a value or an Error. A thin [[nodiscard]] wrapper over tl::expected (1.0.0 has
// no [[nodiscard]]). Status is Result<void>.
//
//   Result<int> parse(std::string_view s) {
//     if (s.empty()) return fail(ErrorCode::kBadField, "empty");
//     return 42;
//   }
//   auto r = parse(x);
//   if (!r) std::cerr << format_error(r.error());

#include <tl/expected.hpp>

#include <string>
#include <utility>

#include "engine/core/error.h"

namespace convaudit {

template <class T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
 public:
  using tl::expected<T, Error>::expected;
  Result(tl::expected<T, Error> other)  // NOLINT(google-explicit-constructor)
      : tl::expected<T, Error>(std::move(other)) {}
};

using Status = Result<void>;

// An ok Status.
inline Status ok_status() { return {}; }

// Builds the error side of any Result: `return fail(ErrorCode::kIo, "cannot open", {path});`
inline tl::unexpected<Error> fail(ErrorCode code, std::string message,
                                  SourceLocation where = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(where)});
}
inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

}  // namespace convaudit
