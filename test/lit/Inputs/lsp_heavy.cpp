// A callback pyramid on Boost.Asio, whose headers make one analysis take seconds
// (tool/lsp-background.test: requests during an analysis, cancellation, progress).
#include <boost/asio.hpp>

void pyramid(boost::asio::steady_timer &timer) {
  timer.async_wait([&](boost::system::error_code) {
    timer.async_wait([&](boost::system::error_code) {
      timer.async_wait([](boost::system::error_code) {});
    });
  });
}
