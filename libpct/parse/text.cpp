// SPDX-License-Identifier: AGPL-3.0-or-later
// Small text helpers of the file format: digest, description decoding, CTID from a path.
#include <pct/parse/config.hpp>

#include <openssl/sha.h>

#include <cctype>

namespace pct::parse {

std::string sha1_hex(std::string_view bytes) {
    unsigned char md[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), md);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(2 * SHA_DIGEST_LENGTH, '0');
    for (int i = 0; i < SHA_DIGEST_LENGTH; ++i) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0xf];
    }
    return out;
}

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
} // namespace

std::string decode_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            int hi = hex_value(text[i + 1]);
            int lo = hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::uint32_t vmid_from_path(std::string_view path) {
    auto slash = path.rfind('/');
    std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
    std::size_t digits = 0;
    while (digits < base.size() && std::isdigit(static_cast<unsigned char>(base[digits])))
        ++digits;
    if (digits == 0 || digits > 9)
        return 100;
    std::uint32_t id = 0;
    for (std::size_t i = 0; i < digits; ++i)
        id = id * 10 + static_cast<std::uint32_t>(base[i] - '0');
    return id;
}

} // namespace pct::parse
