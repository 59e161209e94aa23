#include "lib_a/a.h"
#include "lib_a/checksum.h"
#include "lib_b/b.h"

int main() {
  lib_a::backup("notes.txt");
  lib_b::run_jobs();
  return lib_a_checksum("untangle") == 0;
}
