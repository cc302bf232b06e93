// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "features": features values as handles.
#include "fields.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using FeaturesHandle = pct::capi::ValueHandle<pct_features, pct::parse::features,
                                              pct::render::features, pct::capi::features_fields>;

extern "C" {

int pct_features_new(pct_features** out) noexcept { return FeaturesHandle::make(out); }

int pct_features_parse(pct_features** out, const char* text) noexcept {
    return FeaturesHandle::parse_text(out, text);
}

int pct_features_print(char** out, const pct_features* features) noexcept {
    return FeaturesHandle::print_text(out, features);
}

int pct_features_get(const char** value_out, const pct_features* features,
                     const char* subkey) noexcept {
    return FeaturesHandle::get(value_out, features, subkey);
}

int pct_features_set(pct_features* features, const char* subkey, const char* value) noexcept {
    return FeaturesHandle::set(features, subkey, value);
}

int pct_features_unset(pct_features* features, const char* subkey) noexcept {
    return FeaturesHandle::unset(features, subkey);
}

int pct_features_clone(pct_features** out, const pct_features* features) noexcept {
    return FeaturesHandle::clone(out, features);
}

void pct_features_free(pct_features* features) noexcept { delete features; }

} // extern "C"
