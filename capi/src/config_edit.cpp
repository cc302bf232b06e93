// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "config" (edits): set/delete keys, descriptions, raw lxc entries and the pending
// delete list (pct::edit's). Every edit rewrites the text in place and parses it again
// (config_impl.hpp).
#include "config_impl.hpp"
#include "text_scan.hpp"

#include <pct/edit.hpp>

#include <algorithm>

namespace pct::capi {

namespace {

bool valid_section_name(std::string_view name) {
    if (name.empty() || name == PCT_SECTION_PENDING)
        return true;
    if (name.size() < 2 || !std::isalpha(static_cast<unsigned char>(name[0])))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

Result<void> check_section_name(std::string_view section) {
    if (!valid_section_name(section))
        return std::unexpected(make_error(Errc::invalid_argument,
                                          "invalid section name '" + std::string(section) + "'"));
    return {};
}

// The text pct::edit made (or its error) committed as the config's text.
Result<void> commit_edit(pct_config& config, Result<std::string> edited) {
    if (!edited)
        return std::unexpected(std::move(edited).error());
    return commit_text(config, std::move(*edited));
}

Result<void> set_description(pct_config& config, std::string_view section, std::string_view text) {
    const Section* s = find_section(config, section);
    edit::Target target{std::string(section), "description"};
    if (!text.empty())
        return commit_edit(config, edit::set(config.text, target, text));
    if (!s || s->description.empty())
        return {};
    return commit_edit(config, edit::remove(config.text, target));
}

// The entry `index` of the section's raw lxc entries, or `Errc::not_found`.
Result<const LxcEntry*> lxc_entry(const Section& section, std::size_t index) {
    if (index >= section.lxc.size())
        return std::unexpected(
            make_error(Errc::not_found, "lxc entry " + std::to_string(index) + " does not exist"));
    return &section.lxc[index];
}

} // namespace

Result<void> set_key(pct_config& config, std::string_view section, std::string_view key,
                     std::string_view value) {
    if (auto ok = check_section_name(section); !ok)
        return ok;
    if (key == "description")
        return set_description(config, section, value);
    auto stored = edit::checked_value(section, key, value);
    if (!stored)
        return std::unexpected(std::move(stored).error());
    return commit_edit(
        config,
        edit::set(config.text, edit::Target{std::string(section), std::string(key)}, *stored));
}

} // namespace pct::capi

using namespace pct::capi;

namespace {

// A missing snapshot is reported as by every call naming a section; whether the key can be
// and is set is edit::remove's check, so the message is the same as pypct's delete.
int delete_key(pct_config& config, std::string_view section, std::string_view key) {
    if (auto s = existing_section(config, section); !s)
        return set_error(s.error());
    return status(commit_edit(
        config,
        pct::edit::remove(config.text, pct::edit::Target{std::string(section), std::string(key)})));
}

} // namespace

extern "C" {

int pct_config_set(pct_config* config, const char* section, const char* key,
                   const char* value) noexcept {
    return guard([&] {
        if (int rc = require({{"config", config}, {"key", key}, {"value", value}}); rc != PCT_OK)
            return rc;
        return status(set_key(*config, section_name(section), key, value));
    });
}

int pct_config_delete(pct_config* config, const char* section, const char* key) noexcept {
    return guard([&] {
        if (int rc = require({{"config", config}, {"key", key}}); rc != PCT_OK)
            return rc;
        return delete_key(*config, section_name(section), key);
    });
}

int pct_config_get_description(const char** out, const pct_config* config,
                               const char* section) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
            return rc;
        return deliver(out, existing_section(*config, section_name(section)),
                       [](const pct::Section* s) { return s->description.c_str(); });
    });
}

int pct_config_set_description(pct_config* config, const char* section, const char* text) noexcept {
    return guard([&] {
        if (!config)
            return null_argument("config");
        return status(set_key(*config, section_name(section), "description", text ? text : ""));
    });
}

