// SPDX-License-Identifier: AGPL-3.0-or-later
// What an editor (the C ABI's pct_config_set, pypct's ParsedConfig.set) may store for a key:
// the file reader's type check, plus the values the reader would drop or read differently.
#include "edit_impl.hpp"

#include <pct/edit.hpp>
#include <pct/model/one_line.hpp>
#include <pct/model/split_list.hpp>
#include <pct/parse/lxc_keys.hpp>
#include <pct/parse/properties.hpp>

#include <algorithm>

namespace pct::edit {

namespace {

bool is_trimmed(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; };
    return s.empty() || (!space(s.front()) && !space(s.back()));
}

} // namespace

Result<void> check_lxc_entry(std::string_view key, std::string_view value) {
    if (!is_lxc_key(key))
        return fail(Errc::invalid_argument, "invalid raw lxc key '" + std::string(key) + "'",
                    {.key = key});
    if (auto ok = check_one_line(key, value); !ok)
        return ok;
    if (!is_trimmed(value))
        return fail(Errc::invalid_argument,
                    "leading or trailing blanks cannot be kept in a config file", {.key = key});
    if (key == "lxc.environment.runtime")
        return {};
    auto check = parse::check_lxc_key(key);
    switch (check.verdict) {
    case parse::LxcKeyVerdict::accepted:
    case parse::LxcKeyVerdict::deprecated:
        return {};
    case parse::LxcKeyVerdict::rejected:
        return fail(Errc::invalid_argument, std::string(key) + ": " + check.message, {.key = key});
    case parse::LxcKeyVerdict::invalid:
        break;
    }
    return fail(Errc::invalid_argument, "'" + std::string(key) + "' is not an allowed raw lxc key",
                {.key = key});
}

Result<std::string> checked_value(std::string_view section, std::string_view key,
                                  std::string_view value) {
    if (key == "description")
        return std::string(value);
    if (is_lxc_key(key)) {
        if (auto ok = check_lxc_entry(key, value); !ok)
            return std::unexpected(std::move(ok).error());
        return std::string(value);
    }
    // `env` is the one value of several entries, NUL-separated (Proxmox's form): each entry
    // is one line. Every other value is one line itself.
    if (key == "env") {
        std::string entries(value);
        std::replace(entries.begin(), entries.end(), '\0', ' ');
        if (auto ok = check_one_line(key, entries); !ok)
            return std::unexpected(std::move(ok).error());
    } else if (auto ok = check_one_line(key, value); !ok) {
        return std::unexpected(std::move(ok).error());
    }
    if (key == "delete") {
        if (section != "pve:pending")
            return fail(Errc::invalid_argument,
                        "property 'delete' is only allowed in [pve:pending]", {.key = key});
        auto entries = split_list(value);
        if (entries.empty())
            return fail(Errc::invalid_argument, "empty delete list", {.key = key});
        for (const auto& entry : entries) {
            std::string_view k = entry;
            if (k.front() == '!')
                k.remove_prefix(1);
            if (k.empty()) // a lone `!`
                return fail(Errc::invalid_argument, "invalid entry '" + entry + "' in delete list",
                            {.key = key});
            if (!detail::is_option_key(k))
                return fail(Errc::invalid_argument,
                            "invalid key '" + std::string(k) + "' in delete list", {.key = key});
        }
        return std::string(value);
    }
    if (key == "snapstate") {
        if (value != "prepare" && value != "delete")
            return fail(Errc::invalid_argument, "snapstate must be 'prepare' or 'delete'",
                        {.key = key});
        return std::string(value);
    }
    if (!detail::is_option_key(key))
        return fail(Errc::invalid_argument, "invalid key '" + std::string(key) + "'", {.key = key});
    if (std::all_of(value.begin(), value.end(), [](char c) { return c == ' ' || c == '\t'; }))
        return fail(Errc::invalid_argument, "empty value for '" + std::string(key) + "'",
                    {.key = key});
    auto normalized = parse::check_type(key, value);
    if (!normalized) {
        Error e = std::move(normalized).error();
        e.code = Errc::invalid_argument;
        if (e.key.empty())
            e.key = std::string(key);
        return std::unexpected(std::move(e));
    }
    return normalized;
}

} // namespace pct::edit
