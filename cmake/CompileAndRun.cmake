# untangle_compile_and_run(<name> <source> [LEVELS <flags>...] [EXPECT <file>])
# Adds one ctest per (compiler, level) that compiles <source> as a user would
# (`c++ -std=c++20 -I runtime/include -pthread`, warning-free at -Wall -Wextra) and runs it;
# with EXPECT, the program's stdout must equal that file.
set(UNTANGLE_TEST_COMPILERS "${CMAKE_CXX_COMPILER}" CACHE STRING "Compilers the compile-and-run tests use")
find_program(UNTANGLE_CLANGXX NAMES clang++-22 PATHS /usr/lib/llvm-22/bin)
if(UNTANGLE_CLANGXX AND NOT UNTANGLE_CLANGXX STREQUAL CMAKE_CXX_COMPILER)
  list(APPEND UNTANGLE_TEST_COMPILERS "${UNTANGLE_CLANGXX}")
  list(REMOVE_DUPLICATES UNTANGLE_TEST_COMPILERS)
endif()

function(untangle_compile_and_run name source)
  cmake_parse_arguments(ARG "" "EXPECT" "LEVELS" ${ARGN})
  if(NOT ARG_LEVELS)
    set(ARG_LEVELS -O1)
  endif()
  foreach(compiler ${UNTANGLE_TEST_COMPILERS})
    get_filename_component(cname ${compiler} NAME)
    foreach(level ${ARG_LEVELS})
      set(test "compile.${name}.${cname}${level}")
      add_test(NAME ${test} COMMAND ${CMAKE_COMMAND}
        -DCOMPILER=${compiler} -DLEVEL=${level} -DSOURCE=${source}
        -DINCLUDE=${PROJECT_SOURCE_DIR}/runtime/include
        -DBINARY=${CMAKE_CURRENT_BINARY_DIR}/compiled/${name}-${cname}${level}
        -DEXPECT=${ARG_EXPECT}
        -P ${PROJECT_SOURCE_DIR}/cmake/compile_and_run_script.cmake)
      set_tests_properties(${test} PROPERTIES TIMEOUT 600)
    endforeach()
  endforeach()
endfunction()
