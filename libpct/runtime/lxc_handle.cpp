// SPDX-License-Identifier: AGPL-3.0-or-later
#include "lxc_handle.hpp"

#include <fmt/format.h>

namespace pct::runtime::detail {

Result<LxcHandle> LxcHandle::open(const std::string& name, const std::string& lxcpath) {
    lxc_container* c = lxc_container_new(name.c_str(), lxcpath.c_str());
    if (!c) {
        return fail(Errc::lxc,
                    fmt::format("liblxc could not create a handle for container '{}' in '{}'", name,
                                lxcpath),
                    {.context = lxcpath});
    }
    return LxcHandle(c);
}

} // namespace pct::runtime::detail
