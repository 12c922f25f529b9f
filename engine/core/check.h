#pragma once
// CONVAUDIT_CHECK(cond): aborts with file and line when an internal invariant is broken, in every
// build. Never use it on anything input can influence; that is an Error, not a bug.

#include <cstdio>
#include <cstdlib>

#define CONVAUDIT_CHECK(cond)                                                        \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: internal check failed: %s\n", __FILE__, __LINE__, \
                   #cond);                                                           \
      std::abort();                                                                  \
    }                                                                                \
  } while (false)
