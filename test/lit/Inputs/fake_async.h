// Small stand-ins for asynchronous APIs, so that the tests need no third-party headers.
#pragma once
#include <functional>
#include <string>
#include <system_error>

// (b): parameters named like completion handlers.
void read_file(const std::string &path,
               std::function<void(std::error_code, std::string)> done);
void write_file(const std::string &path, const std::string &data,
                std::function<void(std::error_code)> callback);
void compress(const std::string &data, void (*on_done)(std::error_code, std::string));
template <class Handler> void resolve(const std::string &host, Handler &&handler) {}
void connect(int port, std::function<void(std::error_code)> on_connect);
void send(int socket, std::function<void(std::error_code)> completion_handler);
void fetch(const std::string &url, std::function<void(std::string)> cb);

// Not completion handlers: the names or the types say otherwise.
void for_each_line(const std::string &text, std::function<void(std::string)> visit);
void set_limit(int handler);

struct Loop {
  void post(std::function<void()> callback);
  void set_timeout(int ms, std::function<void()> callback);
};
