// Findings in headers follow the header filter, as in clang-tidy.
// RUN: %check_untangle %s untangle-callback-nesting %t -- -- -I %inputs
// RUN: %check_untangle -check-suffix=HEADERS %s untangle-callback-nesting %t -- --header-filter='pyramid_header' -- -I %inputs
// RUN: %check_untangle -check-suffix=HEADERS %s untangle-callback-nesting %t -- --config="{HeaderFilterRegex: '.*_header\.h'}" -- -I %inputs
#include "pyramid_header.h"
// CHECK-MESSAGES-HEADERS: pyramid_header.h:6:62: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
// CHECK-MESSAGES-HEADERS: pyramid_header.h:5:3: note: level 1: callback of this asynchronous call to 'read_file'
// CHECK-MESSAGES-HEADERS: pyramid_header.h:6:5: note: level 2: callback of this asynchronous call to 'write_file'

void use(Loop &loop) { pyramid_in_header(loop); }
