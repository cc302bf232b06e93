// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "config" (edits): set/delete keys, descriptions, raw lxc entries and the pending
// delete list, each one call of the handle's storage::ConfigDocument (pct::edit's lossless
// edits: the text changes in place and is parsed again).
#include "config_impl.hpp"

#include <pct/edit.hpp>

namespace pct::capi {

Result<void> set_key(pct_config& config, std::string_view section, std::string_view key,
                     std::string_view value) {
    return edited(config, config.doc.set(section, key, value));
}

} // namespace pct::capi

using namespace pct::capi;

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
        return status(edited(*config, config->doc.remove(section_name(section), key)));
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
        if (index >= (*s)->lxc.size())
            return set_error(error(pct::Errc::not_found,
                                   "lxc entry " + std::to_string(index) + " does not exist"));
        *key_out = (*s)->lxc[index].key.c_str();
        *value_out = (*s)->lxc[index].value.c_str();
        return PCT_OK;
    });
}

int pct_config_lxc_append(pct_config* config, const char* section, const char* key,
                          const char* value) noexcept {
    return guard([&] {
        if (int rc = require({{"config", config}, {"key", key}, {"value", value}}); rc != PCT_OK)
            return rc;
        return status(edited(*config, config->doc.lxc_append(section_name(section), key, value)));
    });
}

int pct_config_lxc_remove(pct_config* config, const char* section, size_t index) noexcept {
    return guard([&] {
        if (!config)
            return null_argument("config");
        return status(edited(*config, config->doc.lxc_remove(section_name(section), index)));
    });
}

int pct_config_pending_deletes(pct_string_list** out, const pct_config* config) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
            return rc;
        *out = new pct_string_list{pct::edit::pending_deletes(config->doc.text())};
        return PCT_OK;
    });
}

int pct_config_pending_delete_add(pct_config* config, const char* key, int32_t force) noexcept {
    return guard([&] {
        if (int rc = require({{"config", config}, {"key", key}}); rc != PCT_OK)
            return rc;
        return status(edited(*config, config->doc.pending_delete_add(key, force != 0)));
    });
}

int pct_config_pending_delete_remove(pct_config* config, const char* key) noexcept {
    return guard([&] {
        if (int rc = require({{"config", config}, {"key", key}}); rc != PCT_OK)
            return rc;
        return status(edited(*config, config->doc.pending_delete_remove(key)));
    });
}

} // extern "C"
