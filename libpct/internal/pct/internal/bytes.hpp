// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: byte comparisons and searches for the short strings of config files (keys,
// sub-keys, format names, values of a few dozen bytes), inlined where a libc call per
// comparison would cost more than the work. Used by model, parse and render.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pct::detail {

#if defined(__SSE2__)
// SSE2 is part of x86-64: 16 bytes per step where the data is long enough; the word-wide
// code below handles the rest and other targets.
inline __m128i load128(const char* p) noexcept {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
/// The `n` < 16 bytes at `p` in the low lanes of a vector, zeros above, without reading
/// past `p + n`. Built in registers: a vector load of bytes just stored by narrower stores
/// would stall on store forwarding.
inline __m128i load_partial128(const char* p, std::size_t n) noexcept {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    if (n >= 8) {
        std::memcpy(&lo, p, 8);
        if (n > 8) {
            std::memcpy(&hi, p + n - 8, 8);
            hi >>= 8 * (16 - n);
        }
    } else if (n >= 4) {
        std::uint32_t a;
        std::uint32_t b;
        std::memcpy(&a, p, 4);
        std::memcpy(&b, p + n - 4, 4);
        lo = a | (std::uint64_t{b} << (8 * (n - 4)));
    } else {
        for (std::size_t i = 0; i < n; ++i)
            lo |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
    return _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo));
}
inline unsigned match_mask(const char* p, __m128i pattern) noexcept {
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(load128(p), pattern)));
}
#endif

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

/// memcpy without a library call for up to 16 bytes (keys and most values): overlapping
/// word copies.
inline void copy_bytes(char* dst, const char* src, std::size_t n) noexcept {
    if (n >= 8) {
        if (n > 16) {
            std::memcpy(dst, src, n);
            return;
        }
        std::uint64_t head = load64(src);
        std::uint64_t tail = load64(src + n - 8);
        std::memcpy(dst, &head, 8);
        std::memcpy(dst + n - 8, &tail, 8);
    } else if (n >= 4) {
        std::uint32_t head = load32(src);
        std::uint32_t tail = load32(src + n - 4);
        std::memcpy(dst, &head, 4);
        std::memcpy(dst + n - 4, &tail, 4);
    } else {
        for (std::size_t i = 0; i < n; ++i)
            dst[i] = src[i];
    }
}

/// `out = text`, through copy_bytes.
inline void assign_bytes(std::string& out, std::string_view text) {
    // libstdc++ 12 passes the grown capacity, not the requested size, to the operation when
    // it reallocates: use text.size() only.
    out.resize_and_overwrite(text.size(), [text](char* buf, std::size_t) noexcept {
        copy_bytes(buf, text.data(), text.size());
        return text.size();
    });
}

/// How many bytes of `s` equal `c`, eight at a time (exact per-byte test, no borrow).
inline std::size_t count_byte(std::string_view s, char c) noexcept {
    constexpr std::uint64_t lows = 0x7F7F7F7F7F7F7F7FULL;
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    const std::uint64_t pattern = ones * static_cast<unsigned char>(c);
    const char* p = s.data();
    std::size_t n = s.size();
    std::size_t count = 0;
#if defined(__SSE2__)
    {
        const __m128i pc = _mm_set1_epi8(c);
        const __m128i one = _mm_set1_epi8(1);
        __m128i sums = _mm_setzero_si128();
        for (; n >= 16; p += 16, n -= 16) {
            __m128i hits = _mm_and_si128(_mm_cmpeq_epi8(load128(p), pc), one);
            sums = _mm_add_epi64(sums, _mm_sad_epu8(hits, _mm_setzero_si128()));
        }
        count = static_cast<std::size_t>(_mm_cvtsi128_si64(sums)) +
                static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
    }
#endif
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t x = load64(p) ^ pattern;
        // High bit of each byte: set iff the byte of x is zero. Summed by one multiply
        // (std::popcount is a library call on baseline x86-64).
        std::uint64_t zero = ~(((x & lows) + lows) | x | lows);
        count += static_cast<std::size_t>(((zero >> 7) * ones) >> 56);
    }
    for (; n > 0; ++p, --n)
        count += *p == c;
    return count;
}

/// Whether any byte of `s` is >= 0x80.
inline bool has_high_byte(std::string_view s) noexcept {
    const char* p = s.data();
    std::size_t n = s.size();
#if defined(__SSE2__)
    for (; n >= 16; p += 16, n -= 16)
        if (_mm_movemask_epi8(load128(p)))
            return true;
#endif
    for (; n >= 8; p += 8, n -= 8)
        if (load64(p) & 0x8080808080808080ULL)
            return true;
    for (; n > 0; ++p, --n)
        if (static_cast<unsigned char>(*p) >= 0x80)
            return true;
    return false;
}

/// The length of the leading run of `s` that encode_text keeps as it is (0x20-0x7e except
/// '%' and ':'), 16 bytes at a time where SSE2 is there.
inline std::size_t plain_text_run(std::string_view s) noexcept {
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i del = _mm_set1_epi8(0x7f);
    const __m128i percent = _mm_set1_epi8('%');
    const __m128i colon = _mm_set1_epi8(':');
    for (; s.size() - i >= 16; i += 16) {
        __m128i v = load128(s.data() + i);
        // Signed compare: bytes >= 0x80 are negative, so "< 0x20" catches them too.
        __m128i low_or_del = _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del));
        __m128i escapes = _mm_or_si128(_mm_cmpeq_epi8(v, percent), _mm_cmpeq_epi8(v, colon));
        __m128i bad = _mm_or_si128(low_or_del, escapes);
        if (auto mask = static_cast<unsigned>(_mm_movemask_epi8(bad)))
            return i + static_cast<std::size_t>(__builtin_ctz(mask));
    }
