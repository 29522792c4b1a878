#pragma once
// Test helpers: temporary directories and small synthetic datasets written in the real formats.
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace regnet::test {

// A fresh directory under $TMPDIR, removed when the object goes.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "regnet-test-XXXXXX").string();
    path = mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

inline void write_bytes(const std::string& path, const std::vector<std::uint8_t>& b) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

inline void put_be32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}

// IDX image + label files for `images` (n x rows x cols, row-major) and `labels`.
inline void write_idx(const std::string& images_path, const std::string& labels_path,
                      const std::vector<std::uint8_t>& images, const std::vector<std::uint8_t>& labels, int rows,
                      int cols) {
  std::vector<std::uint8_t> b;
  put_be32(b, 0x803);
  put_be32(b, static_cast<std::uint32_t>(labels.size()));
  put_be32(b, rows);
  put_be32(b, cols);
  b.insert(b.end(), images.begin(), images.end());
  write_bytes(images_path, b);
  std::vector<std::uint8_t> l;
  put_be32(l, 0x801);
  put_be32(l, static_cast<std::uint32_t>(labels.size()));
  l.insert(l.end(), labels.begin(), labels.end());
  write_bytes(labels_path, l);
}

// A learnable 28x28 two-class problem for a translation-invariant network: class 0 has
// horizontal stripes (period 4), class 1 vertical ones, over deterministic noise. Train and test
// files in `dir`, gzipped like Fashion-MNIST when `gzip` is true.
inline void write_synthetic_idx(const std::string& dir, int n_train, int n_test, bool gzip = true) {
  std::uint32_t s = 12345;
  auto rnd = [&] { return s = s * 1664525u + 1013904223u; };
  auto make = [&](int n, std::vector<std::uint8_t>& px, std::vector<std::uint8_t>& lb) {
    for (int i = 0; i < n; ++i) {
      const int label = i % 2;
      const int phase = static_cast<int>(rnd() >> 30);
      lb.push_back(static_cast<std::uint8_t>(label));
      for (int r = 0; r < 28; ++r)
        for (int c = 0; c < 28; ++c) {
          const bool on = (((label == 0 ? r : c) + phase) / 2) % 2 == 0;
          const int v = static_cast<int>(rnd() >> 25) + (on ? 100 : 20);
          px.push_back(static_cast<std::uint8_t>(v));
        }
    }
  };
  std::vector<std::uint8_t> trx, trl, tex, tel;
  make(n_train, trx, trl);
  make(n_test, tex, tel);
  write_idx(dir + "/train-images-idx3-ubyte", dir + "/train-labels-idx1-ubyte", trx, trl, 28, 28);
  write_idx(dir + "/t10k-images-idx3-ubyte", dir + "/t10k-labels-idx1-ubyte", tex, tel, 28, 28);
  if (gzip) {
    const std::string cmd = "gzip -f '" + dir + "'/*-ubyte";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("gzip failed");
  }
}

}  // namespace regnet::test
