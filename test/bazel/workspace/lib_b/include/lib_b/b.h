#pragma once
#include <functional>

namespace lib_b {
// Runs `job` later; asynchronous by lib_b/.untangle (`job` is no completion handler name).
void submit(std::function<void()> job);
void run_jobs();
} // namespace lib_b
