// SPDX-License-Identifier: AGPL-3.0-or-later
// The bytes no config may hold (check_bytes) and the error that names one by offset and line.
#include <pct/parse/config.hpp>

#include <algorithm>
#include <cstring>

namespace pct::parse {

Error byte_error(std::string_view text, std::size_t offset, std::string_view what,
                 const ConfigOptions& options) {
    offset = std::min(offset, text.size());
    std::string_view before = text.substr(0, offset);
    std::size_t line_start = before.rfind('\n');
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    std::size_t line_end = text.find('\n', offset);
    std::string_view line = text.substr(
        line_start, (line_end == std::string_view::npos ? text.size() : line_end) - line_start);
    auto number = std::count(before.begin(), before.end(), '\n') + 1;
    Error e = error(Errc::parse,
                    std::string(what) + " at byte offset " + std::to_string(offset) + " (line " +
                        std::to_string(number) + ")",
                    {.context = options.file,
                     .line = static_cast<int>(number),
                     .column = static_cast<int>(offset - line_start + 1)});
    ConfigLine info = classify_line(line);
    bool header = info.kind == LineKind::pending_header || info.kind == LineKind::snapshot_header;
    if (!header)
        e.key = std::string(info.key); // empty for comments, blank and invalid lines
    return e;
}

Result<void> check_bytes(std::string_view text, const ConfigOptions& options) {
    // memchr() wants a valid pointer even for 0 bytes (an empty view may hold nullptr).
    if (text.empty())
        return {};
    const void* nul = std::memchr(text.data(), '\0', text.size());
    if (nul == nullptr) [[likely]]
        return {};
    auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
    return std::unexpected(byte_error(text, offset, "binary data: NUL byte", options));
}

} // namespace pct::parse
