#pragma once
// A whole file mapped read-only into memory (mmap): random access to a large file without
// reading it, shared between threads and, through the page cache, between processes.
#include <cstddef>
#include <cstdint>
#include <string>

namespace regnet {

// A view of bytes owned elsewhere.
struct ByteSpan {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
};

class MappedFile {
 public:
  // Maps `path`; a missing or unreadable file is a UserError naming it. An empty file maps to
  // an empty span.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  ByteSpan bytes() const { return {static_cast<const std::uint8_t*>(data_), size_}; }
  const std::string& path() const { return path_; }
  // Tells the kernel that reads will be random (no read-ahead beyond the page touched).
  void advise_random() const;

 private:
  std::string path_;
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace regnet
