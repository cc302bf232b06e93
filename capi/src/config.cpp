// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "config": reading, writing and querying config files.
#include "config_impl.hpp"

#include <pct/edit.hpp>
#include <pct/parse/config.hpp>
#include <pct/render/config.hpp>
#include <pct/storage/config_document.hpp>

namespace pct::capi {

Result<const std::string*> stored_value(const Section& section, std::string_view key) {
    const std::string* value = nullptr;
    if (key == "description") {
        if (!section.description.empty())
            value = &section.description;
    } else if (edit::is_lxc_key(key) && key != "lxc.environment.runtime") {
        for (const auto& entry : section.lxc)
            if (entry.key == key)
                value = &entry.value;
    } else if (auto it = section.options.find(key); it != section.options.end()) {
        value = &it->second;
    }
    if (!value)
        return fail(Errc::not_found, "'" + std::string(key) + "' is not set", {.key = key});
    return value;
}

Result<const std::string*> stored_value(const pct_config& config, std::string_view section,
                                        std::string_view key) {
    auto s = existing_section(config, section);
    if (!s)
        return std::unexpected(std::move(s).error());
    return stored_value(**s, key);
}

Result<parse::ConfigOptions> read_options(const pct_config_options* options) {
    parse::ConfigOptions out;
    out.vmid = 0;
    if (!options)
        return out;
    if (!supported_version(options->version, PCT_CONFIG_OPTIONS_VERSION))
        return std::unexpected(unsupported_version("pct_config_options", options->version,
                                                   PCT_CONFIG_OPTIONS_VERSION));
    // Version 1 fields.
    out.vmid = options->vmid;
    out.strict = options->strict != 0;
    return out;
}

Result<pct_config*> make_config(std::string_view text, const parse::ConfigOptions& options) {
    auto doc = storage::ConfigDocument::parse(std::string(text), options);
    if (!doc)
        return std::unexpected(std::move(doc).error());
    auto* c = new pct_config();
    c->digest = doc->parsed().digest.str();
    c->doc = std::move(*doc);
    return c;
}

Result<void> edited(pct_config& config, Result<void> result) {
    if (result)
        config.m_borrowed.clear();
    return result;
}

namespace {

Result<std::string> render_as(const pct_config& config, int32_t format) {
    if (format == PCT_WRITE_LOSSLESS)
        return config.doc.text();
    if (format == PCT_WRITE_CANONICAL)
        return render::config(config.doc.config());
    return fail(Errc::invalid_argument, "unknown write format " + std::to_string(format));
}

void add_diag(pct_diag_list& list, const Diagnostic& d, const std::string& file) {
    pct_diag out;
    out.code = static_cast<int>(d.code);
    out.message = d.message;
    out.key = d.key;
    out.subkey = d.subkey;
    out.section = d.section;
    out.file = file;
    out.line = d.line;
    out.column = d.column;
    list.items.push_back(std::move(out));
}

} // namespace
} // namespace pct::capi

using namespace pct::capi;

extern "C" {

int pct_config_options_init(pct_config_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_CONFIG_OPTIONS_VERSION))
            return set_error(unsupported_version("pct_config_options", version));
        options->version = version;
        options->vmid = 0;
        options->strict = 0;
        return PCT_OK;
    });
}

int pct_config_new(pct_config** out) noexcept {
    return guard([&] {
        if (int rc = require_out(out); rc != PCT_OK)
            return rc;
        return deliver(out, make_config({}, pct::parse::ConfigOptions{}));
    });
}

int pct_config_parse(pct_config** out, const char* text,
                     const pct_config_options* options) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"text", text}}); rc != PCT_OK)
            return rc;
        auto opts = read_options(options);
        if (!opts)
            return set_error(opts.error());
        if (opts->vmid == 0)
            opts->vmid = 100;
        return deliver(out, make_config(text, *opts));
    });
}

int pct_config_load(pct_config** out, const char* path,
                    const pct_config_options* options) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"path", path}}); rc != PCT_OK)
            return rc;
        auto opts = read_options(options);
        if (!opts)
            return set_error(opts.error());
        if (opts->vmid == 0)
            opts->vmid = pct::parse::vmid_from_path(path);
        opts->file = path;
        auto doc = pct::storage::ConfigDocument::load(path, *opts);
        if (!doc)
            return set_error(doc.error());
        auto* c = new pct_config();
        c->digest = doc->parsed().digest.str();
        c->doc = std::move(*doc);
        *out = c;
        return PCT_OK;
    });
}

int pct_config_clone(pct_config** out, const pct_config* config) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
            return rc;
        *out = new pct_config(*config);
        return PCT_OK;
    });
}

void pct_config_free(pct_config* config) noexcept { delete config; }

int pct_config_write(char** out, const pct_config* config, int32_t format) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
            return rc;
        return deliver(out, render_as(*config, format), dup_string);
    });
}

int pct_config_save(const pct_config* config, const char* path, int32_t format) noexcept {
    return guard([&] {
        if (int rc = require({{"config", config}, {"path", path}}); rc != PCT_OK)
            return rc;
        auto text = render_as(*config, format);
        if (!text)
            return set_error(text.error());
        return status(config->doc.save(path, *text));
    });
}

const char* pct_config_digest(const pct_config* config) noexcept {
    return config ? config->digest.c_str() : null_argument_value<const char*>(nullptr, "config");
}

uint32_t pct_config_vmid(const pct_config* config) noexcept {
    return config ? config->doc.options().vmid : null_argument_value<uint32_t>(0, "config");
}

int pct_config_warnings(pct_diag_list** out, const pct_config* config) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
            return rc;
        auto* list = new pct_diag_list();
        for (const auto& w : config->doc.parsed().warnings)
            add_diag(*list, w, config->doc.options().file);
        *out = list;
        return PCT_OK;
    });
}

int pct_config_has_section(const pct_config* config, const char* section) noexcept {
    return guard([&] {
        if (!config)
            return null_argument("config");
        auto name = section_name(section);
        if (name == PCT_SECTION_PENDING)
            return config->doc.config().pending.empty() ? 0 : 1;
        return find_section(*config, name) ? 1 : 0;
    });
}

int pct_config_snapshot_names(pct_string_list** out, const pct_config* config) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
            return rc;
        auto* list = new pct_string_list();
        for (const auto& [name, section] : config->doc.config().snapshots)
            list->items.push_back(name);
        *out = list;
        return PCT_OK;
    });
}

int pct_config_keys(pct_string_list** out, const pct_config* config, const char* section) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
            return rc;
        return deliver(out, existing_section(*config, section_name(section)),
                       [](const pct::Section* s) {
                           auto* list = new pct_string_list();
                           for (const auto& [key, value] : s->options)
                               if (key != "env")
                                   list->items.push_back(key);
                           return list;
                       });
    });
}

int pct_config_get(const char** value_out, size_t* length_out, const pct_config* config,
                   const char* section, const char* key) noexcept {
    return guard([&] {
        if (int rc = require_out(value_out, "value_out"); rc != PCT_OK)
            return rc;
        if (length_out)
            *length_out = 0;
        if (int rc = require({{"config", config}, {"key", key}}); rc != PCT_OK)
            return rc;
        auto value = stored_value(*config, section_name(section), key);
        if (!value)
            return set_error(value.error());
        *value_out = (*value)->c_str();
        if (length_out)
            *length_out = (*value)->size();
        return PCT_OK;
    });
}

} // extern "C"
