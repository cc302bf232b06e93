// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/model/one_line.hpp>

#include <string>

namespace pct {

bool has_line_break(std::string_view text) noexcept {
    return text.find_first_of(std::string_view("\n\r\0", 3)) != std::string_view::npos;
}

bool is_lxc_key_syntax(std::string_view key) noexcept {
    if (!key.starts_with("lxc.") || key.size() == 4)
        return false;
    for (char c : key.substr(4))
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
            return false;
    return true;
}

Result<void> check_one_line(std::string_view key, std::string_view value) {
    if (!has_line_break(value))
        return {};
    auto e = fail(Errc::invalid_argument, "the value of '" + std::string(key) +
                                              "' must not contain a line break (LF, CR or NUL)");
    e.error().key = std::string(key);
    return e;
}

} // namespace pct
