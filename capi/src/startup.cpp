// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "startup": startup order values as handles.
#include "fields.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using namespace pct::capi;

extern "C" {

int pct_startup_new(pct_startup** out) noexcept {
    return guard([&] { return handle_new(out); });
}

int pct_startup_parse(pct_startup** out, const char* text) noexcept {
    return guard([&] { return handle_parse(out, text, [](std::string_view s) { return pct::parse::startup(s); }); });
}

int pct_startup_print(char** out, const pct_startup* startup) noexcept {
    return guard([&] { return handle_print(out, startup, [](const auto& v) { return pct::render::startup(v); }); });
}

int pct_startup_get(const char** value_out, const pct_startup* startup, const char* subkey) noexcept {
    return guard([&] { return handle_get(value_out, startup, subkey, startup_fields()); });
}

int pct_startup_set(pct_startup* startup, const char* subkey, const char* value) noexcept {
    return guard([&] {
        return handle_set(startup, subkey, value, startup_fields(),
                          [](const auto& v, const auto&) { return pct::render::startup(v); });
    });
}

int pct_startup_unset(pct_startup* startup, const char* subkey) noexcept {
    return guard([&] { return handle_unset(startup, subkey, startup_fields()); });
}

int pct_startup_clone(pct_startup** out, const pct_startup* startup) noexcept {
    return guard([&] { return handle_clone(out, startup); });
}

void pct_startup_free(pct_startup* startup) noexcept { delete startup; }

} // extern "C"
