// SPDX-License-Identifier: AGPL-3.0-or-later
// Test fixture: a btrfs file system on a sparse loop file, mounted at a given directory and
// unmounted (the loop device auto-cleared) by the destructor, also when a check fails.
// Link `pct_test_storage`. Needs root and mkfs.btrfs: `available()` says why not.
#pragma once

#include "temp_dir.hpp"

#include <string>

namespace pct::test {

class BtrfsLoop {
  public:
    /// Makes a `size_mib` file system and mounts it at `mount_point` (created as needed).
    explicit BtrfsLoop(std::string mount_point, unsigned size_mib = 256);
    BtrfsLoop(const BtrfsLoop&) = delete;
    BtrfsLoop& operator=(const BtrfsLoop&) = delete;
    ~BtrfsLoop();
    /// False when the file system could not be made (no root, no mkfs.btrfs, no loop
    /// devices); `why()` then says so in one line.
    [[nodiscard]] bool available() const { return m_mounted; }
    [[nodiscard]] const std::string& why() const { return m_why; }
    [[nodiscard]] const std::string& mount_point() const { return m_mount_point; }

  private:
    TempDir m_dir;
    std::string m_mount_point;
    bool m_mounted = false;
    std::string m_why;
};

} // namespace pct::test
