// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "startup": startup order values as handles.
#include "fields.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using StartupHandle = pct::capi::ValueHandle<pct_startup, pct::parse::startup, pct::render::startup,
                                             pct::capi::startup_fields>;

extern "C" {

int pct_startup_new(pct_startup** out) noexcept { return StartupHandle::make(out); }

int pct_startup_parse(pct_startup** out, const char* text) noexcept {
    return StartupHandle::parse_text(out, text);
}

int pct_startup_print(char** out, const pct_startup* startup) noexcept {
    return StartupHandle::print_text(out, startup);
}

int pct_startup_get(const char** value_out, const pct_startup* startup,
                    const char* subkey) noexcept {
    return StartupHandle::get(value_out, startup, subkey);
}

int pct_startup_set(pct_startup* startup, const char* subkey, const char* value) noexcept {
    return StartupHandle::set(startup, subkey, value);
}

int pct_startup_unset(pct_startup* startup, const char* subkey) noexcept {
    return StartupHandle::unset(startup, subkey);
}

int pct_startup_clone(pct_startup** out, const pct_startup* startup) noexcept {
    return StartupHandle::clone(out, startup);
}

void pct_startup_free(pct_startup* startup) noexcept { delete startup; }

} // extern "C"
