// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "device": devN device values as handles.
#include "fields.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using DeviceHandle = pct::capi::ValueHandle<pct_device, pct::parse::device, pct::render::device,
                                            pct::capi::device_fields>;

extern "C" {

int pct_device_new(pct_device** out) noexcept { return DeviceHandle::make(out); }

int pct_device_parse(pct_device** out, const char* text) noexcept {
    return DeviceHandle::parse_text(out, text);
}

int pct_device_print(char** out, const pct_device* dev) noexcept {
    return DeviceHandle::print_text(out, dev);
}

int pct_device_get(const char** value_out, const pct_device* dev, const char* subkey) noexcept {
    return DeviceHandle::get(value_out, dev, subkey);
}

int pct_device_set(pct_device* dev, const char* subkey, const char* value) noexcept {
    return DeviceHandle::set(dev, subkey, value);
}

int pct_device_unset(pct_device* dev, const char* subkey) noexcept {
    return DeviceHandle::unset(dev, subkey);
}

int pct_device_clone(pct_device** out, const pct_device* dev) noexcept {
    return DeviceHandle::clone(out, dev);
}

void pct_device_free(pct_device* dev) noexcept { delete dev; }

} // extern "C"
