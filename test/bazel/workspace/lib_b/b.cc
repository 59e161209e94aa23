#include "lib_b/b.h"
#include "shared/async.h"

void lib_b::submit(std::function<void()> job) { job(); }

#if LIB_B_JOBS // the target's `copts`: without them, no pyramid and no finding
void lib_b::run_jobs() {
  submit([] {
    submit([] {
      submit([] { copy_later("jobs", "jobs.old"); }); // FINDING: untangle-callback-nesting
    });
  });
}
#endif
