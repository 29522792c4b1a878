# Sanitizer and fuzzer builds, each in a build directory of its own (scripts/test.sh --sanitize,
# scripts/fuzz.sh), and the fuzz targets (tests/fuzz). Included after every target exists.
#   REGNET_SANITIZE: lib/core and everything linking it (test_core, regnet-explore) built with
#     -fsanitize=address,undefined; undefined behaviour aborts instead of printing and going on.
#   REGNET_FUZZ (clang only): the same, lib/core instrumented for libFuzzer, and the fuzz_*
#     binaries with a bounded "fuzz: KIND" ctest run each (REGNET_FUZZ_SECONDS).
option(REGNET_SANITIZE "Build lib/core and its users with AddressSanitizer and UBSan" OFF)
option(REGNET_FUZZ "Build the libFuzzer targets of tests/fuzz (needs clang)" OFF)
set(REGNET_FUZZ_SECONDS 15 CACHE STRING "Seconds ctest runs each fuzz target (REGNET_FUZZ)")

set(regnet_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
get_property(regnet_modules GLOBAL PROPERTY REGNET_CORE_MODULES)
if(REGNET_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "REGNET_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
    # report/analysis.cpp captures structured bindings in lambdas, which clang < 16 refuses
    # (P1091); the fuzz targets need none of it, so this build leaves it out (and builds only
    # fuzz_targets).
    get_target_property(report_sources regnet_report SOURCES)
    list(FILTER report_sources EXCLUDE REGEX "/analysis\\.cpp$")
    set_target_properties(regnet_report PROPERTIES SOURCES "${report_sources}")
  endif()
  foreach(module ${regnet_modules})
    target_compile_options(${module} PUBLIC ${regnet_sanitizers} -fsanitize=fuzzer-no-link)
    target_link_options(${module} PUBLIC ${regnet_sanitizers})
  endforeach()
elseif(REGNET_SANITIZE)
  foreach(module ${regnet_modules})
    target_compile_options(${module} PUBLIC ${regnet_sanitizers})
    target_link_options(${module} PUBLIC ${regnet_sanitizers})
  endforeach()
endif()
if((REGNET_FUZZ OR REGNET_SANITIZE) AND REGNET_WITH_TORCH)
  message(WARNING "sanitizers with REGNET_WITH_TORCH: lib/train is instrumented too (slow); use -DREGNET_WITH_TORCH=OFF")
endif()

if(REGNET_BUILD_TESTS)
  add_subdirectory(tests/fuzz)
endif()
