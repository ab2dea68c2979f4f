# hitlgate_module(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
#   One static library per module, named hitlgate_<NAME>. Public headers live
#   in include/hitlgate/; modules meet only through them.
function(hitlgate_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(hitlgate_${name} STATIC ${M_SOURCES})
  target_include_directories(hitlgate_${name} PUBLIC ${HITLGATE_SOURCE_DIR}/include
                                              PRIVATE ${HITLGATE_SOURCE_DIR}/src)
  target_link_libraries(hitlgate_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
endfunction()

# hitlgate_test(NAME SOURCES ... DEPS ... [LABELS unit|integration|slow])
#   One gtest executable per module; every TEST is its own ctest entry.
function(hitlgate_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT HITLGATE_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  target_include_directories(${name} PRIVATE ${HITLGATE_SOURCE_DIR}/include ${HITLGATE_SOURCE_DIR}/src
                                             ${HITLGATE_SOURCE_DIR}/test)
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
      HITLGATE_SHARED_DATA="${HITLGATE_SHARED_DATA}"
      HITLGATE_SOURCE_DIR="${HITLGATE_SOURCE_DIR}")
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
