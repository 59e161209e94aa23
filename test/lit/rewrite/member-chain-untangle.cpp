// RUN: %check_untangle %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1}}" -- -I %S/Inputs -I %runtime_include
// RUN: %check_untangle -check-suffix=ASIO %s untangle-callback-nesting %t -- \
// RUN:   --config="{CheckOptions: {untangle-callback-nesting.MaxChainLength: 1, untangle-callback-nesting.RewriteTarget: asio}}" -- -I %S/Inputs -I %runtime_include
// Flat chains of member functions over callback APIs that are not Asio (issue 13):
// RewriteTarget auto (and untangle) makes each one member coroutine of the runtime,
// untangle::Task started with untangle::spawn where the first call stood, each step
// `co_await untangle::from_callback<the next member's parameter types>(...)`, its body
// after it; `return` becomes `co_return`; the members only the chain used are removed.
// A member also used elsewhere, or an API that may call back more than once, is
// refused, byte-identical. RewriteTarget asio refuses them all.
#include "rewrite_api.h"
#include <memory>

using namespace std::placeholders;

// std::bind, a lambda keeping the object alive, std::bind_front; a plain call of the
// next member; early returns.
class loader : public std::enable_shared_from_this<loader> {
  int id_ = 0;

public:
  void run(const std::string &path) {
    read_file(path, std::bind(&loader::on_read, shared_from_this(), _1, _2));
  }
  void on_read(std::error_code ec, std::string text) {
    if (ec)
      return;
    fetch("http://host/" + text, [self = shared_from_this()](std::error_code ec, int status,
                                                             std::string body) {
      self->on_fetch(ec, status, body);
    });
  }
  void on_fetch(std::error_code ec, int status, std::string) {
    if (ec)
      return report(ec);
    id_ = status;
    store();
  }
  void store() { save(id_, std::bind_front(&loader::on_saved, shared_from_this())); }
  void on_saved(std::error_code ec) { report(ec); }
  void report(std::error_code ec);
};

// on_tick is also called from outside the chain: removing it would break that.
class ticker : public std::enable_shared_from_this<ticker> {
public:
  void start() { wait(1, std::bind(&ticker::on_tick, shared_from_this())); }
  void on_tick() { save(1, std::bind(&ticker::on_saved, shared_from_this(), _1)); }
  void on_saved(std::error_code) {}
};
void tick_now(std::shared_ptr<ticker> t) { t->on_tick(); }

// The handler of on_parsed is also kept as a value elsewhere.
class parser : public std::enable_shared_from_this<parser> {
  std::function<void(std::error_code, int)> keep_;

public:
  void start(const std::string &text) {
    parse(text, std::bind(&parser::on_parsed, shared_from_this(), _1, _2));
  }
  void on_parsed(std::error_code, int n) { save(n, std::bind_front(&parser::on_saved, shared_from_this())); }
  void on_saved(std::error_code) { keep_ = std::bind(&parser::on_parsed, this, _1, _2); }
};

