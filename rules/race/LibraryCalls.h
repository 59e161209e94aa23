//===--- LibraryCalls.h - what C library calls do to memory -----*- C++ -*-===//
//
// The one table of C library functions whose memory effects untangle-data-race knows.
// Their bodies are not in the translation unit, so without the table `memcpy(buf, ..)`
// would access nothing and `strtok` would look pure. Each row says, per pointer
// argument, whether the call reads or writes what it points to (and whether it frees
// it: a free writes the whole object, so it races with any access), and for the
// non-reentrant functions which hidden state of the library they read or write: two
// parallel calls of `strtok` race on its saved position although the program names no
// variable. docs/rules/untangle-data-race.md lists the same table for users.
//
//===----------------------------------------------------------------------===//

#ifndef UNTANGLE_RULES_RACE_LIBRARYCALLS_H
#define UNTANGLE_RULES_RACE_LIBRARYCALLS_H

#include "llvm/ADT/StringRef.h"

namespace clang::tidy::untangle {

/// The effect of one library call. `Args` has one letter per parameter: `r` reads the
/// pointee, `w` writes it, `f` frees it (a write of the whole object), `-` nothing;
/// for a synchronization object (a mutex, a barrier), `i` initializes or destroys it
/// (a write of its own state) and `s` synchronizes on it (a read: operations on it are
/// atomic with each other, not with its init or destroy).
/// A trailing `*` applies the letter before it to every further (variadic) argument of
/// pointer type: `printf("%s", s)` reads `s`. `State` names the hidden state a
/// non-reentrant function reads (`StateWrite` false) or writes; empty for none.
struct LibraryCall {
  llvm::StringLiteral Name;
  llvm::StringLiteral Args;
  llvm::StringLiteral State = "";
  bool StateWrite = true;
};

inline constexpr LibraryCall LibraryCalls[] = {
    // Memory and strings.
    {"memcpy", "wr-"}, {"memmove", "wr-"}, {"memset", "w--"}, {"memcmp", "rr-"},
    {"memchr", "r--"}, {"bzero", "w-"}, {"strcpy", "wr"}, {"strncpy", "wr-"},
    {"strcat", "wr"}, {"strncat", "wr-"}, {"strlen", "r"}, {"strnlen", "r-"},
    {"strcmp", "rr"}, {"strncmp", "rr-"}, {"strcasecmp", "rr"}, {"strchr", "r-"},
    {"strrchr", "r-"}, {"strstr", "rr"}, {"strdup", "r"}, {"strndup", "r-"},
    {"strtol", "r--"}, {"strtoul", "r--"}, {"strtod", "r-"}, {"atoi", "r"},
    {"atol", "r"}, {"atof", "r"}, {"strtok_r", "wrw"},
    // Formatted output into a buffer, and to a stream.
    {"sprintf", "wrr*"}, {"snprintf", "w-rr*"}, {"printf", "rr*"}, {"fprintf", "-rr*"},
    {"sscanf", "rrw*"}, {"scanf", "rw*"}, {"fscanf", "-rw*"},
    // Input fills the buffer; output reads it.
    {"read", "-w-"}, {"pread", "-w--"}, {"recv", "-w--"}, {"recvfrom", "-w----"},
    {"fread", "w---"}, {"fgets", "w--"}, {"write", "-r-"}, {"pwrite", "-r--"},
    {"send", "-r--"}, {"sendto", "-r----"}, {"fwrite", "r---"}, {"puts", "r"},
    {"fputs", "r-"},
    // Deallocation writes the whole object.
    {"free", "f"}, {"realloc", "f-"},
    // Synchronization objects: initialized and destroyed, or used.
    {"pthread_mutex_init", "i-"}, {"pthread_mutex_destroy", "i"},
    {"pthread_mutex_lock", "s"}, {"pthread_mutex_trylock", "s"},
    {"pthread_mutex_timedlock", "s-"}, {"pthread_mutex_unlock", "s"},
    {"pthread_rwlock_init", "i-"}, {"pthread_rwlock_destroy", "i"},
    {"pthread_rwlock_rdlock", "s"}, {"pthread_rwlock_wrlock", "s"},
    {"pthread_rwlock_tryrdlock", "s"}, {"pthread_rwlock_trywrlock", "s"},
    {"pthread_rwlock_unlock", "s"}, {"pthread_spin_init", "i-"},
    {"pthread_spin_destroy", "i"}, {"pthread_spin_lock", "s"},
    {"pthread_spin_trylock", "s"}, {"pthread_spin_unlock", "s"},
    // POSIX lets a condition variable or a semaphore be destroyed once no thread is
    // blocked on it, as soon as a signal, broadcast or post has woken its waiters (a
    // poster may still be inside `sem_post`): their destroy is no write.
    {"pthread_cond_init", "i-"}, {"pthread_cond_destroy", "-"},
    {"pthread_cond_wait", "ss"}, {"pthread_cond_timedwait", "ss-"},
    {"pthread_cond_signal", "s"}, {"pthread_cond_broadcast", "s"},
    {"pthread_barrier_init", "i--"}, {"pthread_barrier_destroy", "i"},
    {"pthread_barrier_wait", "s"}, {"sem_init", "i--"}, {"sem_destroy", "-"},
    {"sem_wait", "s"}, {"sem_trywait", "s"}, {"sem_timedwait", "s-"},
    {"sem_post", "s"}, {"sem_getvalue", "sw"},
    // Non-reentrant functions and their hidden state.
    {"strtok", "wr", "strtok's saved position"},
    {"rand", "", "rand's seed"}, {"srand", "-", "rand's seed"},
    {"random", "", "random's state"}, {"srandom", "-", "random's state"},
    {"drand48", "", "drand48's state"}, {"lrand48", "", "drand48's state"},
    {"localtime", "r", "localtime/gmtime's static struct tm"},
    {"gmtime", "r", "localtime/gmtime's static struct tm"},
    {"asctime", "r", "asctime/ctime's static buffer"},
    {"ctime", "r", "asctime/ctime's static buffer"},
    {"strerror", "", "strerror's static buffer"},
    {"getenv", "r", "the environment", false},
    {"setenv", "rr-", "the environment"}, {"unsetenv", "r", "the environment"},
    {"putenv", "r", "the environment"},
    {"readdir", "-", "readdir's static entry"},
    {"gethostbyname", "r", "gethostbyname's static result"},
    {"inet_ntoa", "-", "inet_ntoa's static buffer"},
};

} // namespace clang::tidy::untangle

#endif // UNTANGLE_RULES_RACE_LIBRARYCALLS_H
