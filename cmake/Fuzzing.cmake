# The libFuzzer build (preset `fuzz`, HITLGATE_FUZZ=ON): clang with
# coverage instrumentation, AddressSanitizer and UBSan on every library the
# targets link, so libFuzzer sees (and the sanitizers check) our code, not
# just the target files.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "HITLGATE_FUZZ needs clang (libFuzzer): use the fuzz preset or scripts/fuzz.sh")
endif()
if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
  # clang 14 lacks conditionally trivial special members (P0848), which
  # libstdc++ 12's std::expected relies on.
  message(FATAL_ERROR "HITLGATE_FUZZ needs clang 16 or newer (Debian clang-16), found ${CMAKE_CXX_COMPILER_VERSION}")
endif()
# libstdc++ 12 offers <expected> only when __cpp_concepts >= 202002L. clang 16
# implements what that needs (P0848) but still reports 201907L, so the
# macro is raised to let libstdc++'s std::expected through.
add_compile_options(-U__cpp_concepts -D__cpp_concepts=202002L -Wno-builtin-macro-redefined)
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer -gline-tables-only)
add_link_options(-fsanitize=address,undefined)
