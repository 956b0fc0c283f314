# Unit-test runners (tests/unit/test.h, tests/unit/unit_tests.c), libuv's
# way: one executable per area holds that area's suites and runs those its
# arguments name (`unit-tests 'mcp_*'`); ctest lists each suite as a test
# of its own, running `<runner> <suite>`.

# fantaco_unit_runner(<target>): a runner with no suites yet. Its table of
# suites is written at generate time, so suites may be added afterwards
# from anywhere in the same directory.
function(fantaco_unit_runner target)
    add_executable(${target} ${PROJECT_SOURCE_DIR}/tests/unit/unit_tests.c)
    set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target}.suites)
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit ${dir})
    set_property(TARGET ${target} PROPERTY FANTACO_SUITES "")
    set(suites "$<TARGET_PROPERTY:${target},FANTACO_SUITES>")
    file(GENERATE OUTPUT ${dir}/unit_suites.h CONTENT
         "/* Written by cmake/unit_tests.cmake: the suites ${target} runs. */\n$<$<BOOL:${suites}>:UNIT_SUITE($<JOIN:${suites},)\nUNIT_SUITE(>)\n>")
endfunction()

# fantaco_runner_suite(<target> <suite> [<source> <libraries>...]): suite
# <suite> of runner <target>, registered with ctest. <source> (a test file
# whose TEST_MAIN names no suite) is compiled into the runner with
# TEST_SUITE_NAME=<suite> and the libraries are linked; without it, the
# suite is one that an earlier source defines with TEST_SUITE.
function(fantaco_runner_suite target suite)
    if(ARGC GREATER 2)
        set(src ${ARGV2})
        list(SUBLIST ARGN 1 -1 libs)
        target_sources(${target} PRIVATE ${src})
        set_property(SOURCE ${src} APPEND PROPERTY COMPILE_DEFINITIONS TEST_SUITE_NAME=${suite})
        target_link_libraries(${target} PRIVATE ${libs})
    endif()
    set_property(TARGET ${target} APPEND PROPERTY FANTACO_SUITES ${suite})
    add_test(NAME ${suite} COMMAND ${target} ${suite})
endfunction()
