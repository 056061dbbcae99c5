# find_package(Taskflow 3.8.0) for ICICLE's CPU backend, answered by OneirOS's header-only
# stand-in (include/taskflow/taskflow.hpp) instead of a clone of the real project.
if(NOT TARGET Taskflow::Taskflow)
  find_package(Threads REQUIRED)
  add_library(Taskflow::Taskflow INTERFACE IMPORTED GLOBAL)
  set_target_properties(Taskflow::Taskflow PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${CMAKE_CURRENT_LIST_DIR}/include"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()
set(Taskflow_FOUND TRUE)
