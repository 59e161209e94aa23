#pragma once
#include <string>

inline std::string backup_name(const std::string &file) { return file + ".bak"; }
