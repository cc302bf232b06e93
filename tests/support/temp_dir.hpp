// SPDX-License-Identifier: AGPL-3.0-or-later
// Test helpers: a private temporary directory removed on destruction (also when a test fails).
#pragma once

#include <string>

namespace pct::test {

/// mkdtemp() under /tmp (or at an absolute `prefix`, e.g. in /dev/shm); the whole tree is
/// removed by the destructor.
class TempDir {
  public:
    explicit TempDir(const std::string& prefix = "pct-test");
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();
    [[nodiscard]] const std::string& path() const { return m_path; }
    /// path() + "/" + rel
    [[nodiscard]] std::string sub(const std::string& rel) const { return m_path + "/" + rel; }

  private:
    std::string m_path;
};

/// Writes `content` to `path` (creating parent directories); throws on failure.
void write_text(const std::string& path, const std::string& content);
/// Reads a whole file; "" when it cannot be read.
[[nodiscard]] std::string read_text(const std::string& path);

} // namespace pct::test
