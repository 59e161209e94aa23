// A Boost.Beast session with a callback pyramid, the heavy file of the editor
// latencies (bench/lsp_latency.py): its headers take seconds to parse.
#include <boost/asio.hpp>
#include <boost/beast.hpp>

namespace beast = boost::beast;
namespace http = beast::http;

void session(boost::asio::ip::tcp::socket &socket, beast::flat_buffer &buffer,
             http::request<http::string_body> &request,
             http::response<http::string_body> &response) {
  http::async_read(socket, buffer, request, [&](beast::error_code, std::size_t) {
    http::async_write(socket, response, [&](beast::error_code, std::size_t) {
      http::async_read(socket, buffer, request, [](beast::error_code, std::size_t) {});
    });
  });
}
