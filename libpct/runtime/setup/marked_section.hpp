// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's marked sections (PVE::LXC::Setup::Base ct_modify_file, remove_pve_sections): the
// part of a container file between `# --- BEGIN PVE ---` and `# --- END PVE ---` that the setup
// owns, as pure text functions (spec storage.md §5.5).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail::setup {

inline constexpr std::string_view section_begin = "# --- BEGIN PVE ---";
inline constexpr std::string_view section_end = "# --- END PVE ---";

/// Where a new section goes in a file that has none.
enum class Placement { append, prepend, replace };

/// What ct_modify_file does to a file.
struct SectionEdit {
    enum class Action { keep, write, remove } action = Action::keep;
    std::string text;      ///< the new content for Action::write
    bool new_file = false; ///< written without a section before: the caller's mode applies
};

/// The edit of a file holding `old` (nullopt: missing) for the section data `data`: the first
/// BEGIN...END pair (matched loosely, as Proxmox) replaced, or a new section placed as
/// `placement` says; with `remove_if_empty`, a file that was only the section and gets empty
/// data is removed.
[[nodiscard]] SectionEdit modify_section(const std::optional<std::string>& old, std::string data,
                                         Placement placement, bool remove_if_empty = false);

/// `old` without any of its marked sections (from a BEGIN line to the end of its END line).
[[nodiscard]] std::string remove_sections(std::string_view old);

/// Perl's `split(/\n/, text)`: the lines, with trailing empty ones dropped.
[[nodiscard]] std::vector<std::string> perl_split_lines(std::string_view text);

} // namespace pct::runtime::detail::setup
