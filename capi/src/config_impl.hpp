// SPDX-License-Identifier: AGPL-3.0-or-later
// Shared internals of the config C modules: section lookup, options, and applying an edit
// (new text -> parse again -> commit), which keeps `parsed == parse(text)` at all times.
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
const Section* find_section(const ContainerConfig& config, std::string_view name);
inline const Section* find_section(const pct_config& config, std::string_view name) {
    return find_section(config.parsed.config, name);
}

/// `Errc::not_found` "snapshot 'NAME' does not exist".
Error missing_section(std::string_view name);

/// find_section(), or the missing_section() error.
Result<const Section*> existing_section(const pct_config& config, std::string_view name);

/// The text stored for `key` in a section: the description, the last entry of a raw lxc key,
/// or an option. Errors: missing_section(), `Errc::not_found` "'KEY' is not set" (key set).
Result<const std::string*> stored_value(const Section& section, std::string_view key);
Result<const std::string*> stored_value(const pct_config& config, std::string_view section,
                                        std::string_view key);

/// Reads a caller's options struct (NULL = defaults).
Result<parse::ConfigOptions> read_options(const pct_config_options* options);

/// Parses `text` into a new handle.
Result<pct_config*> make_config(std::string_view text, const parse::ConfigOptions& options);

/// Parses `text` with the config's options and, when that works and `accept` agrees with the
/// result, makes it the config's text (`Errc::internal` when `accept` does not).
template <class Accept>
Result<void> commit_checked(pct_config& config, std::string text, Accept&& accept) {
    auto parsed = parse::config(text, config.options);
    if (!parsed)
        return std::unexpected(std::move(parsed).error());
    if (!accept(parsed->config))
        return std::unexpected(make_error(Errc::internal, "edit did not have the expected effect"));
    config.text = std::move(text);
    config.parsed = std::move(*parsed);
    config.m_borrowed.clear();
    return {};
}

/// Parses `text` with the config's options and, when that works, makes it the config's text.
Result<void> commit_text(pct_config& config, std::string text);

/// Sets one key (the body of pct_config_set(), also used by the typed setters).
Result<void> set_key(pct_config& config, std::string_view section, std::string_view key,
                     std::string_view value);

} // namespace pct::capi
