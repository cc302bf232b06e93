// SPDX-License-Identifier: AGPL-3.0-or-later
// The schema compiled into check tables once (see compiled_schema_impl.hpp).
#include "pct/internal/compiled_schema.hpp"

#include "pct/internal/bytes.hpp"
#include "pct/internal/properties.hpp"
#include "pct/internal/schema.hpp"

#include <cstdio>
#include <cstdlib>

namespace pct::parse::detail {
namespace {

using schema::KeyInfo;
using schema::Type;

// The one-test kinds, when nothing else applies.
ValueCheck compile_value(const KeyInfo& info, const ValueRules& r) {
    ValueCheck c;
    bool has_pattern = !info.pattern.empty();
    bool limits = info.max_length || r.has_minimum || r.has_maximum;
    bool rules = r.has_format || has_pattern || limits || !r.enum_values.empty();
    ValueMatcher format_match = r.format_known ? format_matcher(r.format) : nullptr;
    if (r.never()) {
        c.kind = ValueCheck::Kind::general;
    } else if (info.type == Type::boolean && !rules) {
        c.kind = ValueCheck::Kind::boolean;
    } else if (info.type == Type::string && !limits && r.enum_values.empty() &&
               r.has_format != has_pattern && (format_match || r.pattern)) {
        c.kind = ValueCheck::Kind::matcher;
        c.matcher = format_match ? format_match : r.pattern;
    } else if (info.type == Type::string && !r.has_format && !has_pattern && !limits &&
               !r.enum_values.empty()) {
        c.kind = ValueCheck::Kind::choice;
        c.enum_values = r.enum_values;
    } else {
        c.kind = ValueCheck::Kind::general;
    }
    return c;
}

constexpr unsigned name_hash(std::string_view name, unsigned mul_first,
                             unsigned mul_last) noexcept {
    return (static_cast<unsigned char>(name.front()) * mul_first +
            static_cast<unsigned char>(name.back()) * mul_last +
            static_cast<unsigned>(name.size())) &
           63u;
}

void compile_property(std::span<const KeyInfo> keys, PropertyCheck& p) {
    // The schema has at most 15 sub-keys per property string; a schema edit past the tables'
    // size must stop every program at once (tests included), not write past them.
    if (keys.size() > PropertyCheck::max_keys) {
        std::fputs("libpct: a property-string schema has more sub-keys than PropertyCheck holds\n",
                   stderr);
        std::abort();
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const KeyInfo& k = keys[i];
        p.names[i] = k.name;
        p.rules[i] = ValueRules::from(k);
        p.values[i] = compile_value(k, p.rules[i]);
        if (!k.optional)
            p.required |= 1u << i;
        if (k.type == Type::boolean)
            p.booleans |= 1u << i;
        if (k.default_key && p.default_index < 0)
            p.default_index = static_cast<int>(i);
    }
    // The first multipliers that give every name its own slot (a handful of tries for 15
    // names in 64 slots).
    for (unsigned first = 1; first < 256; ++first) {
        for (unsigned last = 1; last < 256; ++last) {
            p.slots.fill(-1);
            bool perfect = true;
            for (std::size_t i = 0; i < keys.size() && perfect; ++i) {
                auto& slot = p.slots[name_hash(keys[i].name, first, last)];
                perfect = slot < 0;
                slot = static_cast<signed char>(i);
            }
            if (perfect) {
                p.mul_first = first;
                p.mul_last = last;
                return;
            }
        }
    }
    std::fputs("libpct: no perfect hash for a property-string schema's sub-key names\n", stderr);
    std::abort();
}

struct Compiled {
    std::array<KeyCheck, schema::detail::top_level_count> keys{};
    std::array<PropertyCheck, schema::detail::top_level_count> properties{};
    std::size_t property_count = 0;

    Compiled() {
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const KeyInfo& info = schema::detail::top_level(i);
            KeyCheck& k = keys[i];
            k.info = &info;
            if (!info.sub_keys.empty()) {
                PropertyCheck& p = properties[property_count++];
                compile_property(info.sub_keys, p);
                k.property = &p;
            }
            // check_type's order: the type, then a named format, then the property string.
            switch (info.type) {
            case Type::boolean:
                k.kind = TopCheck::boolean;
                continue;
            case Type::integer:
                k.kind = TopCheck::integer;
                continue;
            case Type::number:
                k.kind = TopCheck::number;
                continue;
            case Type::string:
                break;
            }
            if (!info.format.empty()) {
                k.kind = TopCheck::format;
                auto f = resolve_format(info.format);
                k.format_known = f.has_value();
                if (f) {
                    k.format = *f;
                    k.matcher = format_matcher(*f);
                }
            } else if (k.property) {
                k.kind = TopCheck::property;
            } else {
                k.kind = TopCheck::plain;
            }
        }
    }
};

// Built on first use, never changed afterwards (C++ makes the initialization thread-safe).
const Compiled& compiled() {
    static const Compiled tables;
    return tables;
}

} // namespace

