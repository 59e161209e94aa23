# Interface targets for the other libraries' event loops the project builds against:
#   untangle_asio    standalone Asio (header-only; libasio-dev)
#   untangle_libuv   libuv (libuv1-dev)
# Used by the benchmarks (peers measured in the same binary) and by the runtime test
# foreign_loop_test (coroutines resumed by those loops). Safe to include more than once.
if(TARGET untangle_asio)
  return()
endif()
find_package(Threads REQUIRED)

# Standalone Asio is header-only: only its include path is needed. Debian's asio.hpp defines
# ASIO_STANDALONE itself when Boost's config is not in use; we define it anyway so a Boost
# install next to it can never switch Asio into Boost mode.
find_path(UNTANGLE_ASIO_INCLUDE_DIR asio.hpp)
if(NOT UNTANGLE_ASIO_INCLUDE_DIR)
  message(FATAL_ERROR "standalone Asio (asio.hpp) not found: apt-get install libasio-dev")
endif()
add_library(untangle_asio INTERFACE)
target_include_directories(untangle_asio SYSTEM INTERFACE "${UNTANGLE_ASIO_INCLUDE_DIR}")
target_compile_definitions(untangle_asio INTERFACE ASIO_STANDALONE)
target_link_libraries(untangle_asio INTERFACE Threads::Threads)
# Under TSan, Asio's fenced blocks (std::atomic_thread_fence around each handler) are
# something TSan does not model, and g++ rejects them (-Wtsan, an error with -Werror). Asio
# hands handlers between threads through its scheduler's mutex, which TSan does see, so
# without the fences TSan checks the same synchronisation.
if(UNTANGLE_SANITIZE MATCHES "thread")
  target_compile_definitions(untangle_asio INTERFACE ASIO_DISABLE_FENCED_BLOCK)
endif()

# libuv: pkg-config first, a plain library search as the fallback.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(UNTANGLE_LIBUV QUIET IMPORTED_TARGET GLOBAL libuv)
endif()
add_library(untangle_libuv INTERFACE)
if(UNTANGLE_LIBUV_FOUND)
  target_link_libraries(untangle_libuv INTERFACE PkgConfig::UNTANGLE_LIBUV)
else()
  find_path(UNTANGLE_LIBUV_INCLUDE_DIR uv.h)
  find_library(UNTANGLE_LIBUV_LIBRARY uv)
  if(NOT UNTANGLE_LIBUV_INCLUDE_DIR OR NOT UNTANGLE_LIBUV_LIBRARY)
    message(FATAL_ERROR "libuv not found: apt-get install libuv1-dev")
  endif()
  target_include_directories(untangle_libuv SYSTEM INTERFACE "${UNTANGLE_LIBUV_INCLUDE_DIR}")
  target_link_libraries(untangle_libuv INTERFACE "${UNTANGLE_LIBUV_LIBRARY}" ${CMAKE_DL_LIBS})
endif()
