/* A C source: analyzed with the C compile command (no findings). */
#include "lib_a/checksum.h"

unsigned lib_a_checksum(const char *text) {
  unsigned sum = 0;
  while (*text)
    sum = sum * 31 + (unsigned char)*text++;
  return sum;
}
