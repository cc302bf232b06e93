// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "net": netN network interface values as handles.
#include "fields.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using namespace pct::capi;

extern "C" {

int pct_net_new(pct_net** out) noexcept {
    return guard([&] { return handle_new(out); });
}

int pct_net_parse(pct_net** out, const char* text) noexcept {
    return guard([&] { return handle_parse(out, text, [](std::string_view s) { return pct::parse::net(s); }); });
}

int pct_net_print(char** out, const pct_net* net) noexcept {
    return guard([&] { return handle_print(out, net, [](const auto& v) { return pct::render::net(v); }); });
}

int pct_net_get(const char** value_out, const pct_net* net, const char* subkey) noexcept {
    return guard([&] { return handle_get(value_out, net, subkey, net_fields()); });
}

int pct_net_set(pct_net* net, const char* subkey, const char* value) noexcept {
    return guard([&] {
        return handle_set(net, subkey, value, net_fields(),
                          [](const auto& v, const auto&) { return pct::render::net(v); });
    });
}

int pct_net_unset(pct_net* net, const char* subkey) noexcept {
    return guard([&] { return handle_unset(net, subkey, net_fields()); });
}

int pct_net_clone(pct_net** out, const pct_net* net) noexcept {
    return guard([&] { return handle_clone(out, net); });
}

void pct_net_free(pct_net* net) noexcept { delete net; }

} // extern "C"
