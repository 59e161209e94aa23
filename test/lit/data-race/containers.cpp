// RUN: %check_untangle %s untangle-data-race %t
// Standard containers: a member that may insert or erase writes the container, one
// that only finds or reads it reads it ([container.requirements.dataraces]).
#include <map>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

// --- 1. map::operator[] inserts a missing key: a write of the map -------------------
std::map<int, int> cache1;
void index_map_twice() {
  std::thread t([] { cache1[1] = 10; });
  cache1[2] = 20;
  // CHECK-MESSAGES: :[[@LINE-2]]:22: warning: data race on 'cache1': written here
  t.join();
}
std::map<int, int> cache1b;
void index_map_after_join() {
  std::thread t([] { cache1b[1] = 10; }); // no-race
  t.join();
  cache1b[2] = 20;                        // no-race
}

// --- 2. unordered_map::operator[] too, even when only reading the value -------------
std::unordered_map<std::string, int> hits2;
int read_through_subscript() {
  std::thread t([] { hits2["a"]++; });
  int n = hits2["b"];
  // CHECK-MESSAGES: :[[@LINE-2]]:22: warning: data race on 'hits2': written here
  t.join();
  return n;
}
std::unordered_map<std::string, int> hits2b;
int find_in_parallel() {
  std::thread t([] { (void)hits2b.find("a"); }); // no-race
  auto it = hits2b.find("b");                    // no-race
  int n = it == hits2b.end() ? 0 : it->second;   // no-race
  t.join();
  return n;
}

// --- 3. emplace / insert / erase / clear write the container ------------------------
std::map<int, std::string> names3;
void emplace_and_erase() {
  std::thread t([] { names3.emplace(1, "one"); });
  names3.erase(2);
  // CHECK-MESSAGES: :[[@LINE-2]]:22: warning: data race on 'names3': written here
  t.join();
}
std::map<int, std::string> names3b;
void emplace_then_count() {
  std::thread t([] { (void)names3b.count(1); }); // no-race
  (void)names3b.at(1);                           // no-race
  t.join();
  names3b.clear();                               // no-race
}

// --- 4. push_back / resize / assignment on a vector --------------------------------
std::vector<int> items4;
void push_and_resize() {
  std::thread t([] { items4.push_back(1); });
  items4.resize(8);
  // CHECK-MESSAGES: :[[@LINE-2]]:22: warning: data race on 'items4': written here
  t.join();
}
std::vector<int> items4b;
int size_and_front() {
  std::thread t([] { (void)items4b.size(); }); // no-race
  int first = items4b.front();                 // no-race
  t.join();
  items4b = {1, 2};                            // no-race
  return first;
}
std::vector<int> items4c;
void assign_in_parallel() {
  std::thread t([] { items4c = {1, 2, 3}; });
  (void)items4c.empty();
  // CHECK-MESSAGES: :[[@LINE-2]]:22: warning: data race on 'items4c': written here
  t.join();
}

// --- 5. at() on a non-const map reads it ------------------------------------------
std::map<int, int> limits5;
int at_in_parallel() {
  std::thread t([] { (void)limits5.at(1); }); // no-race
  int v = limits5.at(2);                      // no-race
  t.join();
  return v;
}