// subscribe calls back once per message: a co_await would resume once.
class listener : public std::enable_shared_from_this<listener> {
public:
  void start() { wait(1, std::bind(&listener::on_ready, shared_from_this())); }
  void on_ready() { subscribe("news", std::bind(&listener::on_message, shared_from_this(), _1)); }
  void on_message(std::string text) {}
};
// CHECK-MESSAGES: :24:21: warning: chain of 3 asynchronous steps spread across functions, starting in 'loader::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :24:21: note: step 1: 'loader::run' continues asynchronously in 'loader::on_read'
// CHECK-MESSAGES: :31:7: note: step 2: 'loader::on_read' continues asynchronously in 'loader::on_fetch'
// CHECK-MESSAGES: :38:5: note: 'loader::on_fetch' calls 'loader::store', which continues the chain
// CHECK-MESSAGES: :40:28: note: step 3: 'loader::store' continues asynchronously in 'loader::on_saved'
// CHECK-MESSAGES: :48:26: warning: chain of 2 asynchronous steps spread across functions, starting in 'ticker::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :48:26: note: step 1: 'ticker::start' continues asynchronously in 'ticker::on_tick'
// CHECK-MESSAGES: :49:28: note: step 2: 'ticker::on_tick' continues asynchronously in 'ticker::on_saved'
// CHECK-MESSAGES: :52:47: note: no coroutine rewrite offered (flat-chain): 'on_tick' is also used outside the chain, which needs it as it is
// CHECK-MESSAGES: :60:17: warning: chain of 2 asynchronous steps spread across functions, starting in 'parser::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :60:17: note: step 1: 'parser::start' continues asynchronously in 'parser::on_parsed'
// CHECK-MESSAGES: :62:52: note: step 2: 'parser::on_parsed' continues asynchronously in 'parser::on_saved'
// CHECK-MESSAGES: :63:63: note: no coroutine rewrite offered (flat-chain): 'on_parsed' is also used outside the chain, which needs it as it is
// CHECK-MESSAGES: :69:26: warning: chain of 2 asynchronous steps spread across functions, starting in 'listener::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :69:26: note: step 1: 'listener::start' continues asynchronously in 'listener::on_ready'
// CHECK-MESSAGES: :70:39: note: step 2: 'listener::on_ready' continues asynchronously in 'listener::on_message'
// CHECK-MESSAGES: :70:21: note: no coroutine rewrite offered (flat-chain): 'subscribe' may call 'on_message' more than once; a co_await resumes once
// CHECK-MESSAGES-ASIO: :24:21: warning: chain of 3 asynchronous steps spread across functions, starting in 'loader::run' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-ASIO: :24:5: note: no coroutine rewrite offered (flat-chain): the step of 'run' calls 'read_file', not an Asio async_* operation taking a completion token (co_await needs one)
// CHECK-MESSAGES-ASIO: :48:26: warning: chain of 2 asynchronous steps spread across functions, starting in 'ticker::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-ASIO: :48:18: note: no coroutine rewrite offered (flat-chain): the step of 'start' calls 'wait', not an Asio async_* operation taking a completion token (co_await needs one)
// CHECK-MESSAGES-ASIO: :60:17: warning: chain of 2 asynchronous steps spread across functions, starting in 'parser::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-ASIO: :60:5: note: no coroutine rewrite offered (flat-chain): the step of 'start' calls 'parse', not an Asio async_* operation taking a completion token (co_await needs one)
// CHECK-MESSAGES-ASIO: :69:26: warning: chain of 2 asynchronous steps spread across functions, starting in 'listener::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES-ASIO: :69:18: note: no coroutine rewrite offered (flat-chain): the step of 'start' calls 'wait', not an Asio async_* operation taking a completion token (co_await needs one)
// CHECK-FIXES: #include <untangle/runtime.hpp>
// CHECK-FIXES: class loader : public std::enable_shared_from_this<loader> {
// CHECK-FIXES-NEXT:   int id_ = 0;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   void run(const std::string &path) {
// CHECK-FIXES-NEXT:     untangle::spawn(run_coroutine(shared_from_this(), path));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   untangle::Task<void> run_coroutine(std::shared_ptr<loader> self_2,
// CHECK-FIXES-NEXT:                                      std::string path) {
// CHECK-FIXES-NEXT:     auto [ec, text] =
// CHECK-FIXES-NEXT:         co_await untangle::from_callback<std::error_code, std::string>(
// CHECK-FIXES-NEXT:             [&](auto untangle_cb) { read_file(path, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     {
// CHECK-FIXES-NEXT:       auto [ec, status, unused_2] =
// CHECK-FIXES-NEXT:           co_await untangle::from_callback<std::error_code, int, std::string>(
// CHECK-FIXES-NEXT:               [&](auto untangle_cb) {
// CHECK-FIXES-NEXT:                 fetch("http://host/" + text, std::move(untangle_cb));
// CHECK-FIXES-NEXT:               });
// CHECK-FIXES-NEXT:       if (ec)
// CHECK-FIXES-NEXT:         co_return report(ec);
// CHECK-FIXES-NEXT:       id_ = status;
// CHECK-FIXES-NEXT:       ec = co_await untangle::from_callback<std::error_code>(
// CHECK-FIXES-NEXT:           [&](auto untangle_cb) { save(id_, std::move(untangle_cb)); });
// CHECK-FIXES-NEXT:       report(ec);
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void report(std::error_code ec);
// CHECK-FIXES-NEXT: };
// CHECK-FIXES: class ticker : public std::enable_shared_from_this<ticker> {
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   void start() { wait(1, std::bind(&ticker::on_tick, shared_from_this())); }
// CHECK-FIXES-NEXT:   void on_tick() { save(1, std::bind(&ticker::on_saved, shared_from_this(), _1)); }
// CHECK-FIXES-NEXT:   void on_saved(std::error_code) {}
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-NEXT: void tick_now(std::shared_ptr<ticker> t) { t->on_tick(); }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // The handler of on_parsed is also kept as a value elsewhere.
// CHECK-FIXES-NEXT: class parser : public std::enable_shared_from_this<parser> {
// CHECK-FIXES-NEXT:   std::function<void(std::error_code, int)> keep_;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   void start(const std::string &text) {
// CHECK-FIXES-NEXT:     parse(text, std::bind(&parser::on_parsed, shared_from_this(), _1, _2));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   void on_parsed(std::error_code, int n) { save(n, std::bind_front(&parser::on_saved, shared_from_this())); }
// CHECK-FIXES-NEXT:   void on_saved(std::error_code) { keep_ = std::bind(&parser::on_parsed, this, _1, _2); }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // subscribe calls back once per message: a co_await would resume once.
// CHECK-FIXES-NEXT: class listener : public std::enable_shared_from_this<listener> {
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   void start() { wait(1, std::bind(&listener::on_ready, shared_from_this())); }
// CHECK-FIXES-NEXT:   void on_ready() { subscribe("news", std::bind(&listener::on_message, shared_from_this(), _1)); }
// CHECK-FIXES-NEXT:   void on_message(std::string text) {}
// CHECK-FIXES-NEXT: };

// on_done is reached from two places: after the read's save, and after again()'s save.
class retry : public std::enable_shared_from_this<retry> {
public:
  void start() { read_file("a", std::bind(&retry::on_read, shared_from_this(), _1, _2)); }
  void on_read(std::error_code, std::string) {
    save(1, std::bind(&retry::on_done, shared_from_this(), _1));
  }
  void on_done(std::error_code) {}
  void again() { save(2, std::bind(&retry::on_done, shared_from_this(), _1)); }
};
// CHECK-MESSAGES: :160:33: warning: chain of 2 asynchronous steps spread across functions, starting in 'retry::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-MESSAGES: :165:44: note: no coroutine rewrite offered (flat-chain): 'on_done' is also used outside the chain, which needs it as it is
// CHECK-MESSAGES-ASIO: :160:33: warning: chain of 2 asynchronous steps spread across functions, starting in 'retry::start' (maximum is 1) [untangle-callback-nesting]
// CHECK-FIXES: void start() { read_file("a", std::bind(&retry::on_read, shared_from_this(), _1, _2)); }
// CHECK-FIXES-NEXT: void on_read(std::error_code, std::string) {
// CHECK-FIXES-NEXT: save(1, std::bind(&retry::on_done, shared_from_this(), _1));
