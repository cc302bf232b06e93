// SPDX-License-Identifier: AGPL-3.0-or-later
#include "volume_keys.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace pct::runtime::detail {

int volume_key_index(std::string_view key, std::string_view prefix, unsigned limit) {
    if (!key.starts_with(prefix))
        return -1;
    std::string_view digits = key.substr(prefix.size());
    // No sign, no leading zero (`mp01` is not a key), at most three digits.
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0') ||
        !std::ranges::all_of(digits,
                             [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return -1;
    unsigned n = 0;
    for (char c : digits)
        n = n * 10 + static_cast<unsigned>(c - '0');
    return n < limit ? static_cast<int>(n) : -1;
}

bool is_mount_key(std::string_view key) {
    return key == "rootfs" || volume_key_index(key, "mp", max_mount_points) >= 0;
}

std::vector<std::string> volume_keys_in_order(const Section& section) {
    std::vector<std::string> out;
    if (section.get("rootfs"))
        out.emplace_back("rootfs");
    for (std::string_view prefix : {"mp", "unused"})
        for (unsigned i = 0; i < max_mount_points; ++i)
            if (std::string key = std::string(prefix) + std::to_string(i); section.get(key))
                out.push_back(std::move(key));
    return out;
}

Result<std::string> free_unused_key(const std::set<std::string, std::less<>>& taken) {
    for (unsigned i = 0; i < max_unused; ++i)
        if (std::string key = "unused" + std::to_string(i); !taken.contains(key))
            return key;
    return fail(Errc::invalid_argument, "Too many unused volumes - please delete them first.");
}

} // namespace pct::runtime::detail
