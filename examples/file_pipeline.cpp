// A backup job in classic callback style: read a file, compress it, write it out,
// then record the result in a manifest. Each step is an asynchronous operation of a
// small fake file system that completes on the event loop, error first.
//
// untangle reports the pyramid: the write's callback is nested 3 levels deep.
#include <untangle/runtime.hpp>

#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <system_error>

using namespace std::chrono_literals;

class FakeFileSystem {
public:
  explicit FakeFileSystem(untangle::EventLoop &loop) : loop_(loop) {}

  void read_file(const std::string &path,
                 std::function<void(std::error_code, std::string)> done) {
    loop_.set_timeout(2ms, [this, path, done = std::move(done)] {
      auto it = files_.find(path);
      if (it == files_.end())
        return done(std::make_error_code(std::errc::no_such_file_or_directory), "");
      done({}, it->second);
    });
  }

  void write_file(const std::string &path, std::string data,
                  std::function<void(std::error_code)> done) {
    loop_.post([this, path, data = std::move(data), done = std::move(done)] {
      files_[path] = data;
      done({});
    });
  }

  std::map<std::string, std::string> files_{{"notes.txt", "aaaaabbbbbcccccddddd"}};

private:
  untangle::EventLoop &loop_;
};

// Run-length encoding on the loop, standing in for a CPU-heavy step run elsewhere.
void compress(untangle::EventLoop &loop, std::string text,
              std::function<void(std::error_code, std::string)> on_compressed) {
  loop.post([text = std::move(text), on_compressed = std::move(on_compressed)] {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
      std::size_t j = i;
      while (j < text.size() && text[j] == text[i])
        ++j;
      out += std::to_string(j - i) + text[i];
      i = j;
    }
    on_compressed({}, out);
  });
}

void backup(untangle::EventLoop &loop, FakeFileSystem &fs, const std::string &path) {
  fs.read_file(path, [&loop, &fs, path](std::error_code ec, std::string text) {
    if (ec) {
      std::cerr << "read " << path << ": " << ec.message() << "\n";
      return;
    }
    compress(loop, text, [&fs, path](std::error_code ec, std::string packed) {
      if (ec)
        return;
      fs.write_file(path + ".rle", packed, [&fs, path](std::error_code ec) {
        if (ec)
          return;
        fs.write_file("manifest", path + ".rle", [path](std::error_code ec) {
          std::cout << "backed up " << path << (ec ? " (manifest failed)" : "") << "\n";
        });
      });
    });
  });
}

int main() {
  untangle::EventLoop loop;
  FakeFileSystem fs(loop);
  backup(loop, fs, "notes.txt");
  loop.run();
  std::cout << "notes.txt.rle = " << fs.files_["notes.txt.rle"] << "\n";
}
