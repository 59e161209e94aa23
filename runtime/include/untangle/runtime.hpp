// untangle/runtime.hpp — everything the runtime offers. See docs/runtime.md.
#pragma once

#include "errors.hpp"
#include "loop.hpp"
#include "promise.hpp"
#include "task.hpp"
#include "from_callback.hpp"
#include "thunk.hpp"
#include "sleep.hpp"
#include "generator.hpp"
#include "cancellation.hpp"
#include "thread_pool.hpp"
#include "channel.hpp"
#include "select.hpp"
#include "async_generator.hpp"
#include "observable.hpp"
#include "when_all.hpp"
#include "sync.hpp"
