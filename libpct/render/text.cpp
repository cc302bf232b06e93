// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's encode_text, the escaping of description lines.
#include <pct/render/config.hpp>

#include <array>

namespace pct::render {

namespace {

// Proxmox keeps 0x20-0x24, 0x26-0x39, 0x3b-0x7e; everything else (controls, '%', ':',
// DEL, bytes >= 0x80) is percent-escaped with upper-case hex.
constexpr std::array<bool, 256> k_escaped = [] {
    std::array<bool, 256> t{};
    for (unsigned c = 0; c < 256; ++c)
        t[c] = c < 0x20 || c > 0x7e || c == '%' || c == ':';
    return t;
}();

} // namespace

void encode_text_append(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t start = i;
        while (i < text.size() && !k_escaped[static_cast<unsigned char>(text[i])])
            ++i;
        out.append(text.data() + start, i - start);
        if (i == text.size())
            break;
        auto c = static_cast<unsigned char>(text[i++]);
        const char escaped[3] = {'%', hex[c >> 4], hex[c & 0xf]};
        out.append(escaped, 3);
    }
}

std::string encode_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    encode_text_append(out, text);
    return out;
}

} // namespace pct::render
