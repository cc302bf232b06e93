// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "device": devN device values as handles.
#include "fields.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using namespace pct::capi;

extern "C" {

int pct_device_new(pct_device** out) noexcept {
    return guard([&] { return handle_new(out); });
}

int pct_device_parse(pct_device** out, const char* text) noexcept {
    return guard([&] { return handle_parse(out, text, [](std::string_view s) { return pct::parse::device(s); }); });
}

int pct_device_print(char** out, const pct_device* dev) noexcept {
    return guard([&] { return handle_print(out, dev, [](const auto& v) { return pct::render::device(v); }); });
}

int pct_device_get(const char** value_out, const pct_device* dev, const char* subkey) noexcept {
    return guard([&] { return handle_get(value_out, dev, subkey, device_fields()); });
}

int pct_device_set(pct_device* dev, const char* subkey, const char* value) noexcept {
    return guard([&] {
        return handle_set(dev, subkey, value, device_fields(),
                          [](const auto& v, const auto&) { return pct::render::device(v); });
    });
}

int pct_device_unset(pct_device* dev, const char* subkey) noexcept {
    return guard([&] { return handle_unset(dev, subkey, device_fields()); });
}

int pct_device_clone(pct_device** out, const pct_device* dev) noexcept {
    return guard([&] { return handle_clone(out, dev); });
}

void pct_device_free(pct_device* dev) noexcept { delete dev; }

} // extern "C"
