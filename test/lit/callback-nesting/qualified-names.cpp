// Name-list options follow clang-tidy's convention: a leading `::` names the global
// function only; a name without `:` names it in any namespace.
// RUN: %check_untangle -check-suffix=GLOBAL %s untangle-callback-nesting %t \
// RUN:   -- --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1, untangle-callback-nesting.AsyncFunctions: '::query'}}"
// RUN: %check_untangle -check-suffix=ANY %s untangle-callback-nesting %t \
// RUN:   -- --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1, untangle-callback-nesting.AsyncFunctions: 'query'}}"
// RUN: %check_untangle -check-suffix=NS %s untangle-callback-nesting %t \
// RUN:   -- --config="{CheckOptions: {untangle-callback-nesting.MaxDepth: 1, untangle-callback-nesting.AsyncFunctions: '::ns::query$'}}"
#include <functional>

// `f` is not named like a completion handler: only the option makes these asynchronous.
void query(int key, std::function<void(int)> f);
namespace ns {
void query(int key, std::function<void(int)> f);
void query_all(std::function<void(int)> f);
} // namespace ns

void global_query() {
  query(1, [](int) {
    query(2, [](int) {});
    // CHECK-MESSAGES-GLOBAL: :[[@LINE-1]]:14: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
    // CHECK-MESSAGES-ANY: :[[@LINE-2]]:14: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
  });
}

void namespaced_query() {
  ns::query(1, [](int) {
    ns::query(2, [](int) {});
    // CHECK-MESSAGES-ANY: :[[@LINE-1]]:18: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
    // CHECK-MESSAGES-NS: :[[@LINE-2]]:18: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
  });
}

// The regexes are not anchored (as in clang-tidy): `query` also names `query_all`;
// `::ns::query$` ends at `query` and does not.
void other_name() {
  ns::query_all([](int) { ns::query_all([](int) {}); });
  // CHECK-MESSAGES-ANY: :[[@LINE-1]]:41: warning: asynchronous callback nested 2 levels deep (maximum is 1) [untangle-callback-nesting]
}
