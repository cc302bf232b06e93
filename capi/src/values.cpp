// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "values": unusedN volumes and disk sizes.
#include "guard.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using namespace pct::capi;

extern "C" {

int pct_unused_parse(char** volume_out, const char* text) noexcept {
    return guard([&] {
        if (!volume_out)
            return null_argument("volume_out");
        *volume_out = nullptr;
        if (!text)
            return null_argument("text");
        auto v = pct::parse::unused(text);
        if (!v)
            return set_error(v.error());
        *volume_out = dup_string(v->volume);
        return PCT_OK;
    });
}

int pct_unused_print(char** out, const char* volume) noexcept {
    return guard([&] {
        if (!out)
            return null_argument("out");
        *out = nullptr;
        if (!volume)
            return null_argument("volume");
        auto s = pct::render::unused(pct::UnusedVolume{volume});
        if (!s)
            return set_error(s.error());
        *out = dup_string(*s);
        return PCT_OK;
    });
}

int pct_size_parse(uint64_t* bytes_out, const char* text) noexcept {
    return guard([&] {
        if (!bytes_out)
            return null_argument("bytes_out");
        *bytes_out = 0;
        if (!text)
            return null_argument("text");
        auto v = pct::parse::size(text);
        if (!v)
            return set_error(v.error());
        *bytes_out = *v;
        return PCT_OK;
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
