// SPDX-License-Identifier: AGPL-3.0-or-later
// Small text helpers of the file format: digest, description decoding, CTID from a path.
#include <pct/parse/config.hpp>

#include "pct/internal/bytes.hpp"

#include "sha1_impl.hpp"

#include <cctype>
#include <cstdint>

namespace pct::parse {

std::string sha1_hex(std::string_view bytes) {
    detail::Sha1 sha;
    sha.update(bytes.data(), bytes.size());
    return sha.digest().str();
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

// URI::Escape::uri_unescape: s/%([0-9A-Fa-f]{2})/chr(hex($1))/eg, copying the runs between
// escapes whole.
void uri_unescape_append(std::string& out, std::string_view text) {
    const char* p = text.data();
    const char* end = p + text.size();
    while (p != end) {
        const char* pct = pct::detail::find_byte(p, end, '%');
        out.append(p, static_cast<std::size_t>(pct - p));
        if (pct == end)
            break;
        if (end - pct > 2) {
            int hi = hex_value(pct[1]);
            int lo = hex_value(pct[2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                p = pct + 3;
                continue;
            }
        }
        out += '%';
        p = pct + 1;
    }
}

constexpr bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Perl's UTF8SKIP for a start byte (Perl's extended UTF-8: FE = 7 bytes, FF = 13 bytes).
constexpr std::size_t utf8_skip(unsigned char c) {
    if (c < 0xE0)
        return 2;
    if (c < 0xF0)
        return 3;
    if (c < 0xF8)
        return 4;
    if (c < 0xFC)
        return 5;
    if (c < 0xFE)
        return 6;
    return c == 0xFE ? 7 : 13;
}

// Perl's UNISKIP (OFFUNISKIP): the length of the shortest encoding of a code point.
constexpr std::size_t uni_skip(std::uint64_t uv) {
    if (uv < 0x80)
        return 1;
    if (uv < 0x800)
        return 2;
    if (uv < 0x10000)
        return 3;
    if (uv < 0x200000)
        return 4;
    if (uv < 0x4000000)
        return 5;
    if (uv < 0x80000000ULL)
        return 6;
    if (uv < (1ULL << 36))
        return 7;
    return 13;
}

// Length of the well-formed (lax) sequence at s, or 0 with `bad` = bytes one U+FFFD replaces.
std::size_t utf8_sequence(const unsigned char* s, std::size_t avail, std::size_t& bad) {
    unsigned char c = s[0];
    if (is_continuation(c)) {
        bad = 1;
        return 0;
    }
    std::size_t need = utf8_skip(c);
    std::size_t i = 1;
    std::uint64_t uv = need >= 7 ? 0 : (c & (0x1F >> (need - 2)));
    bool overflow = false;
    while (i < need && i < avail && is_continuation(s[i])) {
        if (uv >> 58)
            overflow = true;
        uv = (uv << 6) | (s[i] & 0x3F);
        ++i;
    }
    if (i < need) {
        bad = i;
        return 0;
    }
    if (overflow || uv > 0x7FFFFFFFFFFFFFFFULL || uni_skip(uv) < need) {
        bad = need;
        return 0;
    }
    return need;
}

// Perl 5.36's strict-UTF-8 DFA (PL_strict_utf8_dfa_tab): byte classes of 0x80..0xFF, then the
// transitions; states are row offsets (N_k = 19 * k), 0 = accept, 1 = reject.
constexpr unsigned char dfa_class_high[128] = {
    9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  10, // 80-8F
    11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 12, // 90-9F
    13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 14, // A0-AF
    15, 15, 15, 15, 15, 15, 15, 16, 15, 15, 15, 15, 15, 15, 17, 18, // B0-BF
    1,  1,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  // C0-CF
    2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  // D0-DF
    7,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  1,  3,  4,  // E0-EF
    8,  6,  6,  6,  5,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  // F0-FF
};
constexpr unsigned char dfa_transition[12 * 19] = {
    0, 1, 19, 38, 76, 133, 114, 57, 95, 1,  1,   1,  1,   1,  1,   1,  1,   1,  1,   // N0
    1, 1, 1,  1,  1,  1,   1,   1,  1,  0,  0,   0,  0,   0,  0,   0,  0,   0,  0,   // N1
    1, 1, 1,  1,  1,  1,   1,   1,  1,  19, 19,  19, 19,  19, 19,  19, 19,  19, 19,  // N2
    1, 1, 1,  1,  1,  1,   1,   1,  1,  1,  1,   1,  1,   19, 19,  19, 19,  19, 19,  // N3
    1, 1, 1,  1,  1,  1,   1,   1,  1,  19, 19,  19, 19,  19, 19,  19, 152, 19, 171, // N4
    1, 1, 1,  1,  1,  1,   1,   1,  1,  1,  1,   38, 190, 38, 190, 38, 38,  38, 190, // N5
    1, 1, 1,  1,  1,  1,   1,   1,  1,  38, 190, 38, 190, 38, 190, 38, 38,  38, 190, // N6
    1, 1, 1,  1,  1,  1,   1,   1,  1,  38, 190, 1,  1,   1,  1,   1,  1,   1,  1,   // N7
    1, 1, 1,  1,  1,  1,   1,   1,  1,  0,  0,   1,  1,   1,  1,   0,  0,   0,  0,   // N8
    1, 1, 1,  1,  1,  1,   1,   1,  1,  0,  0,   0,  0,   0,  0,   0,  0,   1,  1,   // N9
    1, 1, 1,  1,  1,  1,   1,   1,  1,  19, 19,  19, 19,  19, 19,  19, 19,  19, 209, // N10
    1, 1, 1,  1,  1,  1,   1,   1,  1,  0,  0,   0,  0,   0,  0,   0,  0,   1,  1,   // N11
};

constexpr unsigned dfa_class(unsigned char c) { return c < 0x80 ? 0 : dfa_class_high[c - 0x80]; }

// How many bytes Encode replaces with one U+FFFD at a malformed position. Encode asks perl's
// utf8n_to_uvchr, whose inline DFA starts from the state of the first byte without testing
// it for "reject"; from there it reads the next column of the table and may "accept" a few
// bytes (`80 C2 9F 80` is skipped whole). Otherwise the helper's length: the bytes up to
// the first non-continuation, or the whole sequence for overlongs and overflows.
std::size_t malformed_length(const unsigned char* s, std::size_t avail) {
    unsigned state = dfa_transition[dfa_class(s[0])];
    for (std::size_t i = 1; i < avail; ++i) {
        state = dfa_transition[state + dfa_class(s[i])];
        if (state == 0)
            return i + 1;
        if (state == 1)
            break;
    }
    std::size_t bad = 1;
    utf8_sequence(s, avail, bad);
    return bad;
}

// Encode::decode("utf8", bytes): lax UTF-8, every malformation becomes one U+FFFD.
void utf8_sanitize_append(std::string& out, std::string_view bytes) {
    const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t n = bytes.size();
    std::size_t i = 0;
    while (i < n) {
        std::size_t start = i;
        while (i < n && s[i] < 0x80)
            ++i;
        out.append(bytes.data() + start, i - start);
        if (i >= n)
            break;
        std::size_t bad = 0;
        std::size_t len = utf8_sequence(s + i, n - i, bad);
        (void)bad;
        if (len > 0) {
            out.append(bytes.data() + i, len);
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            i += malformed_length(s + i, n - i);
        }
    }
}

} // namespace

void decode_text_append(std::string& out, std::string_view text) {
    // Un-escape straight into `out`; only text with bytes >= 0x80 after that needs the UTF-8
    // pass, which reads a copy.
    std::size_t mark = out.size();
    uri_unescape_append(out, text);
    std::string_view added(out.data() + mark, out.size() - mark);
    if (!pct::detail::has_high_byte(added)) [[likely]]
        return;
    std::string bytes(added);
    out.resize(mark);
    utf8_sanitize_append(out, bytes);
}

std::string decode_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    decode_text_append(out, text);
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
