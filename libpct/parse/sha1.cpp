// SPDX-License-Identifier: AGPL-3.0-or-later
// The config digest's hex digits (the SHA-1 itself is OpenSSL's, see sha1_impl.hpp).
#include "sha1_impl.hpp"

#include <array>
#include <cstring>

namespace pct::parse::detail {

namespace {

// The two lower-case hex digits of each byte value.
constexpr std::array<char, 512> k_hex_pairs = [] {
    constexpr char digits[] = "0123456789abcdef";
    std::array<char, 512> t{};
    for (std::size_t i = 0; i < 256; ++i) {
        t[2 * i] = digits[i >> 4];
        t[2 * i + 1] = digits[i & 0xf];
    }
    return t;
}();

} // namespace

Digest to_digest(const unsigned char (&bytes)[20]) noexcept {
    // Two digits per byte from the table, written once (no fill first).
    Digest d;
    char* out = d.hex_data();
    for (std::size_t i = 0; i < 20; ++i)
        std::memcpy(out + 2 * i, &k_hex_pairs[2 * std::size_t{bytes[i]}], 2);
    return d;
}

} // namespace pct::parse::detail
