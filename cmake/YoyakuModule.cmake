# yoyaku_module(NAME SOURCES a.cpp ... DEPS t1 ... [TESTS a_test.cpp ...] [TEST_DEPS ...])
# Makes the static library yoyaku_<NAME> and, when TESTS are given, the test binary
# yoyaku_<NAME>_tests whose cases carry the CTest label "unit".
function(yoyaku_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;TESTS;TEST_DEPS" ${ARGN})
  add_library(yoyaku_${name} STATIC ${M_SOURCES})
  target_include_directories(yoyaku_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(yoyaku_${name} PUBLIC ${M_DEPS})
  if(YOYAKU_TESTS AND M_TESTS)
    add_executable(yoyaku_${name}_tests ${M_TESTS})
    target_link_libraries(yoyaku_${name}_tests PRIVATE yoyaku_${name} ${M_TEST_DEPS}
                          GTest::gtest GTest::gmock GTest::gtest_main)
    gtest_discover_tests(yoyaku_${name}_tests PROPERTIES LABELS unit
                         ENVIRONMENT "TZ=UTC" DISCOVERY_TIMEOUT 60)
  endif()
endfunction()
