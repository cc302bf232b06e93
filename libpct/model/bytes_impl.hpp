// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: byte comparisons and searches for the short strings of config files (keys,
// sub-keys, format names, values of a few dozen bytes), inlined where a libc call per
// comparison would cost more than the work. Used by model, parse and render.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace pct::detail {

inline std::uint64_t load64(const char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

inline std::uint32_t load32(const char* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

/// `a == b`, with overlapping word loads for up to 16 bytes.
inline bool same_bytes(std::string_view a, std::string_view b) noexcept {
    std::size_t n = a.size();
    if (n != b.size())
        return false;
    const char* p = a.data();
    const char* q = b.data();
    if (n >= 8) {
        if (n > 16)
            return std::memcmp(p, q, n) == 0;
        return load64(p) == load64(q) && load64(p + n - 8) == load64(q + n - 8);
    }
    if (n >= 4)
        return load32(p) == load32(q) && load32(p + n - 4) == load32(q + n - 4);
    for (std::size_t i = 0; i < n; ++i)
        if (p[i] != q[i])
            return false;
    return true;
}

/// Whether any byte of the 8 in `word` equals `byte`.
constexpr bool word_has_byte(std::uint64_t word, unsigned char byte) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    std::uint64_t x = word ^ (ones * byte);
    return ((x - ones) & ~x & highs) != 0;
}

/// The first `c` in [p, end), or `end`; eight bytes at a time (the lowest flagged byte of
/// the word test is always a real match, later flags may be false positives).
inline const char* find_byte(const char* p, const char* end, char c) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const std::uint64_t pattern = ones * static_cast<unsigned char>(c);
    // The byte index below assumes the first byte is the lowest of the loaded word.
    while (std::endian::native == std::endian::little && end - p >= 8) {
        std::uint64_t x = load64(p) ^ pattern;
        std::uint64_t found = (x - ones) & ~x & highs;
        if (found)
            return p + (__builtin_ctzll(found) >> 3);
        p += 8;
    }
    while (p != end && *p != c)
        ++p;
    return p;
}

/// Whether `s` contains `c`, eight bytes at a time.
inline bool has_byte(std::string_view s, char c) noexcept {
    const char* p = s.data();
    std::size_t n = s.size();
    auto byte = static_cast<unsigned char>(c);
    for (; n >= 8; p += 8, n -= 8)
        if (word_has_byte(load64(p), byte))
            return true;
    for (; n > 0; ++p, --n)
        if (*p == c)
            return true;
    return false;
}

/// Whether `s` contains `a` or `b`, eight bytes at a time.
inline bool has_either_byte(std::string_view s, char a, char b) noexcept {
    const char* p = s.data();
    std::size_t n = s.size();
    auto byte_a = static_cast<unsigned char>(a);
    auto byte_b = static_cast<unsigned char>(b);
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t w = load64(p);
        if (word_has_byte(w, byte_a) || word_has_byte(w, byte_b))
            return true;
    }
    for (; n > 0; ++p, --n)
        if (*p == a || *p == b)
            return true;
    return false;
}

} // namespace pct::detail
