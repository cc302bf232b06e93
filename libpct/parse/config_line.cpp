// SPDX-License-Identifier: AGPL-3.0-or-later
// The line rules of parse_pct_config (§5.1), one hand-written matcher per regex, tried in
// Proxmox's order. Each matcher mirrors its regex exactly, including where backtracking
// changes the capture.
#include "config_impl.hpp"
#include "pct/internal/bytes.hpp"

#include <pct/parse/config.hpp>

namespace pct::parse {

using namespace detail;

namespace {

constexpr bool iequals_ascii(std::string_view a, std::string_view lower) noexcept {
    if (a.size() != lower.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != lower[i])
            return false;
    }
    return true;
}

// ^\[pve:pending\]\s*$ (case-insensitive)
bool is_pending_header(std::string_view line) noexcept {
    return line.size() >= 13 && line[0] == '[' &&
           iequals_ascii(line.substr(1, 11), "pve:pending") && line[12] == ']' &&
           all_space(line.substr(13));
}

// ^\[([a-z][a-z0-9_\-]+)\]\s*$ (case-insensitive)
bool match_snapshot_header(std::string_view line, std::string_view& name) noexcept {
    if (line.size() < 4 || line[0] != '[' || !is_alpha(line[1]))
        return false;
    std::size_t i = 2;
    while (i < line.size() &&
           (is_alpha(line[i]) || is_digit(line[i]) || line[i] == '_' || line[i] == '-'))
        ++i;
    if (i < 3 || i >= line.size() || line[i] != ']' || !all_space(line.substr(i + 1)))
        return false;
    name = line.substr(1, i - 1);
    return true;
}

constexpr bool is_lxc_key_char(char c) noexcept {
    return is_lower(c) || is_digit(c) || c == '_' || c == '-' || c == '.';
}

// ^(lxc\.[a-z0-9_\-\.]+)(:|\s*=)\s*(.*?)\s*$
bool match_lxc(std::string_view line, ConfigLine& out) noexcept {
    if (!pct::detail::has_prefix(line, "lxc."))
        return false;
    std::size_t i = 4;
    while (i < line.size() && is_lxc_key_char(line[i]))
        ++i;
    if (i == 4 || i >= line.size())
        return false;
    std::size_t key_end = i;
    char separator;
    if (line[i] == ':') {
        separator = ':';
        ++i;
    } else {
        while (i < line.size() && is_space(line[i]))
            ++i;
        if (i >= line.size() || line[i] != '=')
            return false;
        separator = '=';
        ++i;
    }
    out.kind = LineKind::lxc;
    out.key = line.substr(0, key_end);
    out.value = trim(line.substr(i));
    out.separator = separator;
    return true;
}

// snapstate:\s*(prepare|delete)\s*$ -- not anchored at the start. Matched from the right:
// the word must end the line (before trailing blanks) and "snapstate:" must precede it.
bool match_snapstate(std::string_view line, std::string_view& word) noexcept {
    std::string_view t = trim_right(line);
    // Both words end in 'e': one comparison clears almost every line.
    if (t.empty() || t.back() != 'e')
        return false;
    std::string_view w;
    if (pct::detail::has_suffix(t, "prepare"))
        w = t.substr(t.size() - 7);
    else if (pct::detail::has_suffix(t, "delete"))
        w = t.substr(t.size() - 6);
    else
        return false;
    std::string_view before = trim_right(t.substr(0, t.size() - w.size()));
    if (!pct::detail::has_suffix(before, "snapstate:"))
        return false;
    word = w;
    return true;
}

} // namespace

namespace {

// The end of `^[a-z][a-z_]*\d*` in a line whose first byte is a lower-case letter, found by
// one vector compare when 16 bytes can be read from it (a loop whose length changes from
// key to key mispredicts its exit); 0 = not decided here.
std::size_t key_end_vector([[maybe_unused]] std::string_view line,
                           [[maybe_unused]] std::size_t readable) noexcept {
#if defined(__SSE2__)
    if (readable < 16)
        return 0;
    __m128i v = pct::detail::load128(line.data());
    // Signed compares: bytes >= 0x80 are negative and fall outside both ranges.
    __m128i lower = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)),
                                  _mm_cmplt_epi8(v, _mm_set1_epi8('z' + 1)));
    __m128i word = _mm_or_si128(lower, _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    unsigned not_word = ~static_cast<unsigned>(_mm_movemask_epi8(word)) & 0xFFFFu;
    if (not_word == 0)
        return 0;
    auto i = static_cast<unsigned>(__builtin_ctz(not_word));
    unsigned not_digit = (~static_cast<unsigned>(_mm_movemask_epi8(digit)) & 0xFFFFu) >> i;
    if (not_digit == 0)
        return 0;
    i += static_cast<unsigned>(__builtin_ctz(not_digit));
    return i < line.size() ? i : line.size();
#else
    return 0;
#endif
}

} // namespace

ConfigLine classify_line(std::string_view line) noexcept {
    return detail::classify_line_in(line, line.size());
}

ConfigLine detail::classify_line_in(std::string_view line, std::size_t readable) noexcept {
    ConfigLine out;
    if (all_space(line)) {
        out.kind = LineKind::blank;
        return out;
    }
    if (line[0] == '[') {
        if (is_pending_header(line)) {
            out.kind = LineKind::pending_header;
            return out;
        }
        if (match_snapshot_header(line, out.key)) {
            out.kind = LineKind::snapshot_header;
            return out;
        }
    }
    if (line[0] == '#') {
        out.kind = LineKind::comment;
        out.value = std::string_view(line.data() + 1, line.size() - 1);
        return out;
    }
    if (line[0] == 'l' && match_lxc(line, out))
        return out;
    if (line[0] == 'd' && pct::detail::has_prefix(line, "description:")) {
        std::string_view v = capture_nonblank(line.substr(12));
        if (!v.empty()) {
            out.kind = LineKind::description;
            out.key = line.substr(0, 11);
            out.value = v;
            return out;
        }
    }
    if (std::string_view word; match_snapstate(line, word)) {
        out.kind = LineKind::snapstate;
        out.key = "snapstate";
        out.value = word;
        return out;
    }
    if (line[0] == 'd' && pct::detail::has_prefix(line, "delete:")) {
        std::string_view v = capture_nonblank(line.substr(7));
        if (!v.empty()) {
            out.kind = LineKind::delete_key;
            out.key = line.substr(0, 6);
            out.value = v;
            return out;
        }
    }
    // ^([a-z][a-z_]*\d*):\s*(.+?)\s*$
    if (is_lower(line[0])) {
        using pct::detail::in_class;
        constexpr unsigned char key_chars = pct::detail::cc_lower | pct::detail::cc_underscore;
        std::size_t i = key_end_vector(line, readable);
        if (i == 0) {
            i = 1;
            while (i < line.size() && in_class(line[i], key_chars))
                ++i;
            while (i < line.size() && in_class(line[i], pct::detail::cc_digit))
                ++i;
        }
        if (i < line.size() && line[i] == ':') {
            std::string_view v =
                capture_lazy(std::string_view(line.data() + i + 1, line.size() - i - 1));
            if (!v.empty()) {
                out.kind = LineKind::option;
                out.key = std::string_view(line.data(), i);
                out.value = v;
                return out;
            }
        }
    }
    out.kind = LineKind::invalid;
    return out;
}

} // namespace pct::parse
