//===--- WorkerProcess.cpp - analyses in a process of their own ----------===//

#include "lsp/WorkerProcess.h"
#include "lsp/PreambleAnalysis.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/LSP/Logging.h"
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <optional>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace lsp = llvm::lsp;

namespace untangle {

namespace {

bool writeAll(int FD, llvm::StringRef Data) {
  while (!Data.empty()) {
    ssize_t Written = ::write(FD, Data.data(), Data.size());
    if (Written < 0 && errno == EINTR)
      continue;
    if (Written <= 0)
      return false;
    Data = Data.drop_front(Written);
  }
  return true;
}

std::string lineOf(const llvm::json::Value &Message) {
  return llvm::formatv("{0}\n", Message).str();
}

void closeIfOpen(int &FD) {
  if (FD >= 0)
    ::close(FD);
  FD = -1;
}

std::optional<AnalysisReply> parseReply(llvm::StringRef Line) {
  llvm::Expected<llvm::json::Value> Message = llvm::json::parse(Line);
  if (!Message) {
    llvm::consumeError(Message.takeError());
    return std::nullopt;
  }
  AnalysisReply Reply;
  llvm::json::Path::Root Root;
  if (!fromJSON(*Message, Reply, Root))
    return std::nullopt;
  return Reply;
}

/// The worker's: SIGUSR1 came (WorkerProcess::cancel) since the request was read.
volatile std::sig_atomic_t AnalysisAbandoned = 0;

void abandonAnalysis(int) { AnalysisAbandoned = 1; }

} // namespace

WorkerProcess::WorkerProcess(std::vector<std::string> Command)
    : Command(std::move(Command)) {}

WorkerProcess::~WorkerProcess() {
  std::lock_guard<std::mutex> Lock(Mutex);
  if (Pid > 0) {
    closeIfOpen(ToWorker); // An idle worker ends when its input does.
    closeIfOpen(FromWorker);
    ::kill(Pid, SIGKILL);
    ::waitpid(Pid, nullptr, 0);
  }
}

bool WorkerProcess::start(std::string &Error) {
  int Requests[2], Replies[2];
  // O_CLOEXEC: the next worker must not inherit this one's pipes, or its input would
  // never end.
  if (::pipe2(Requests, O_CLOEXEC) != 0) {
    Error = std::strerror(errno);
    return false;
  }
  if (::pipe2(Replies, O_CLOEXEC) != 0) {
    Error = std::strerror(errno);
    ::close(Requests[0]);
    ::close(Requests[1]);
    return false;
  }
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, Requests[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&Actions, Replies[1], STDOUT_FILENO);
  // The server ignores SIGPIPE (a dead worker's pipe); the worker need not.
  posix_spawnattr_t Attributes;
  posix_spawnattr_init(&Attributes);
  sigset_t Default;
  sigemptyset(&Default);
  sigaddset(&Default, SIGPIPE);
  posix_spawnattr_setsigdefault(&Attributes, &Default);
  posix_spawnattr_setflags(&Attributes, POSIX_SPAWN_SETSIGDEF);
  std::vector<char *> Argv;
  for (const std::string &Arg : Command)
    Argv.push_back(const_cast<char *>(Arg.c_str()));
  Argv.push_back(nullptr);
  pid_t Started = -1;
  const int Failed =
      posix_spawn(&Started, Argv[0], &Actions, &Attributes, Argv.data(), environ);
  posix_spawn_file_actions_destroy(&Actions);
  posix_spawnattr_destroy(&Attributes);
  ::close(Requests[0]);
  ::close(Replies[1]);
  if (Failed) {
    Error = "cannot start '" + Command[0] + "': " + std::strerror(Failed);
    ::close(Requests[1]);
    ::close(Replies[0]);
    return false;
  }
  Pid = Started;
  KeptPreambles.clear();
  ToWorker = Requests[1];
  FromWorker = Replies[0];
  return true;
}

std::string WorkerProcess::reap() {
  int Status = 0;
  pid_t Ended = -1;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    closeIfOpen(ToWorker);
    closeIfOpen(FromWorker);
    while ((Ended = ::waitpid(Pid, &Status, 0)) < 0 && errno == EINTR) {
    }
    Pid = -1;
  }
  if (Ended < 0)
    return "ended, status unknown";
  if (WIFSIGNALED(Status))
    return llvm::formatv("was killed by signal {0} ({1})", WTERMSIG(Status),
                         strsignal(WTERMSIG(Status)))
        .str();
  return llvm::formatv("exited with code {0}", WEXITSTATUS(Status)).str();
}

