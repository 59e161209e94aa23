// An HTTP-ish request handler: authenticate the caller, load the user, load their
// orders, render a page and send it, with a timeout on the slow query. Every service
// takes an error-first completion handler and completes on the event loop.
//
// untangle reports the pyramid once, where it crosses the maximum depth, and says
// how deep it goes.
#include <untangle/runtime.hpp>

#include <chrono>
#include <functional>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

using namespace std::chrono_literals;

struct Request {
  std::string token;
  std::string path;
};
struct User {
  int id;
  std::string name;
};

class Services {
public:
  explicit Services(untangle::EventLoop &loop) : loop_(loop) {}

  void authenticate(const std::string &token,
                    std::function<void(std::error_code, int)> callback) {
    loop_.post([token, callback = std::move(callback)] {
      if (token != "secret")
        return callback(std::make_error_code(std::errc::permission_denied), 0);
      callback({}, 42);
    });
  }
  void load_user(int id, std::function<void(std::error_code, User)> callback) {
    loop_.post([id, callback = std::move(callback)] { callback({}, User{id, "ada"}); });
  }
  void load_orders(int user_id,
                   std::function<void(std::error_code, std::vector<int>)> callback) {
    loop_.set_timeout(5ms, [callback = std::move(callback)] { callback({}, {7, 11}); });
  }
  void send(std::string body, std::function<void(std::error_code)> on_sent) {
    loop_.post([body = std::move(body), on_sent = std::move(on_sent)] {
      std::cout << "HTTP/1.1 200 OK\n\n" << body;
      on_sent({});
    });
  }

private:
  untangle::EventLoop &loop_;
};

void handle(untangle::EventLoop &loop, Services &services, Request request) {
  services.authenticate(request.token, [&, request](std::error_code ec, int user_id) {
    if (ec)
      return services.send("403\n", [](std::error_code) {});
    services.load_user(user_id, [&](std::error_code ec, User user) {
      if (ec)
        return services.send("500\n", [](std::error_code) {});
      bool timed_out = false;
      loop.set_timeout(100ms, [&timed_out] { timed_out = true; });
      services.load_orders(user.id, [&, user](std::error_code ec, std::vector<int> orders) {
        std::string page = "<h1>" + user.name + "</h1>\n";
        for (int order : orders)
          page += "<li>order " + std::to_string(order) + "</li>\n";
        services.send(page, [user](std::error_code ec) {
          std::cout << (ec ? "send failed" : "sent") << " to user " << user.id << "\n";
        });
      });
    });
  });
}

int main() {
  untangle::EventLoop loop;
  Services services(loop);
  handle(loop, services, Request{"secret", "/orders"});
  loop.run();
}
