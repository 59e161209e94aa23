// A chain of one million nested co_awaits must neither overflow the stack nor leak, at every
// optimization level and with both compilers (see untangle/detail/resume.hpp). Run by ctest
// as compile.deep_chain.<compiler><level>, with the stack limited to 8 MiB by the default.
#include <untangle/runtime.hpp>

#include <cstdio>

namespace {
int frames_alive = 0;
struct FrameCounter {
  FrameCounter() { ++frames_alive; }
  ~FrameCounter() { --frames_alive; }
};

untangle::Task<long> nested(int depth) {
  FrameCounter alive;
  if (depth == 0) co_return 0;
  long below = co_await nested(depth - 1);
  co_return below + 1;
}

untangle::Task<void> nested_void(int depth) {
  FrameCounter alive;
  if (depth > 0) co_await nested_void(depth - 1);
}
}  // namespace

int main() {
  constexpr int depth = 1'000'000;
  untangle::EventLoop loop;
  long result = untangle::sync_wait(loop, nested(depth));
  untangle::sync_wait(loop, nested_void(depth));
  std::printf("depth %ld, frames alive %d\n", result, frames_alive);
  return result == depth && frames_alive == 0 ? 0 : 1;
}
