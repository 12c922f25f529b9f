# Shared build settings: INTERFACE targets linked by every target, and the component helper.

add_library(convaudit_warnings INTERFACE)
target_compile_options(convaudit_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough)
if(CONVAUDIT_WERROR)
  target_compile_options(convaudit_warnings INTERFACE -Werror)
endif()
# GCC 12 at -O3 reports -Wrestrict inside libstdc++ for `"x" + std::string` (a false positive,
# GCC bug 105329, fixed in GCC 13); it stopped the release preset's build. Only -O3 on GCC 12
# sees it, so only that combination loses the warning.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(convaudit_warnings INTERFACE $<$<CONFIG:Release>:-Wno-restrict>)
endif()

add_library(convaudit_options INTERFACE)
target_include_directories(convaudit_options INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_definitions(convaudit_options INTERFACE
  CONVAUDIT_VERSION="${PROJECT_VERSION}"
  CONVAUDIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
if(CONVAUDIT_SANITIZE)
  list(JOIN CONVAUDIT_SANITIZE "," _sanitizers)
  target_compile_options(convaudit_options INTERFACE -fsanitize=${_sanitizers}
    -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(convaudit_options INTERFACE -fsanitize=${_sanitizers})
endif()

# convaudit_component(NAME x SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# creates the static library convaudit_x with the alias convaudit::x.
function(convaudit_component)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(convaudit_${ARG_NAME} STATIC ${ARG_SOURCES})
  add_library(convaudit::${ARG_NAME} ALIAS convaudit_${ARG_NAME})
  target_link_libraries(convaudit_${ARG_NAME}
    PUBLIC convaudit_options ${ARG_PUBLIC_DEPS}
    PRIVATE convaudit_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# convaudit_add_tests(NAME SOURCES ... DEPS ...) creates convaudit_NAME_tests, registered with
# CTest through catch_discover_tests.
function(convaudit_add_tests NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(convaudit_${NAME}_tests ${ARG_SOURCES})
  target_link_libraries(convaudit_${NAME}_tests PRIVATE convaudit_test_main convaudit_warnings
    convaudit_options ${ARG_DEPS})
  catch_discover_tests(convaudit_${NAME}_tests TEST_PREFIX "${NAME}." PROPERTIES
    ENVIRONMENT "CONVAUDIT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
