// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzzes the property-string parsers (net, rootfs, mpN, unusedN, devN, features, startup) and
// sizes. The first byte picks the parser. Whatever parses must print, and what is printed must
// parse back to the same value (the value-type invariant parse(render(x)) == x).
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

template <class Parse, class Render>
void round_trip(std::string_view text, Parse parse, Render render) {
    auto value = parse(text);
    if (!value)
        return;
    auto printed = render(*value);
    if (!printed)
        return; // e.g. a value Proxmox's printer refuses (commas are impossible here)
    auto back = parse(*printed);
    if (!back || !(*back == *value))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    namespace p = pct::parse;
    namespace r = pct::render;
    switch (data[0] % 8) {
    case 0:
        round_trip(text, p::net, r::net);
        break;
    case 1:
        round_trip(text, p::rootfs, r::rootfs);
        break;
    case 2:
        round_trip(text, p::mount_point, r::mount_point);
        break;
    case 3:
        round_trip(text, p::unused, r::unused);
        break;
    case 4:
        round_trip(text, p::device, r::device);
        break;
    case 5:
        round_trip(text, p::features, r::features);
        break;
    case 6:
        round_trip(text, p::startup, r::startup);
        break;
    case 7: {
        auto bytes = p::size(text);
        if (bytes) {
            auto back = p::size(r::size(*bytes));
            if (!back || *back != *bytes)
                std::abort();
        }
        break;
    }
    }
    return 0;
}
