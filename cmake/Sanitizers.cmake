# Turns ZDU_SANITIZE / ZDU_FUZZ into compile and link flags for everything the build makes, and
# sets ZDU_SANITIZERS ("address,undefined", "thread" or empty) for the other CMakeLists.
string(TOLOWER "${ZDU_SANITIZE}" zdu_sanitize)
if(zdu_sanitize STREQUAL "" OR zdu_sanitize STREQUAL "off")
  set(ZDU_SANITIZERS "")
elseif(zdu_sanitize STREQUAL "on" OR zdu_sanitize STREQUAL "address,undefined")
  set(ZDU_SANITIZERS "address,undefined")
elseif(zdu_sanitize STREQUAL "thread")
  set(ZDU_SANITIZERS "thread")
else()
  message(FATAL_ERROR "ZDU_SANITIZE=${ZDU_SANITIZE}: use OFF, ON (address,undefined) or thread")
endif()

if(ZDU_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "ZDU_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(ZDU_SANITIZERS STREQUAL "thread")
    message(FATAL_ERROR "ZDU_FUZZ runs under ASan+UBSan, not with ZDU_SANITIZE=thread")
  endif()
  set(ZDU_SANITIZERS "address,undefined")
endif()

if(ZDU_SANITIZERS)
  # Every report is fatal (-fno-sanitize-recover): a test or fuzz run that hits undefined
  # behaviour fails instead of printing a line nobody reads.
  add_compile_options(-fsanitize=${ZDU_SANITIZERS} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${ZDU_SANITIZERS})
endif()

# The httpd module under ASan+UBSan. Debian's apache2 is not instrumented, so mod_zdu.so links
# clang's shared ASan runtime (-shared-libasan), which also holds the UBSan handlers, and httpd
# must be started with that runtime preloaded (ASan has to see every allocation from the first).
# ZDU_ASAN_RUNTIME is its path, empty where there is no module build: the integration tests give
# it to the harness as ZDU_HTTPD_PRELOAD. Other compilers, and the TSan build (for the stress
# test alone), leave the module, lbxml-gen's program and the integration tests out.
set(ZDU_ASAN_RUNTIME "")
if(ZDU_SANITIZERS STREQUAL "address,undefined" AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  execute_process(COMMAND ${CMAKE_CXX_COMPILER}
                          -print-file-name=libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so
                  OUTPUT_VARIABLE ZDU_ASAN_RUNTIME OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT IS_ABSOLUTE "${ZDU_ASAN_RUNTIME}" OR NOT EXISTS "${ZDU_ASAN_RUNTIME}")
    message(FATAL_ERROR "no shared ASan runtime (libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)"
                        " for ${CMAKE_CXX_COMPILER}: install libclang-rt-dev (scripts/deps.sh)")
  endif()
  message(STATUS "mod_zdu: sanitizers ${ZDU_SANITIZERS}; httpd preloads ${ZDU_ASAN_RUNTIME}")
elseif(ZDU_SANITIZERS)
  message(STATUS "mod_zdu: sanitizers ${ZDU_SANITIZERS}; httpd module and integration tests left out")
endif()
