// SPDX-License-Identifier: AGPL-3.0-or-later
// parse_pct_config: one pass over the text, line by line, with Proxmox's rules (§5) in order.
#include "config_impl.hpp"
#include "pct/internal/bytes.hpp"
#include "pct/internal/properties.hpp"
#include "sha1_impl.hpp"

#include <pct/parse/config.hpp>
#include <pct/parse/lxc_keys.hpp>
#include <pct/parse/properties.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace pct::parse {

namespace {

constexpr std::string_view pending_name = "pve:pending";

// Orders an option entry before a key (std::lower_bound over a section's entries).
bool key_before(const OptionMap::value_type& entry, std::string_view key) noexcept {
    return OptionMap::compare_keys(entry.first, key) < 0;
}

class Reader {
  public:
    // Reads into `result`, the caller's return value (no move of the model at the end).
    Reader(std::string_view text, const ConfigOptions& options, ParsedConfig& result)
        : m_text(text), m_options(options), m_result(result) {
        m_current = &m_result.config.main;
    }

    // The first error in strict mode, if any; else the model is in `result`.
    std::optional<Error> run();

  private:
    void line(std::string_view text, std::size_t readable);
    void add_description(std::string_view raw, bool newline);
    void decode_description();
    void flush_description();
    void option(std::string_view text, const ConfigLine& info);
    // A `[pve:pending]` or `[snapshot]` line: the section before it ends. Rare: kept out of
    // the flattened line().
    [[gnu::noinline]] void start_section(std::string_view text, const ConfigLine& info);
    // A raw `lxc.*` line (less common than options; also kept out of line()).
    [[gnu::noinline]] void lxc(std::string_view text, const ConfigLine& info);

    // "vm N - ", which starts every message (built only for a message).
    [[gnu::cold, gnu::noinline]] std::string prefix() const {
        return "vm " + std::to_string(m_options.vmid) + " - ";
    }
    // Records a problem; in strict mode the first one (other than a deprecation) ends the read.
    [[gnu::cold, gnu::noinline]] void report(DiagCode code, std::string message, std::size_t column,
                                             std::string_view key, std::string subkey = {});

    void set_option(std::string_view key, std::string_view value);
    void insert_option(std::string_view key, std::string_view value);
    // A key far from its place: appended, the section sorted at its end.
    [[gnu::noinline]] void append_unsorted(std::string_view key, std::string_view value);
    // Moves the collected options into the current section (at every section change).
    void flush_options();
    void start_entries(const char* from);

