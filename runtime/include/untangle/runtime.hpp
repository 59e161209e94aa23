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
