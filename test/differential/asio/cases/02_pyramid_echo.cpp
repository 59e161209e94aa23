// differential asio: rewrite
// differential untangle: rewrite
// Nested lambdas over Boost.Asio (a pyramid, not a flat chain): a server that accepts,
// reads five bytes and echoes them, and a client that connects, writes and reads back.
// With RewriteTarget asio each becomes a net::awaitable coroutine; with untangle the
// runtime's Task driven by from_callback.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>
#include <boost/asio.hpp>

namespace net = boost::asio;
using tcp = net::ip::tcp;

std::vector<std::string> server_log, client_log;

void serve(tcp::acceptor &acceptor, tcp::socket &peer, std::string &inbox) {
  acceptor.async_accept(peer, [&](boost::system::error_code ec) {
    if (ec)
      return;
    net::async_read(peer, net::dynamic_buffer(inbox), net::transfer_exactly(5),
                    [&](boost::system::error_code ec, std::size_t n) {
                      if (ec)
                        return;
                      server_log.push_back("got " + inbox + " (" + std::to_string(n) + ")");
                      net::async_write(peer, net::buffer(inbox),
                                       [&](boost::system::error_code ec, std::size_t n) {
                                         server_log.push_back("echoed " + std::to_string(n));
                                       });
                    });
  });
}

int main() {
  net::io_context io;
  tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), 0});
  tcp::socket peer(io), client(io);
  std::string inbox, reply(5, '\0');
  serve(acceptor, peer, inbox);
  client.async_connect(acceptor.local_endpoint(), [&](boost::system::error_code ec) {
    if (ec)
      return;
    net::async_write(client, net::buffer("hello", 5),
                     [&](boost::system::error_code ec, std::size_t n) {
                       client_log.push_back("sent " + std::to_string(n));
                       net::async_read(client, net::buffer(reply),
                                       [&](boost::system::error_code ec, std::size_t n) {
                                         client_log.push_back("got back " + reply);
                                       });
                     });
  });
  io.run();
  for (const std::string &line : server_log)
    std::printf("server: %s\n", line.c_str());
  for (const std::string &line : client_log)
    std::printf("client: %s\n", line.c_str());
}
