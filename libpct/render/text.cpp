// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's encode_text, the escaping of description lines.
#include <pct/render/config.hpp>

namespace pct::render {

void encode_text_append(std::string& out, std::string_view text) {
    // Proxmox keeps 0x20-0x24, 0x26-0x39, 0x3b-0x7e; everything else (controls, '%', ':',
    // DEL, bytes >= 0x80) is percent-escaped with upper-case hex.
    static constexpr char hex[] = "0123456789ABCDEF";
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
}

std::string encode_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    encode_text_append(out, text);
    return out;
}

} // namespace pct::render