ValueRules ValueRules::from(const KeyInfo& info) noexcept {
    ValueRules r;
    r.type = info.type;
    if (!info.format.empty()) {
        auto f = resolve_format(info.format);
        r.has_format = true;
        r.format_known = f.has_value();
        if (f)
            r.format = *f;
    }
    if (!info.pattern.empty()) {
        r.has_pattern = true;
        r.pattern = pattern_matcher(info.pattern);
    }
    if (info.max_length)
        r.max_length = *info.max_length;
    r.has_minimum = info.minimum.has_value();
    r.has_maximum = info.maximum.has_value();
    r.minimum = info.minimum.value_or(0);
    r.maximum = info.maximum.value_or(0);
    r.enum_values = info.enum_values;
    return r;
}

ValueFault ValueRules::fault(std::string_view value) const {
    switch (type) {
    case Type::boolean:
        if (value.size() != 1 || (value[0] != '1' && value[0] != '0'))
            return ValueFault::type;
        break;
    case Type::integer:
        if (!is_integer(value))
            return ValueFault::type;
        break;
    case Type::number:
        if (!is_number(value))
            return ValueFault::type;
        break;
    case Type::string:
        break;
    }
    if (has_format && (!format_known || !format_valid(format, value)))
        return ValueFault::format;
    if (has_pattern && !pattern)
        return ValueFault::pattern_unknown;
    if (pattern && !pattern(value))
        return ValueFault::pattern;
    if (value.size() > max_length && utf8_length(value) > max_length)
        return ValueFault::max_length;
    if ((has_minimum || has_maximum) && is_number(value)) {
        double n = number_value(value);
        if (has_maximum && n > maximum)
            return ValueFault::maximum;
        if (has_minimum && n < minimum)
            return ValueFault::minimum;
    }
    if (!enum_values.empty()) {
        for (std::string_view e : enum_values)
            if (pct::detail::same_bytes(e, value))
                return ValueFault::none;
        return ValueFault::enumeration;
    }
    return ValueFault::none;
}

inline bool PropertyCheck::value_ok(std::size_t i, std::string_view value) const {
    const ValueCheck& c = values[i];
    switch (c.kind) {
    case ValueCheck::Kind::matcher:
        return c.matcher(value);
    case ValueCheck::Kind::boolean:
        return value.size() == 1 && (value[0] == '1' || value[0] == '0');
    case ValueCheck::Kind::choice:
        for (std::string_view e : c.enum_values)
            if (pct::detail::same_bytes(e, value))
                return true;
        return false;
    case ValueCheck::Kind::general:
        break;
    }
    return rules[i].ok(value);
}

inline int PropertyCheck::index(std::string_view name) const noexcept {
    if (name.empty())
        return -1;
    int i = slots[name_hash(name, mul_first, mul_last)];
    if (i < 0 || !pct::detail::same_bytes(names[static_cast<std::size_t>(i)], name))
        return -1;
    return i;
}

// The state of one walk over a property string. Values are checked as they are read, but
// for the default key's, which a bare value later on may replace (only read where
// `present` has the bit: no initialization needed).
struct PropertyCheck::Walk {
    struct Slot {
        const char* data;
        std::size_t size;
    };
    Slot slots[max_keys];
    std::uint32_t present = 0;
    bool default_used = false;
};

// The steps of split_property_string + check_object, for the verdict only (so in any
// order); `next(pos)` gives the positions of the first ',' at or after `pos` and of the
// first '=' before it (the text's size when there is none). Any problem sends the caller
// to the full engine for the message.
template <class NextSeparators, class Index>
bool PropertyCheck::walk(std::string_view text, NextSeparators next, Index index_of) const {
    Walk w;
    const char* base = text.data();
    const std::size_t n = text.size();
    auto truthy = [](const Walk::Slot& v) { return v.size > 1 || (v.size == 1 && *v.data != '0'); };

    // One part: [start, end) with its first '=' at `eq` (>= end when there is none).
    auto take = [&](std::size_t start, std::size_t end, std::size_t eq) {
        const char* part = base + start;
        if (start == end)
            return true;
        if (pct::detail::in_class(*part, pct::detail::cc_space)) {
            // A blank part is skipped.
            std::size_t i = start;
            while (i < end && pct::detail::in_class(base[i], pct::detail::cc_space))
                ++i;
            if (i == end)
                return true;
        }
        if (eq < end) {
            if (eq == start || eq + 1 == end)
                return false; // "=v" or "k="
            int i = index_of(part, eq - start);
            if (i < 0)
                return false; // not in the schema
            std::uint32_t bit = 1u << i;
            if (w.present & bit)
                return false; // duplicate
            std::string_view v(base + eq + 1, end - eq - 1);
            // Booleans are normalized ("1"/"0", what files hold, are already).
            if ((booleans & bit) && !(v.size() == 1 && (v[0] == '1' || v[0] == '0'))) {
                if (auto b = parse_boolean(v))
                    v = *b ? std::string_view("1", 1) : std::string_view("0", 1);
            }
            w.present |= bit;
            if (i != default_index)
                return value_ok(static_cast<std::size_t>(i), v);
            // A later bare value may still replace the default key's: checked at the end.
            w.slots[static_cast<std::size_t>(i)] = {v.data(), v.size()};
            return true;
        }
        if (w.default_used || default_index < 0)
            return false;
        w.default_used = true;
        auto def = static_cast<std::size_t>(default_index);
        std::uint32_t bit = 1u << def;
        Walk::Slot& slot = w.slots[def];
        if ((w.present & bit) && truthy(slot))
            return false;
        slot = {part, end - start};
        w.present |= bit;
        return true;
    };

    for (std::size_t start = 0;;) {
        auto [comma, eq] = next(start);
        if (!take(start, comma, eq))
            return false;
        if (comma >= n)
            break;
        start = comma + 1;
    }

    if (required & ~w.present)
        return false;
    if (default_index < 0 || !(w.present & (1u << default_index)))
        return true;
    const Walk::Slot& def = w.slots[static_cast<std::size_t>(default_index)];
    return value_ok(static_cast<std::size_t>(default_index), {def.data, def.size});
}

