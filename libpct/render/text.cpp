// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/render/config.hpp>

namespace pct::render {

std::string encode_text(std::string_view text) {
    // Proxmox keeps 0x20-0x24, 0x26-0x39, 0x3b-0x7e; everything else (controls, '%', ':',
    // DEL, bytes >= 0x80) is percent-escaped with upper-case hex.
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        bool keep = (c >= 0x20 && c <= 0x7e) && c != '%' && c != ':';
        if (keep) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    return out;
}

} // namespace pct::render