#endif
    for (; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c > 0x7e || c == '%' || c == ':')
            break;
    }
    return i;
}

/// `s.starts_with(prefix)` without a library call for short prefixes.
inline bool has_prefix(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && same_bytes(s.substr(0, prefix.size()), prefix);
}

/// `s.ends_with(suffix)` without a library call for short suffixes.
inline bool has_suffix(std::string_view s, std::string_view suffix) noexcept {
    return s.size() >= suffix.size() && same_bytes(s.substr(s.size() - suffix.size()), suffix);
}

/// ASCII character classes as bits of one table entry (one load per character instead of
/// a chain of comparisons).
enum CharClass : unsigned char {
    cc_digit = 1,
    cc_lower = 2,
    cc_upper = 4,
    cc_underscore = 8,
    cc_hex_letter = 16, ///< a-f, A-F
    cc_space = 32,      ///< Perl's \s: space, \t, \n, \v, \f, \r
    cc_dash = 64,
    cc_dot = 128,
};

inline constexpr unsigned char cc_alpha = cc_lower | cc_upper;
inline constexpr unsigned char cc_alnum = cc_digit | cc_alpha;
inline constexpr unsigned char cc_word = cc_alnum | cc_underscore;
inline constexpr unsigned char cc_hex = cc_digit | cc_hex_letter;

inline constexpr auto k_char_classes = [] {
    struct Table {
        unsigned char bits[256];
    } t{};
    for (unsigned c = 0; c < 256; ++c) {
        unsigned char b = 0;
        if (c >= '0' && c <= '9')
            b |= cc_digit;
        if (c >= 'a' && c <= 'z')
            b |= cc_lower;
        if (c >= 'A' && c <= 'Z')
            b |= cc_upper;
        if (c == '_')
            b |= cc_underscore;
        if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            b |= cc_hex_letter;
        if (c == ' ' || (c >= '\t' && c <= '\r'))
            b |= cc_space;
        if (c == '-')
            b |= cc_dash;
        if (c == '.')
            b |= cc_dot;
        t.bits[c] = b;
    }
    return t;
}();

/// Whether `c` is in any of the classes of `mask`.
constexpr bool in_class(char c, unsigned char mask) noexcept {
    return (k_char_classes.bits[static_cast<unsigned char>(c)] & mask) != 0;
}

/// `PVE::Tools::split_list`'s separators (also those of the schema's `-list` formats):
/// ',', ';' and Perl's \s. One table lookup.
inline constexpr auto k_list_separators = [] {
    struct Table {
        bool is[256];
    } t{};
    for (unsigned char c : {',', ';', ' ', '\t', '\n', '\v', '\f', '\r'})
        t.is[c] = true;
    return t;
}();
constexpr bool is_list_separator(char c) noexcept {
    return k_list_separators.is[static_cast<unsigned char>(c)];
}

/// Whether every byte of `s` is in the classes of `mask` (true for an empty `s`).
constexpr bool all_in_class(std::string_view s, unsigned char mask) noexcept {
    for (char c : s)
        if (!in_class(c, mask))
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
#if defined(__SSE2__)
    const __m128i pc = _mm_set1_epi8(c);
    for (; end - p >= 16; p += 16) {
        if (unsigned mask = match_mask(p, pc))
            return p + __builtin_ctz(mask);
    }
#endif
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

/// Whether `s` contains `c` or `d` (pass `c` twice for one byte), eight bytes at a time;
/// the last word overlaps the one before it, short strings are tested without branches.
inline bool has_either_byte(std::string_view s, char c, char d) noexcept {
    const char* p = s.data();
    std::size_t n = s.size();
    auto byte_c = static_cast<unsigned char>(c);
    auto byte_d = static_cast<unsigned char>(d);
    if (n < 8) {
        bool found = false;
        for (std::size_t i = 0; i < n; ++i)
            found |= (p[i] == c) | (p[i] == d);
        return found;
    }
#if defined(__SSE2__)
    if (n >= 16) {
        const __m128i vc = _mm_set1_epi8(c);
        const __m128i vd = _mm_set1_epi8(d);
        auto hit = [&](const char* q) {
            __m128i w = load128(q);
            __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(w, vc), _mm_cmpeq_epi8(w, vd));
            return _mm_movemask_epi8(hits) != 0;
        };
        for (; n > 16; p += 16, n -= 16)
            if (hit(p))
                return true;
        return hit(p + n - 16);
    }
#endif
    for (; n > 8; p += 8, n -= 8) {
        std::uint64_t w = load64(p);
        if (word_has_byte(w, byte_c) || word_has_byte(w, byte_d))
            return true;
    }
    std::uint64_t w = load64(p + n - 8);
    return word_has_byte(w, byte_c) || word_has_byte(w, byte_d);
}

/// Whether `s` contains `c`.
inline bool has_byte(std::string_view s, char c) noexcept { return has_either_byte(s, c, c); }

} // namespace pct::detail