namespace {

struct Separators {
    std::size_t comma;
    std::size_t eq;
};

// Bit i of a mask word: byte i of the text is the separator. Property strings are short:
// one pass over the text finds every separator, and the walk reads bits instead of
// searching again for each part.
constexpr std::size_t mask_words = 4;

struct SeparatorMasks {
    // Only the words that hold the text are written (and read).
    std::uint64_t comma[mask_words];
    std::uint64_t eq[mask_words];
    std::size_t size = 0;

    // `text` holds at most 64 * mask_words bytes. Each word is built in registers and
    // stored once.
    explicit SeparatorMasks(std::string_view text) noexcept : size(text.size()) {
        const char* p = text.data();
        std::size_t n = text.size();
#if defined(__SSE2__)
        const __m128i commas = _mm_set1_epi8(',');
        const __m128i equals = _mm_set1_epi8('=');
        auto bits = [](__m128i v, __m128i c) {
            return static_cast<std::uint64_t>(
                static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, c))));
        };
        if (n < 16) {
            __m128i v = pct::detail::load_partial128(p, n);
            comma[0] = bits(v, commas);
            eq[0] = bits(v, equals);
            return;
        }
        std::size_t i = 0;
        for (std::size_t w = 0; i < n; ++w) {
            std::uint64_t c = 0;
            std::uint64_t e = 0;
            for (unsigned shift = 0; shift < 64 && i < n; shift += 16, i += 16) {
                __m128i v;
                unsigned drop = 0;
                if (i + 16 <= n) {
                    v = pct::detail::load128(p + i);
                } else {
                    // The last 16 bytes of the text, without those already seen.
                    drop = static_cast<unsigned>(i + 16 - n);
                    v = pct::detail::load128(p + n - 16);
                }
                c |= (bits(v, commas) >> drop) << shift;
                e |= (bits(v, equals) >> drop) << shift;
            }
            comma[w] = c;
            eq[w] = e;
        }
#else
        for (std::size_t w = 0; w < mask_words; ++w)
            comma[w] = eq[w] = 0;
        for (std::size_t i = 0; i < n; ++i) {
            comma[i >> 6] |= std::uint64_t{p[i] == ','} << (i & 63);
            eq[i >> 6] |= std::uint64_t{p[i] == '='} << (i & 63);
        }
#endif
    }

    // The first set bit in [pos, limit), or `size`; limit <= size.
    std::size_t next(const std::uint64_t* mask, std::size_t pos, std::size_t limit) const noexcept {
        if (pos >= limit)
            return size;
        std::size_t w = pos >> 6;
        std::size_t last = (limit - 1) >> 6;
        std::uint64_t bits = mask[w] & (~std::uint64_t{0} << (pos & 63));
        while (bits == 0) {
            if (++w > last)
                return size;
            bits = mask[w];
        }
        std::size_t at = (w << 6) + static_cast<std::size_t>(__builtin_ctzll(bits));
        return at < limit ? at : size;
    }
};

} // namespace

bool PropertyCheck::valid(std::string_view text) const {
    const std::size_t n = text.size();
    auto index_of = [&](const char* name, std::size_t size) { return index({name, size}); };
    if (n <= 64 * mask_words) {
        const SeparatorMasks masks(text);
        return walk(
            text,
            [&](std::size_t pos) {
                std::size_t comma = masks.next(masks.comma, pos, n);
                return Separators{comma, masks.next(masks.eq, pos, comma)};
            },
            index_of);
    }
    // Longer texts (none that Proxmox writes): search from each part.
    const char* begin = text.data();
    const char* end = begin + n;
    return walk(
        text,
        [&](std::size_t pos) {
            const char* comma = pct::detail::find_byte(begin + pos, end, ',');
            const char* eq = pct::detail::find_byte(begin + pos, comma, '=');
            auto at = [&](const char* q) { return static_cast<std::size_t>(q - begin); };
            return Separators{at(comma), eq == comma ? n : at(eq)};
        },
        index_of);
}

std::atomic<const KeyCheck*> g_key_checks{nullptr};

const KeyCheck* build_key_checks() noexcept {
    const KeyCheck* tables = compiled().keys.data();
    g_key_checks.store(tables, std::memory_order_release);
    return tables;
}

} // namespace pct::parse::detail
