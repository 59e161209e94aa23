// A simulated stock ticker: the multi-value case a single promise cannot express.
// Three exchange feeds (coroutines writing quotes into channels, in bursts) are merged into
// one Observable, debounced so each burst counts once when it has settled, and averaged per
// symbol with scan. Deterministic: the feeds are seeded random walks, and the bursts are far
// apart compared to the debounce window. See docs/runtime.md, "Observables".
#include <untangle/runtime.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

using namespace std::chrono_literals;
using untangle::Channel;
using untangle::EventLoop;
using untangle::Observable;
using untangle::Task;

struct Quote {
  std::string symbol;
  double price;
};

// A simulated exchange feed: every 100 ms a burst of three quotes (a seeded random walk),
// the first burst after `offset`; closes the channel after `bursts` bursts.
Task<void> feed(Channel<Quote> out, std::string symbol, double price, unsigned seed,
                EventLoop::Clock::duration offset, int bursts) {
  co_await untangle::sleep_for(offset);
  for (int b = 0; b < bursts; ++b) {
    for (int i = 0; i < 3; ++i) {
      seed = seed * 1103515245u + 12345u;
      price += static_cast<int>((seed >> 16) % 201) / 100.0 - 1.0;
      Quote q{symbol, price};
      co_await out.send(q);
    }
    co_await untangle::sleep_for(100ms);
  }
  out.close();
}

Observable<Quote> ticker(std::string symbol, double price, unsigned seed, EventLoop::Clock::duration offset) {
  Channel<Quote> ch;
  untangle::spawn(feed(ch, std::move(symbol), price, seed, offset, 5));
  return untangle::from_channel(ch);
}

int main() {
  EventLoop loop;
  // Several symbols merged into one stream; debounce keeps the last quote of each burst
  // (a burst is settled 20 ms after its last quote); scan keeps a running average per symbol.
  using Averages = std::map<std::string, std::pair<double, int>>;
  auto lines = untangle::merge(ticker("AAPL", 190.0, 1, 0ms), ticker("MSFT", 410.0, 2, 33ms),
                               ticker("NVDA", 120.0, 3, 66ms))
                   .debounce(20ms)
                   .scan(std::pair<Averages, std::string>{}, [](std::pair<Averages, std::string> acc, const Quote& q) {
                     auto& [sum, n] = acc.first[q.symbol];
                     sum += q.price;
                     ++n;
                     char line[80];
                     std::snprintf(line, sizeof line, "%s %.2f (average %.2f)", q.symbol.c_str(), q.price, sum / n);
                     acc.second = line;
                     return acc;
                   });
  lines.subscribe([](const std::pair<Averages, std::string>& acc) { std::printf("%s\n", acc.second.c_str()); },
                  nullptr, [] { std::printf("market closed\n"); });
  loop.run();
}
