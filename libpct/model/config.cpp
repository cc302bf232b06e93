// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/model/config.hpp>

namespace pct {

std::optional<std::string_view> Section::get(std::string_view key) const {
    auto it = options.find(key);
    if (it == options.end())
        return std::nullopt;
    return std::string_view(it->second);
}

bool Section::empty() const noexcept {
    return options.empty() && description.empty() && lxc.empty();
}

} // namespace pct