int pct_config_lxc_count(size_t* count_out, const pct_config* config,
                         const char* section) noexcept {
    return guard([&] {
        if (int rc = require_out(count_out, "count_out", {{"config", config}}); rc != PCT_OK)
            return rc;
        return deliver(count_out, existing_section(*config, section_name(section)),
                       [](const pct::Section* s) { return s->lxc.size(); });
    });
}

int pct_config_lxc_at(const char** key_out, const char** value_out, const pct_config* config,
                      const char* section, size_t index) noexcept {
    return guard([&] {
        if (int rc = require({{"key_out", key_out}, {"value_out", value_out}}); rc != PCT_OK)
            return rc;
        *key_out = *value_out = nullptr;
        if (!config)
            return null_argument("config");
        auto s = existing_section(*config, section_name(section));
        if (!s)
            return set_error(s.error());
        auto entry = lxc_entry(**s, index);
        if (!entry)
            return set_error(entry.error());
        *key_out = (*entry)->key.c_str();
        *value_out = (*entry)->value.c_str();
        return PCT_OK;
    });
}

int pct_config_lxc_append(pct_config* config, const char* section, const char* key,
                          const char* value) noexcept {
    return guard([&] {
        if (int rc = require({{"config", config}, {"key", key}, {"value", value}}); rc != PCT_OK)
            return rc;
        auto name = section_name(section);
        if (auto ok = check_section_name(name); !ok)
            return set_error(ok.error());
        if (auto ok = pct::edit::check_lxc_entry(key, value); !ok)
            return set_error(ok.error());
        std::string line = std::string(key) + ":" + (*value ? " " : "") + value;
        std::vector<pct::LxcEntry> expected;
        if (const pct::Section* s = find_section(*config, name))
            expected = s->lxc;
        bool env = std::string_view(key) == "lxc.environment.runtime";
        if (!env)
            expected.push_back(pct::LxcEntry{key, value});
        std::string text = append_line(config->text, name, line);
        return status(commit_checked(*config, std::move(text), [&](const pct::ContainerConfig& c) {
            const pct::Section* s = find_section(c, name);
            return s && s->lxc == expected;
        }));
    });
}

int pct_config_lxc_remove(pct_config* config, const char* section, size_t index) noexcept {
    return guard([&] {
        if (!config)
            return null_argument("config");
        auto name = section_name(section);
        auto found = existing_section(*config, name);
        if (!found)
            return set_error(found.error());
        const pct::Section* s = *found;
        if (auto entry = lxc_entry(*s, index); !entry)
            return set_error(entry.error());
        SectionLines lines = scan_section(config->text, name);
        if (lines.lxc_entries.size() != s->lxc.size())
            return set_error(PCT_EINTERNAL, "raw lxc lines do not match the parsed entries");
        std::vector<pct::LxcEntry> expected = s->lxc;
        expected.erase(expected.begin() + static_cast<std::ptrdiff_t>(index));
        LineSpan span = lines.lxc_entries[index];
        std::string text = config->text;
        text.erase(span.begin, span.end - span.begin);
        return status(commit_checked(*config, std::move(text), [&](const pct::ContainerConfig& c) {
            const pct::Section* after = find_section(c, name);
            return after && after->lxc == expected;
        }));
    });
}

int pct_config_pending_deletes(pct_string_list** out, const pct_config* config) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
            return rc;
        *out = new pct_string_list{pct::edit::pending_deletes(config->text)};
        return PCT_OK;
    });
}

int pct_config_pending_delete_add(pct_config* config, const char* key, int32_t force) noexcept {
    return guard([&] {
        if (int rc = require({{"config", config}, {"key", key}}); rc != PCT_OK)
            return rc;
        return status(
            commit_edit(*config, pct::edit::pending_delete_add(config->text, key, force != 0)));
    });
}

int pct_config_pending_delete_remove(pct_config* config, const char* key) noexcept {
    return guard([&] {
        if (int rc = require({{"config", config}, {"key", key}}); rc != PCT_OK)
            return rc;
        return status(commit_edit(*config, pct::edit::pending_delete_remove(config->text, key)));
    });
}

} // extern "C"
