# Warnings are errors, everywhere in our code. The g++ builds enforce them;
# the clang build (fuzzing only) shows clang's own as warnings.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_compile_options(-Wall -Wextra -Wno-missing-field-initializers)
  return()
endif()
add_compile_options(-Wall -Wextra -Werror -Wshadow=local -Wnon-virtual-dtor
                    -Wno-missing-field-initializers)

# g++ 12 at -O3 reports false positives through inlined standard-library code
# (-Wrestrict in std::string operator+, GCC bug 105651; -Wmaybe-uninitialized
# through std::chrono and std::optional). They stay warnings in optimized
# builds; the dev and sanitizer builds, which run the tests, keep them errors.
if(CMAKE_BUILD_TYPE STREQUAL "Release")
  add_compile_options(-Wno-error=restrict -Wno-error=maybe-uninitialized
                      -Wno-error=stringop-overflow -Wno-error=array-bounds
                      -Wno-error=stringop-overread -Wno-error=dangling-pointer)
endif()
