// SPDX-License-Identifier: AGPL-3.0-or-later
#include "hotplug_impl.hpp"

namespace pct::runtime::detail {

std::optional<std::string> mount_refusal(const LiveContainer&, std::string_view key,
                                         std::optional<std::string_view>) {
    return "hot-plug of '" + std::string(key) + "' is not supported yet: applied at the next start";
}

Result<void> mount_hotplug(const LiveContainer& ct, std::string_view key,
                           std::optional<std::string_view> next) {
    return fail(Errc::unsupported, *mount_refusal(ct, key, next), {.key = std::string(key)});
}

} // namespace pct::runtime::detail
