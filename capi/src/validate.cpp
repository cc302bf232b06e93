// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "validate": API-level validation of whole configs and single values.
#include "config_impl.hpp"

#include <pct/validate.hpp>

using namespace pct::capi;

namespace {

pct_diag_list* to_list(const std::vector<pct::Error>& errors, const std::string& file) {
    auto* list = new pct_diag_list();
    for (const auto& e : errors) {
        pct_diag d;
        d.code = status_of(e.code);
        d.message = e.message;
        d.key = e.key;
        d.subkey = e.subkey;
        d.file = e.context.empty() ? file : e.context;
        d.line = e.line;
        d.column = e.column;
        list->items.push_back(std::move(d));
    }
    return list;
}

} // namespace

extern "C" {

int pct_config_validate(pct_diag_list** out, const pct_config* config) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
            return rc;
        *out = to_list(pct::validate::config(config->doc.config()), config->doc.options().file);
        return PCT_OK;
    });
}

int pct_validate_value(pct_diag_list** out, const char* key, const char* value) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"key", key}, {"value", value}}); rc != PCT_OK)
            return rc;
        *out = to_list(pct::validate::value(key, value), {});
        return PCT_OK;
    });
}

int pct_validate_vmid(uint64_t vmid) noexcept {
    return guard([&] { return status(pct::validate::vmid(vmid)); });
}

} // extern "C"
