#include "lib_a/a.h"
#include "lib_a/a_paths.h"
#include "shared/async.h"

#if LIB_A_BACKUPS // the target's `defines`: without them, no pyramid and no finding
void lib_a::backup(const std::string &file) {
  read_file(file, [file](int, std::string text) {
    write_file(backup_name(file), text, [file](int) {
      later([file] { copy_later(file, backup_name(file)); }); // FINDING: untangle-callback-nesting
    });
  });
}
#endif
