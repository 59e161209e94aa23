#!/usr/bin/env bash
# Measures untangle against `clang-22 -fsyntax-only` on the same file with the same flags:
# median wall time of N runs each, interleaved, all rules on. The budget (issue 4) is
# untangle <= 1.2x clang. The results cache is off (--no-cache): with it, every run after the
# first would time a cache hit (the cache's own cold/warm figures are in bench/README.md,
# "Whole trees").
# Usage: bench/tool_speed.sh [build dir] [runs]    (default: build, 7)
# Files: the bundled examples, and a cpprestsdk client (needs libcpprest-dev).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
runs="${2:-7}"
untangle="$build/tool/untangle"
clang=/usr/lib/llvm-22/bin/clang
flags=(-std=c++20 -I"$root/runtime/include" -pthread)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/cpprest_client.cpp" <<'CPP'
// A callback-heavy cpprestsdk client: nested .then() continuations.
#include <cpprest/http_client.h>
#include <cpprest/json.h>
#include <iostream>
using namespace web::http;
using namespace web::http::client;
void crawl(http_client &client) {
  client.request(methods::GET, U("/users")).then([&](http_response users) {
    return users.extract_json().then([&](web::json::value list) {
      return client.request(methods::GET, U("/orders")).then([&](http_response orders) {
        return orders.extract_string().then([&](utility::string_t body) {
          std::cout << list.size() << " users, " << body.size() << " bytes\n";
        });
      });
    });
  }).wait();
}
int main() {
  http_client client(U("http://127.0.0.1:1"));
  try { crawl(client); } catch (...) {}
}
CPP

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }

files=("$root"/examples/*.cpp)
[[ -d /usr/include/cpprest ]] && files+=("$work/cpprest_client.cpp")
printf '%-22s %10s %10s %7s\n' file clang_s untangle_s ratio
for file in "${files[@]}"; do
  : > "$work/clang"; : > "$work/untangle"
  for ((i = 0; i < runs; i++)); do
    seconds "$clang" -fsyntax-only "${flags[@]}" "$file" >> "$work/clang"
    seconds "$untangle" --quiet --no-cache "$file" -- "${flags[@]}" >> "$work/untangle"
  done
  c=$(median < "$work/clang"); u=$(median < "$work/untangle")
  printf '%-22s %10.3f %10.3f %7.2f\n' "$(basename "$file")" "$c" "$u" "$(echo "$u / $c" | bc -l)"
done