    std::string_view m_text;
    const ConfigOptions& m_options;
    ParsedConfig& m_result;
    Section* m_current = nullptr;
    // The options of the current section, kept sorted without repeats (set_option), and its
    // `env` (`env:` sets it, `lxc.environment.runtime` appends), added at the section end.
    OptionMap::container_type m_entries;
    // A key arrived far from its place: m_entries is sorted (the later of two equal keys
    // winning) when the section ends, O(n log n), rather than each such key inserted in
    // place, O(n) each and O(n^2) for a section in reverse order.
    bool m_unsorted = false;
    std::string m_env;
    bool m_has_env = false;
    bool m_has_snapstate = false; // a `snapstate` line was read (in any section)
    std::string m_scratch;        // normalized integers (check_type_view)
    std::string m_section;
    std::string m_descr;
    // Comment and `description:` lines not yet decoded into m_descr: decoding them together
    // sizes m_descr once instead of growing it line by line.
    // Left uninitialized (only the first m_descr_raw_count are read): clearing the array
    // for every file cost a `rep stos`, slower than the rest of the reader's setup.
    struct RawText {
        const char* data;
        std::size_t size;
        bool newline;
    };
    std::array<RawText, 8> m_descr_raw;
    std::size_t m_descr_raw_count = 0;
    std::size_t m_descr_raw_bytes = 0;
    int m_line = 0;
    // Lines are split at LF, so a value can only hold a CR, and only if the file has one.
    bool m_has_cr = true;
    std::optional<Error> m_error;
};

void Reader::start_entries(const char* from) {
    // About one option per 32 bytes of the rest of the file: one allocation for most sections.
    auto rest = static_cast<std::size_t>(m_text.data() + m_text.size() - from);
    m_entries.reserve(std::min<std::size_t>(rest / 32 + 4, 64));
}

void Reader::flush_options() {
    if (m_unsorted) {
        // No line puts `env` among the entries: it sorts with them.
        if (m_has_env)
            m_entries.emplace_back("env", std::move(m_env));
        m_current->options = OptionMap::from_entries(std::move(m_entries));
        m_unsorted = false;
    } else {
        if (m_has_env) {
            // It goes where it sorts.
            auto at = std::lower_bound(m_entries.begin(), m_entries.end(), std::string_view("env"),
                                       key_before);
            m_entries.emplace(at, "env", std::move(m_env));
        }
        if (!m_entries.empty()) {
            // The reserve guessed from the rest of the file fits a file's last section; in a
            // file of many sections each would keep up to 4 kB it does not use (28x the
            // input's size for a file of small snapshot sections). Only a waste of 2 kB or
            // more is given back: a copy per section of every file cost 5 % of the reader.
            if (m_entries.capacity() - m_entries.size() >= 32) [[unlikely]]
                m_entries.shrink_to_fit();
            m_current->options = OptionMap::from_sorted_entries(std::move(m_entries));
        }
    }
    m_env.clear();
    m_has_env = false;
    m_entries.clear();
}

std::optional<Error> Reader::run() {
    const char* p = m_text.data();
    const char* end = p + m_text.size();
    start_entries(p);
    // memchr() wants a valid pointer even for 0 bytes (an empty view may hold nullptr).
    m_has_cr = !m_text.empty() && std::memchr(p, '\r', m_text.size()) != nullptr;
    while (p < end) {
        // Lines are a few dozen bytes: an inlined word-at-a-time search beats a memchr call.
        const char* line_end = pct::detail::find_byte(p, end, '\n');
        const char* nl = line_end == end ? nullptr : line_end;
        ++m_line;
        line(std::string_view(p, static_cast<std::size_t>(line_end - p)),
             static_cast<std::size_t>(end - p));
        if (m_error)
            return std::move(m_error);
        p = nl ? nl + 1 : end;
    }
    m_result.digest = detail::sha1_digest(m_text);
    flush_description();
    flush_options();
    // Proxmox drops the top level's `snapstate`; most files have none to look for.
    if (m_has_snapstate)
        m_result.config.main.options.erase("snapstate");
    return std::nullopt;
}

void Reader::add_description(std::string_view raw, bool newline) {
    if (m_descr_raw_count == m_descr_raw.size())
        decode_description();
    m_descr_raw[m_descr_raw_count++] = {raw.data(), raw.size(), newline};
    m_descr_raw_bytes += raw.size() + newline;
}

void Reader::decode_description() {
    // Decoding never makes ASCII text longer, so this is the final size for most files.
    std::size_t need = m_descr.size() + m_descr_raw_bytes;
    if (need > m_descr.capacity() && need > (std::size_t{1} << 20)) [[unlikely]] {
        // A description of megabytes: room for the rest of the file at once (an upper bound
        // of what is left to decode; pages never written are never resident), instead of
        // doubling, whose copies held three times the text at the peak.
        const char* from = m_descr_raw[m_descr_raw_count - 1].data;
        need += static_cast<std::size_t>(m_text.data() + m_text.size() - from);
    }
    m_descr.reserve(need);
    for (std::size_t i = 0; i < m_descr_raw_count; ++i) {
        decode_text_append(m_descr, {m_descr_raw[i].data, m_descr_raw[i].size});
        if (m_descr_raw[i].newline)
            m_descr += '\n';
    }
    m_descr_raw_count = 0;
    m_descr_raw_bytes = 0;
}

void Reader::flush_description() {
    decode_description();
    if (perl_true(m_descr))
        m_current->description = std::move(m_descr);
    m_descr.clear();
}

// Flattened: option(), set_option() and their string copies (libstdc++'s
// resize_and_overwrite and what it calls) are inlined into the reader's busiest path instead
// of being calls; section headers, raw lxc keys and the error paths are rare and stay out
// (noinline). 3-5 % of the parse + write throughput (bench/RESULTS.md).
[[gnu::flatten]] void Reader::line(std::string_view text, std::size_t readable) {
    ConfigLine info = detail::classify_line_in(text, readable);
    switch (info.kind) {
    case LineKind::blank:
        return;
    case LineKind::pending_header:
    case LineKind::snapshot_header:
        start_section(text, info);
        return;
    case LineKind::comment:
        add_description(info.value, true);
        return;
    case LineKind::lxc:
        lxc(text, info);
        return;
    case LineKind::description:
        add_description(info.value, false);
        return;
    case LineKind::snapstate:
        m_has_snapstate = true;
        set_option("snapstate", info.value);
        return;
    case LineKind::delete_key:
        if (m_section == pending_name)
            set_option("delete", info.value);
        else
            report(DiagCode::delete_outside_pending,
                   prefix() + "property 'delete' is only allowed in [pve:pending]", 1, "delete");
        return;
    case LineKind::option:
        option(text, info);
        return;
    case LineKind::invalid:
        report(DiagCode::invalid_line, prefix() + "unable to parse config: " + std::string(text), 1,
               {});
        return;
    }
}

void Reader::start_section(std::string_view text, const ConfigLine& info) {
    flush_description();
    flush_options();
    start_entries(text.data());
    if (info.kind == LineKind::pending_header) {
        m_section = pending_name;
        m_result.config.pending = Section{};
        m_current = &m_result.config.pending;
        return;
    }
    m_section = info.key;
    auto [it, inserted] = m_result.config.snapshots.try_emplace(m_section);
    if (!inserted)
        it->second = Section{};
    m_current = &it->second;
}

void Reader::lxc(std::string_view text, const ConfigLine& info) {
    if (info.key == "lxc.environment.runtime") {
        if (m_has_env) {
            m_env += '\0';
            m_env += info.value;
        } else {
            m_env.assign(info.value);
            m_has_env = true;
        }
        return;
    }
    LxcKeyCheck check = check_lxc_key(info.key);
    switch (check.verdict) {
    case LxcKeyVerdict::deprecated:
        report(DiagCode::lxc_key_deprecated, prefix() + check.message, 1, info.key);
        if (m_error)
            return;
        [[fallthrough]];
    case LxcKeyVerdict::accepted:
        if (m_current->lxc.empty())
            m_current->lxc.reserve(4); // raw keys come in small groups
        m_current->lxc.push_back(LxcEntry{std::string(info.key), std::string(info.value)});
        return;
    case LxcKeyVerdict::rejected:
        report(DiagCode::lxc_key_rejected, prefix() + std::string(info.key) + ": " + check.message,
               1, info.key);
        return;
    case LxcKeyVerdict::invalid:
        report(DiagCode::invalid_line, prefix() + "unable to parse config: " + std::string(text), 1,
               info.key);
        return;
    }
}

void Reader::option(std::string_view text, const ConfigLine& info) {
    // The stored form is built once, in place, from the checked view.
    auto checked = detail::check_type_view(info.key, info.value, m_scratch, m_has_cr);
    std::string_view value;
    if (checked) {
        value = *checked;
    } else {
        const Error& e = checked.error();
        DiagCode code = e.message.starts_with("unknown setting '") ? DiagCode::unknown_key
                                                                   : DiagCode::invalid_value;
        std::size_t column = static_cast<std::size_t>(info.value.data() - text.data()) + 1;
        report(code,
               prefix() + "unable to parse value of '" + std::string(info.key) + "' - " + e.message,
               column, info.key, e.subkey);
        if (m_error)
            return;
        value = info.value;
    }
    // `description` set this way is Proxmox's plain hash entry, which a truthy comment block
    // of the section overrides when the section ends.
    if (pct::detail::same_bytes(info.key, "description")) {
        m_current->description.assign(value);
    } else if (pct::detail::same_bytes(info.key, "env")) {
        m_env.assign(value);
        m_has_env = true;
    } else {
        m_has_snapstate |= pct::detail::same_bytes(info.key, "snapstate");
        set_option(info.key, value);
    }
}

void Reader::set_option(std::string_view key, std::string_view value) {
    // While keys arrive nearly in order (the usual case: Proxmox writes them sorted) the
    // entries stay sorted without repeats, so the section takes them as they are: a key that
    // sorts last is appended, a repeat replaces the earlier value (the later line wins), a
    // key that sorts a little before the last is inserted in place (insert_option).
    if (m_unsorted) [[unlikely]] {
        append_unsorted(key, value);
        return;
    }
    if (!m_entries.empty()) {
        int order = OptionMap::compare_keys(m_entries.back().first, key);
        if (order == 0) {
            pct::detail::assign_bytes(m_entries.back().second, value);
            return;
        }
        if (order > 0) {
            insert_option(key, value);
            return;
        }
    }
    auto& entry = m_entries.emplace_back();
    pct::detail::assign_bytes(entry.first, key);
    pct::detail::assign_bytes(entry.second, value);
}

void Reader::insert_option(std::string_view key, std::string_view value) {
    // `key` sorts before the last entry, so `at` is an entry. A key a few places back (a
    // section written nearly in order, as Proxmox's `snaptime` or a pending `delete`) is
    // inserted in place; one further back switches the section to sorting at its end, so
    // that no key moves more than 16 others.
    auto at = std::lower_bound(m_entries.begin(), m_entries.end(), key, key_before);
    if (OptionMap::compare_keys(at->first, key) == 0) {
        pct::detail::assign_bytes(at->second, value);
        return;
    }
    if (m_entries.end() - at > 16) [[unlikely]] {
        append_unsorted(key, value);
        return;
    }
    auto& entry = *m_entries.emplace(at);
    pct::detail::assign_bytes(entry.first, key);
    pct::detail::assign_bytes(entry.second, value);
}

void Reader::append_unsorted(std::string_view key, std::string_view value) {
    m_unsorted = true;
    m_entries.emplace_back(std::string(key), std::string(value));
}

void Reader::report(DiagCode code, std::string message, std::size_t column, std::string_view key,
                    std::string subkey) {
    if (m_options.strict && code != DiagCode::lxc_key_deprecated) {
        m_error = error(Errc::parse, std::move(message),
                        {.context = m_options.file,
                         .line = m_line,
                         .column = static_cast<int>(column),
                         .key = key,
                         .subkey = subkey});
        return;
    }
    Diagnostic d;
    d.code = code;
    d.message = std::move(message);
    d.line = m_line;
    d.column = static_cast<int>(column);
    d.key = std::string(key);
    d.subkey = std::move(subkey);
    d.section = m_section;
    m_result.warnings.push_back(std::move(d));
}

} // namespace

Result<ParsedConfig> config(std::string_view text, const ConfigOptions& options) {
    if (auto bytes = check_bytes(text, options); !bytes) [[unlikely]]
        return std::unexpected(std::move(bytes).error());
    Result<ParsedConfig> result(std::in_place);
    Reader reader(text, options, *result);
    if (auto error = reader.run())
        result = std::unexpected(std::move(*error));
    return result;
}

} // namespace pct::parse
