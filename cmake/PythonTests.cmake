# Registers every unittest method of the test_*.py files in DIR as its own ctest test named
# "<PREFIX>:<module>.<Class>.<method>", so ctest counts and reports each one.
#   zdu_add_python_tests(PREFIX p DIR d LABEL l [PYTHONPATH dirs…] [ENVIRONMENT vars…])
find_package(Python3 3.9 REQUIRED COMPONENTS Interpreter)
set(ZDU_LIST_TESTS_DIR ${PROJECT_SOURCE_DIR}/test/integration)

function(zdu_add_python_tests)
  cmake_parse_arguments(arg "" "PREFIX;DIR;LABEL" "PYTHONPATH;ENVIRONMENT" ${ARGN})
  file(GLOB files CONFIGURE_DEPENDS ${arg_DIR}/test_*.py)
  # The glob only notices files coming and going; editing a file must also re-list its methods.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               ${files} ${ZDU_LIST_TESTS_DIR}/harness/list_tests.py)
  list(APPEND arg_PYTHONPATH ${ZDU_LIST_TESTS_DIR})
  string(REPLACE ";" ":" pythonpath "${arg_PYTHONPATH}")
  zdu_list_python_tests(ids "${files}" "${arg_DIR}" "${pythonpath}")
  set(env PYTHONPATH=${pythonpath} PYTHONDONTWRITEBYTECODE=1 ${arg_ENVIRONMENT})
  foreach(id IN LISTS ids)
    add_test(NAME "${arg_PREFIX}:${id}"
             COMMAND ${Python3_EXECUTABLE} -m unittest -v ${id}
             WORKING_DIRECTORY ${arg_DIR})
    set_tests_properties("${arg_PREFIX}:${id}" PROPERTIES
                         ENVIRONMENT "${env}"
                         TIMEOUT 300
                         LABELS ${arg_LABEL}
                         SKIP_REGULAR_EXPRESSION "OK \\(skipped=")
  endforeach()
endfunction()

# The unittest ids of `files`; a file whose methods cannot be listed counts as one test, which
# then shows the error when run.
function(zdu_list_python_tests out files dir pythonpath)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${pythonpath}
            ${Python3_EXECUTABLE} -B -m harness.list_tests ${files}
    WORKING_DIRECTORY ${dir}
    OUTPUT_VARIABLE listed
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    set(listed "")
    foreach(file IN LISTS files)
      get_filename_component(stem ${file} NAME_WE)
      string(APPEND listed "${stem}\n")
    endforeach()
    string(STRIP "${listed}" listed)
  endif()
  string(REPLACE "\n" ";" listed "${listed}")
  set(${out} "${listed}" PARENT_SCOPE)
endfunction()