WorkerProcess::Outcome
WorkerProcess::analyze(const AnalysisRequest &Request, std::chrono::milliseconds SlowAfter,
                       llvm::unique_function<void()> WhenSlow,
                       llvm::function_ref<void(AnalysisReply)> WhenEarly) {
  Outcome Result;
  int Input, Output;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    if (CancelRequested) {
      Result.Kind = Outcome::Cancelled;
      return Result;
    }
    std::string Error;
    if (Pid < 0 && !start(Error)) {
      Result.Crash = Error;
      return Result;
    }
    Busy = true;
    Analyzing = Request.Documents[Request.Main].Path;
    Input = ToWorker;
    Output = FromWorker;
  }
  auto Finish = [&](decltype(Outcome::Kind) Kind) {
    std::lock_guard<std::mutex> Lock(Mutex);
    Busy = false;
    Result.Kind = CancelRequested ? Outcome::Cancelled : Kind;
    return std::move(Result);
  };

  // An early reply (AnalysisReply::Early) may come before the whole one.
  std::string Received, Line;
  std::optional<AnalysisReply> Parsed;
  if (writeAll(Input, lineOf(toJSON(Request)))) {
    auto Deadline = std::chrono::steady_clock::now() + SlowAfter;
    char Buffer[65536];
    for (;;) {
      if (const size_t End = Received.find('\n'); End != std::string::npos) {
        Line = Received.substr(0, End + 1);
        Received.erase(0, End + 1);
        Parsed = parseReply(Line);
        if (!Parsed || !Parsed->Early)
          break;
        keepsPreamble(Parsed->KeepsPreamble);
        WhenEarly(std::move(*Parsed));
        Line.clear();
        continue;
      }
      pollfd Wait{Output, POLLIN, 0};
      int Timeout = -1;
      if (WhenSlow)
        Timeout = static_cast<int>(std::max<int64_t>(
            0, std::chrono::duration_cast<std::chrono::milliseconds>(
                   Deadline - std::chrono::steady_clock::now())
                   .count()));
      const int Ready = ::poll(&Wait, 1, Timeout);
      if (Ready < 0 && errno == EINTR)
        continue;
      if (Ready == 0) {
        std::exchange(WhenSlow, nullptr)();
        continue;
      }
      const ssize_t Read = Ready < 0 ? -1 : ::read(Output, Buffer, sizeof Buffer);
      if (Read < 0 && errno == EINTR)
        continue;
      if (Read <= 0)
        break;
      Received.append(Buffer, Read);
    }
  }
  if (Line.empty()) {
    // No whole reply: the worker is gone.
    Result.Crash = reap();
    return Finish(Outcome::Crashed);
  }
  if (!Parsed) {
    Result.Crash = "sent a reply that is not an analysis";
    {
      std::lock_guard<std::mutex> Lock(Mutex);
      ::kill(Pid, SIGKILL);
    }
    reap();
    return Finish(Outcome::Crashed);
  }
  Result.Reply = std::move(*Parsed);
  keepsPreamble(Result.Reply.KeepsPreamble);
  return Finish(Outcome::Analyzed);
}

void WorkerProcess::keepsPreamble(bool Keeps) {
  std::lock_guard<std::mutex> Lock(Mutex);
  if (Keeps)
    KeptPreambles.insert(Analyzing);
  else
    KeptPreambles.erase(Analyzing);
}

void WorkerProcess::prepare() {
  std::lock_guard<std::mutex> Lock(Mutex);
  CancelRequested = false;
}

void WorkerProcess::cancel() { cancel(/*EvenWithPreamble=*/false); }

void WorkerProcess::abort() { cancel(/*EvenWithPreamble=*/true); }

void WorkerProcess::cancel(bool EvenWithPreamble) {
  std::lock_guard<std::mutex> Lock(Mutex);
  CancelRequested = true;
  if (!Busy || Pid < 0)
    return;
  if (!EvenWithPreamble && KeptPreambles.contains(Analyzing)) {
    // What is left is short, but the library's instantiations are not: the worker
    // stops them and answers (runAnalysisWorker).
    ::kill(Pid, SIGUSR1);
    return;
  }
  // The worker stays a zombie until reap(): its pid cannot be reused before.
  ::kill(Pid, SIGKILL);
}

int runAnalysisWorker(const ServerSettings &Settings) {
  // The pipe to the server is the worker's stdout; whatever clang prints goes to stderr.
  std::cout.flush();
  const int Replies = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
  if (Replies < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    lsp::Logger::error("analysis worker: cannot set stdout aside: {0}",
                       std::strerror(errno));
    return 1;
  }
  // Tests only: a document containing this text crashes the worker, as a bug in clang
  // or a rule would (lsp-crash.test).
  const char *CrashMarker = std::getenv("UNTANGLE_LSP_TEST_CRASH_MARKER");
  // A few documents keep their preamble: an editor switches between a handful.
  std::optional<PreambleStore> Preambles;
  if (Settings.Preamble)
    Preambles.emplace(/*Capacity=*/3);
  // A cancel of an analysis with a kept preamble: the rest of it is abandoned, the
  // worker and its preambles stay. SA_RESTART: reading the next request goes on.
  struct sigaction Abandon = {};
  Abandon.sa_handler = abandonAnalysis;
  Abandon.sa_flags = SA_RESTART;
  sigemptyset(&Abandon.sa_mask);
  ::sigaction(SIGUSR1, &Abandon, nullptr);
  EarlyReplies Early;
  Early.Send = [Replies](const AnalysisReply &Reply) {
    writeAll(Replies, lineOf(toJSON(Reply)));
  };
  Early.Abandoned = [] { return AnalysisAbandoned != 0; };
  std::string Line;
  while (std::getline(std::cin, Line)) {
    AnalysisAbandoned = 0;
    llvm::Expected<llvm::json::Value> Message = llvm::json::parse(Line);
    AnalysisRequest Request;
    llvm::json::Path::Root Root;
    if (!Message || !fromJSON(*Message, Request, Root)) {
      lsp::Logger::error("analysis worker: malformed request: {0}",
                         Message ? llvm::toString(Root.getError())
                                 : llvm::toString(Message.takeError()));
      return 1;
    }
    if (CrashMarker && *CrashMarker &&
        llvm::StringRef(Request.Documents[Request.Main].Text).contains(CrashMarker))
      std::raise(SIGSEGV);
    if (!writeAll(Replies,
                  lineOf(toJSON(analyzeDocument(Request, Settings,
                                                Preambles ? &*Preambles : nullptr, &Early)))))
      return 1;
  }
  return 0;
}

} // namespace untangle
