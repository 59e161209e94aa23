// A consumer of the installed runtime: a pipeline of coroutine tasks joined by channels on an
// event loop, whose last stage hops onto a thread pool and back. The packaging test checks
// the line it prints.
#include <untangle/runtime.hpp>

#include <cstdio>
#include <optional>

using untangle::Channel;
using untangle::Task;

Task<void> produce(Channel<int> out, int n) {
  for (int i = 1; i <= n; ++i) co_await out.send(i);
  out.close();
}

Task<void> square(Channel<int> in, Channel<int> out) {
  while (std::optional<int> v = co_await in.recv()) co_await out.send(*v * *v);
  out.close();
}

Task<int> sum_on_pool(untangle::EventLoop& loop, untangle::ThreadPool& pool, Channel<int> in) {
  int sum = 0;
  while (std::optional<int> v = co_await in.recv()) sum += *v;
  co_await pool.schedule();
  bool on_pool = untangle::ThreadPool::current() == &pool && !loop.on_loop_thread();
  co_await loop.schedule();
  co_return on_pool ? sum : -1;
}

int main() {
  untangle::EventLoop loop;
  untangle::ThreadPool pool(2);
  Channel<int> numbers;     // unbuffered
  Channel<int> squares(4);  // buffered
  untangle::spawn(produce(numbers, 10));
  untangle::spawn(square(numbers, squares));
  int sum = untangle::sync_wait(loop, sum_on_pool(loop, pool, squares));
  std::printf("untangle consumer: sum of squares 1..10 = %d\n", sum);
  return sum == 385 ? 0 : 1;
}
