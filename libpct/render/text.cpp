// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's encode_text, the escaping of description lines.
#include <pct/render/config.hpp>

#include "pct/internal/bytes.hpp"

namespace pct::render {

void encode_text_append(std::string& out, std::string_view text) {
    // Proxmox keeps 0x20-0x24, 0x26-0x39, 0x3b-0x7e; everything else (controls, '%', ':',
    // DEL, bytes >= 0x80) is percent-escaped with upper-case hex.
    static constexpr char hex[] = "0123456789ABCDEF";
    while (!text.empty()) {
        std::size_t run = pct::detail::plain_text_run(text);
        out.append(text.data(), run);
        if (run == text.size())
            break;
        auto c = static_cast<unsigned char>(text[run]);
        const char escaped[3] = {'%', hex[c >> 4], hex[c & 0xf]};
        out.append(escaped, 3);
        text.remove_prefix(run + 1);
    }
}

std::string encode_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    encode_text_append(out, text);
    return out;
}

} // namespace pct::render
