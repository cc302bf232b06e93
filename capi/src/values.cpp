// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "values": unusedN volumes and disk sizes.
#include "guard.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using namespace pct::capi;

extern "C" {

int pct_unused_parse(char** volume_out, const char* text) noexcept {
    return guard([&] {
        if (int rc = require_out(volume_out, "volume_out", {{"text", text}}); rc != PCT_OK)
            return rc;
        return deliver(volume_out, pct::parse::unused(text),
                       [](const pct::UnusedVolume& v) { return dup_string(v.volume); });
    });
}

int pct_unused_print(char** out, const char* volume) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"volume", volume}}); rc != PCT_OK)
            return rc;
        return deliver(out, pct::render::unused(pct::UnusedVolume{volume}), dup_string);
    });
}

int pct_size_parse(uint64_t* bytes_out, const char* text) noexcept {
    return guard([&] {
        if (int rc = require_out(bytes_out, "bytes_out", {{"text", text}}); rc != PCT_OK)
            return rc;
        return deliver(bytes_out, pct::parse::size(text));
    });
}

int pct_size_format(char** out, uint64_t bytes) noexcept {
    return guard([&] {
        if (!out)
            return null_argument("out");
        *out = dup_string(pct::render::size(bytes));
        return PCT_OK;
    });
}

} // extern "C"
