#pragma once
#ifdef __cplusplus
extern "C"
#endif
    unsigned lib_a_checksum(const char *text);
