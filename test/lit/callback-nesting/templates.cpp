// A template is reported once, not once per instantiation; generic lambdas and
// dependent calls are seen through their instantiations.
// RUN: %check_untangle %s untangle-callback-nesting %t -- -- -I %inputs
#include "fake_async.h"

template <class Stream> struct Session {
  Stream &stream;
  void start(Loop &loop) {
    stream.read([this, &loop](std::error_code, std::string data) {
      stream.write(data, [this, &loop](std::error_code) {
        loop.post([] {});
        // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
        // CHECK-MESSAGES: :[[@LINE-4]]:12: note: level 1: callback of this asynchronous call to 'read'
        // CHECK-MESSAGES: :[[@LINE-4]]:14: note: level 2: callback of this asynchronous call to 'write'
      });
    });
  }
};

struct FileStream {
  void read(std::function<void(std::error_code, std::string)> handler);
  void write(std::string, std::function<void(std::error_code)> handler);
};
struct SocketStream {
  void read(std::function<void(std::error_code, std::string)> handler);
  void write(std::string, std::function<void(std::error_code)> handler);
};

template <class T> void generic(Loop &loop, T value) {
  read_file("in", [&](auto ec, auto text) {
    write_file("out", text, [&](auto ec2) {
      loop.post([value] {});
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: asynchronous callback nested 3 levels deep (maximum is 2) [untangle-callback-nesting]
      // CHECK-MESSAGES: :[[@LINE-4]]:3: note: level 1: callback of this asynchronous call to 'read_file'
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: level 2: callback of this asynchronous call to 'write_file'
    });
  });
}

void instantiate(Loop &loop, FileStream &f, SocketStream &s) {
  Session<FileStream>{f}.start(loop);
  Session<SocketStream>{s}.start(loop);
  generic(loop, 1);
  generic(loop, 2.0);
}
