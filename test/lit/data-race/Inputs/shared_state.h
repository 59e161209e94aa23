#pragma once
// Declared in a header: other files may use it as a plain int, so no fix-it.
inline int header_counter = 0;
