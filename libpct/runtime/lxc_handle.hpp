// SPDX-License-Identifier: AGPL-3.0-or-later
// RAII over liblxc's reference-counted container handle (lxc_container_new / lxc_container_put).
#pragma once

#include <pct/error.hpp>

#include <lxc/lxccontainer.h>

#include <string>
#include <utility>

namespace pct::runtime::detail {

class LxcHandle {
  public:
    LxcHandle() = default;
    [[nodiscard]] static Result<LxcHandle> open(const std::string& name,
                                                const std::string& lxcpath);

    LxcHandle(LxcHandle&& o) noexcept : m_c(std::exchange(o.m_c, nullptr)) {}
    LxcHandle& operator=(LxcHandle&& o) noexcept {
        if (this != &o) {
            reset();
            m_c = std::exchange(o.m_c, nullptr);
        }
        return *this;
    }
    LxcHandle(const LxcHandle&) = delete;
    LxcHandle& operator=(const LxcHandle&) = delete;
    ~LxcHandle() { reset(); }

    void reset() noexcept {
        if (m_c)
            lxc_container_put(m_c);
        m_c = nullptr;
    }
    [[nodiscard]] lxc_container* get() const noexcept { return m_c; }
    lxc_container* operator->() const noexcept { return m_c; }
    explicit operator bool() const noexcept { return m_c != nullptr; }

  private:
    explicit LxcHandle(lxc_container* c) : m_c(c) {}
    lxc_container* m_c = nullptr;
};

} // namespace pct::runtime::detail
