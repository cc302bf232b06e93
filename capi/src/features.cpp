// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "features": features values as handles.
#include "fields.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using namespace pct::capi;

extern "C" {

int pct_features_new(pct_features** out) noexcept {
    return guard([&] { return handle_new(out); });
}

int pct_features_parse(pct_features** out, const char* text) noexcept {
    return guard([&] { return handle_parse(out, text, [](std::string_view s) { return pct::parse::features(s); }); });
}

int pct_features_print(char** out, const pct_features* features) noexcept {
    return guard([&] { return handle_print(out, features, [](const auto& v) { return pct::render::features(v); }); });
}

int pct_features_get(const char** value_out, const pct_features* features, const char* subkey) noexcept {
    return guard([&] { return handle_get(value_out, features, subkey, features_fields()); });
}

int pct_features_set(pct_features* features, const char* subkey, const char* value) noexcept {
    return guard([&] {
        return handle_set(features, subkey, value, features_fields(),
                          [](const auto& v, const auto&) { return pct::render::features(v); });
    });
}

int pct_features_unset(pct_features* features, const char* subkey) noexcept {
    return guard([&] { return handle_unset(features, subkey, features_fields()); });
}

int pct_features_clone(pct_features** out, const pct_features* features) noexcept {
    return guard([&] { return handle_clone(out, features); });
}

void pct_features_free(pct_features* features) noexcept { delete features; }

} // extern "C"
