// SPDX-License-Identifier: AGPL-3.0-or-later
// Shared internals of the config C modules: section lookup, options, and edits through the
// handle's `storage::ConfigDocument` (which keeps `parsed == parse(text)` at all times).
#pragma once

#include "guard.hpp"
#include "handles.hpp"

#include <string>
#include <string_view>

namespace pct::capi {

/// NULL -> "" (main section).
inline std::string_view section_name(const char* section) {
    return section ? std::string_view(section) : std::string_view();
}

/// The section, or nullptr when a snapshot of that name does not exist. Pending always exists.
inline const Section* find_section(const pct_config& config, std::string_view name) {
    return config.doc.section(name);
}

/// find_section(), or `Errc::not_found` "snapshot 'NAME' does not exist".
inline Result<const Section*> existing_section(const pct_config& config, std::string_view name) {
    return config.doc.existing_section(name);
}

/// The text stored for `key` in a section: the description, the last entry of a raw lxc key,
/// or an option. Errors: missing_section(), `Errc::not_found` "'KEY' is not set" (key set).
Result<const std::string*> stored_value(const Section& section, std::string_view key);
Result<const std::string*> stored_value(const pct_config& config, std::string_view section,
                                        std::string_view key);

/// Reads a caller's options struct (NULL = defaults).
Result<parse::ConfigOptions> read_options(const pct_config_options* options);

/// Parses `text` into a new handle.
Result<pct_config*> make_config(std::string_view text, const parse::ConfigOptions& options);

/// The result of a document edit as a status; a successful edit drops the borrowed strings.
Result<void> edited(pct_config& config, Result<void> result);

/// Sets one key (the body of pct_config_set(), also used by the typed setters).
Result<void> set_key(pct_config& config, std::string_view section, std::string_view key,
                     std::string_view value);

} // namespace pct::capi
