// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "net": netN network interface values as handles.
#include "fields.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using NetHandle =
    pct::capi::ValueHandle<pct_net, pct::parse::net, pct::render::net, pct::capi::net_fields>;

extern "C" {

int pct_net_new(pct_net** out) noexcept { return NetHandle::make(out); }

int pct_net_parse(pct_net** out, const char* text) noexcept {
    return NetHandle::parse_text(out, text);
}

int pct_net_print(char** out, const pct_net* net) noexcept {
    return NetHandle::print_text(out, net);
}

int pct_net_get(const char** value_out, const pct_net* net, const char* subkey) noexcept {
    return NetHandle::get(value_out, net, subkey);
}

int pct_net_set(pct_net* net, const char* subkey, const char* value) noexcept {
    return NetHandle::set(net, subkey, value);
}

int pct_net_unset(pct_net* net, const char* subkey) noexcept {
    return NetHandle::unset(net, subkey);
}

int pct_net_clone(pct_net** out, const pct_net* net) noexcept { return NetHandle::clone(out, net); }

void pct_net_free(pct_net* net) noexcept { delete net; }

} // extern "C"
