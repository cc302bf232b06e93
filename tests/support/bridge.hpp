// SPDX-License-Identifier: AGPL-3.0-or-later
// A private Linux bridge for network tests: `pcttest<6 hex>` with 10.250.N.1/24 (N chosen so
// no other interface uses 10.250.N.0/24); deleted by the destructor, also after a failure, and
// by the sweeper (sweep.hpp) once the process that made it is gone (its alias names it).
#pragma once

#include <string>

namespace pct::test {

class TestBridge {
  public:
    /// Creates and brings up the bridge; throws std::runtime_error on failure.
    explicit TestBridge(unsigned mtu = 1500);
    TestBridge(const TestBridge&) = delete;
    TestBridge& operator=(const TestBridge&) = delete;
    ~TestBridge();

    [[nodiscard]] const std::string& name() const { return m_name; }
    /// "10.250.N." - append a host number.
    [[nodiscard]] const std::string& prefix() const { return m_prefix; }
    /// "10.250.N.1", the bridge's own address.
    [[nodiscard]] std::string gateway() const { return m_prefix + "1"; }

  private:
    std::string m_name;
    std::string m_prefix;
};

} // namespace pct::test
