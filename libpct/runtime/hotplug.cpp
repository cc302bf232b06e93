// SPDX-License-Identifier: AGPL-3.0-or-later
// The first, conservative answer of hotplug.hpp: nothing changes live, every hot-pluggable key
// waits for the next start. The hot-plug work replaces it key family by key family.
#include "hotplug.hpp"

#include <fmt/format.h>

namespace pct::runtime::detail {

std::optional<std::string> hotplug_refusal(const LiveContainer&, std::string_view key,
                                           std::optional<std::string_view>) {
    return fmt::format("hot-plug of '{}' is not supported yet: applied at the next start", key);
}

Result<void> hotplug(const LiveContainer& ct, std::string_view key,
                     std::optional<std::string_view> next) {
    return fail(Errc::unsupported, *hotplug_refusal(ct, key, next), {.key = std::string(key)});
}

} // namespace pct::runtime::detail
