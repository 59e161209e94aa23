#pragma once
#include <string>

namespace lib_a {
void backup(const std::string &file);
}
