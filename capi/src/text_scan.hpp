// SPDX-License-Identifier: AGPL-3.0-or-later
// Finding lines of one section in config text with the parser's rules (§5.1 of the format),
// for the edits pct::edit has no verb for: appending and removing single raw lxc entries.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::capi {

struct LineSpan {
    std::size_t begin = 0; ///< offset of the first byte
    std::size_t end = 0;   ///< offset after the line's '\n' (or the end of the text)
};

struct SectionLines {
    bool found = false;                  ///< the section has a header (main: always)
    std::optional<LineSpan> last;        ///< its last non-blank line (or header)
    std::vector<LineSpan> lxc_entries;   ///< lines that become `Section::lxc` entries
    std::string eol = "\n";              ///< the line ending used around `last`
};

/// The lines of the last occurrence of `section` ("" main, "pve:pending", snapshot name).
SectionLines scan_section(std::string_view text, std::string_view section);

/// The text with `line` (no line ending) appended as the section's last line; a missing
/// pending or snapshot section is added at the end.
std::string append_line(std::string_view text, std::string_view section, std::string_view line);

} // namespace pct::capi
