// SPDX-License-Identifier: AGPL-3.0-or-later
// parse_pct_config: one pass over the text, line by line, with Proxmox's rules (§5) in order.
#include "config_impl.hpp"

#include <pct/parse/config.hpp>
#include <pct/parse/lxc_keys.hpp>
#include <pct/parse/properties.hpp>

#include <cstring>
#include <utility>

namespace pct::parse {

namespace {

constexpr std::string_view pending_name = "pve:pending";

class Reader {
public:
    Reader(std::string_view text, const ConfigOptions& options)
        : m_text(text), m_options(options), m_prefix("vm " + std::to_string(options.vmid) + " - ") {
        m_current = &m_result.config.main;
    }

    Result<ParsedConfig> run();

private:
    void line(std::string_view text);
    void flush_description();
    void option(std::string_view text, const ConfigLine& info);
    void lxc(std::string_view text, const ConfigLine& info);

    // Records a problem; in strict mode the first one (other than a deprecation) ends the read.
    void report(DiagCode code, std::string message, std::size_t column, std::string_view key,
                std::string subkey = {});

    static void set_option(Section& section, std::string_view key, std::string value);

    std::string_view m_text;
    const ConfigOptions& m_options;
    std::string m_prefix;
    ParsedConfig m_result;
    Section* m_current = nullptr;
    std::string m_section;
    std::string m_descr;
    int m_line = 0;
    std::optional<Error> m_error;
};

Result<ParsedConfig> Reader::run() {
    m_result.digest = sha1_hex(m_text);
    const char* p = m_text.data();
    const char* end = p + m_text.size();
    while (p < end) {
        const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        const char* line_end = nl ? nl : end;
        ++m_line;
        line(std::string_view(p, static_cast<std::size_t>(line_end - p)));
        if (m_error)
            return std::unexpected(std::move(*m_error));
        p = nl ? nl + 1 : end;
    }
    flush_description();
    m_result.config.main.options.erase("snapstate");
    return std::move(m_result);
}

void Reader::flush_description() {
    if (perl_true(m_descr))
        m_current->description = std::move(m_descr);
    m_descr.clear();
}

void Reader::line(std::string_view text) {
    ConfigLine info = classify_line(text);
    switch (info.kind) {
    case LineKind::blank:
        return;
    case LineKind::pending_header:
        flush_description();
        m_section = pending_name;
        m_result.config.pending = Section{};
        m_current = &m_result.config.pending;
        return;
    case LineKind::snapshot_header: {
        flush_description();
        m_section = info.key;
        auto [it, inserted] = m_result.config.snapshots.try_emplace(m_section);
        if (!inserted)
            it->second = Section{};
        m_current = &it->second;
        return;
    }
    case LineKind::comment:
        decode_text_append(m_descr, info.value);
        m_descr += '\n';
        return;
    case LineKind::lxc:
        lxc(text, info);
        return;
    case LineKind::description:
        decode_text_append(m_descr, info.value);
        return;
    case LineKind::snapstate:
        set_option(*m_current, "snapstate", std::string(info.value));
        return;
    case LineKind::delete_key:
        if (m_section == pending_name)
            set_option(*m_current, "delete", std::string(info.value));
        else
            report(DiagCode::delete_outside_pending,
                   m_prefix + "property 'delete' is only allowed in [pve:pending]", 1, "delete");
        return;
    case LineKind::option:
        option(text, info);
        return;
    case LineKind::invalid:
        report(DiagCode::invalid_line, m_prefix + "unable to parse config: " + std::string(text), 1,
               {});
        return;
    }
}

void Reader::lxc(std::string_view text, const ConfigLine& info) {
    if (info.key == "lxc.environment.runtime") {
        auto it = m_current->options.find(std::string_view("env"));
        if (it == m_current->options.end()) {
            m_current->options.emplace("env", std::string(info.value));
        } else {
            it->second += '\0';
            it->second += info.value;
        }
        return;
    }
    LxcKeyCheck check = check_lxc_key(info.key);
    switch (check.verdict) {
    case LxcKeyVerdict::deprecated:
        report(DiagCode::lxc_key_deprecated, m_prefix + check.message, 1, info.key);
        if (m_error)
            return;
        [[fallthrough]];
    case LxcKeyVerdict::accepted:
        m_current->lxc.push_back(LxcEntry{std::string(info.key), std::string(info.value)});
        return;
    case LxcKeyVerdict::rejected:
        report(DiagCode::lxc_key_rejected, m_prefix + std::string(info.key) + ": " + check.message,
               1, info.key);
        return;
    case LxcKeyVerdict::invalid:
        report(DiagCode::invalid_line, m_prefix + "unable to parse config: " + std::string(text), 1,
               info.key);
        return;
    }
}

void Reader::option(std::string_view text, const ConfigLine& info) {
    auto checked = check_type(info.key, info.value);
    std::string value;
    if (checked) {
        value = std::move(*checked);
    } else {
        const Error& e = checked.error();
        DiagCode code = e.message.starts_with("unknown setting '") ? DiagCode::unknown_key
                                                                    : DiagCode::invalid_value;
        std::size_t column = static_cast<std::size_t>(info.value.data() - text.data()) + 1;
        report(code,
               m_prefix + "unable to parse value of '" + std::string(info.key) + "' - " + e.message,
               column, info.key, e.subkey);
        if (m_error)
            return;
        value = std::string(info.value);
    }
    // `description` set this way is Proxmox's plain hash entry, which a truthy comment block
    // of the section overrides when the section ends.
    if (info.key == "description")
        m_current->description = std::move(value);
    else
        set_option(*m_current, info.key, std::move(value));
}

void Reader::set_option(Section& section, std::string_view key, std::string value) {
    // Files are mostly written in key order: try the end first (one comparison).
    auto& options = section.options;
    if (options.empty() || std::string_view(options.rbegin()->first) < key) {
        options.emplace_hint(options.end(), std::string(key), std::move(value));
        return;
    }
    auto it = section.options.lower_bound(key);
    if (it != section.options.end() && it->first == key)
        it->second = std::move(value);
    else
        section.options.emplace_hint(it, std::string(key), std::move(value));
}

void Reader::report(DiagCode code, std::string message, std::size_t column, std::string_view key,
                    std::string subkey) {
    if (m_options.strict && code != DiagCode::lxc_key_deprecated) {
        Error e;
        e.code = Errc::parse;
        e.message = std::move(message);
        e.context = m_options.file;
        e.line = m_line;
        e.column = static_cast<int>(column);
        e.key = std::string(key);
        e.subkey = std::move(subkey);
        m_error = std::move(e);
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
    Reader reader(text, options);
    return reader.run();
}

} // namespace pct::parse
