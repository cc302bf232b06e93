// SPDX-License-Identifier: AGPL-3.0-or-later
// The lossless editor: the text is classified with the reader's own line rules, the lines
// that carry the key in the section Proxmox reads are found, and only those bytes change.
#include "edit_impl.hpp"

#include <pct/edit.hpp>
#include <pct/model/one_line.hpp>
#include <pct/parse/config.hpp>
#include <pct/parse/lxc_keys.hpp>
#include <pct/render/config.hpp>

#include <algorithm>
#include <vector>

namespace pct::edit {

bool detail::is_option_key(std::string_view key) noexcept {
    if (key.empty() || key[0] < 'a' || key[0] > 'z')
        return false;
    std::size_t i = 1;
    while (i < key.size() && ((key[i] >= 'a' && key[i] <= 'z') || key[i] == '_'))
        ++i;
    while (i < key.size() && key[i] >= '0' && key[i] <= '9')
        ++i;
    return i == key.size();
}

bool is_lxc_key(std::string_view key) noexcept { return pct::is_lxc_key_syntax(key); }

namespace {

using detail::is_option_key;
using parse::ConfigLine;
using parse::LineKind;

constexpr std::size_t npos = std::string_view::npos;

struct Line {
    std::size_t begin = 0; ///< first byte
    std::size_t end = 0;   ///< one past the last byte, before '\n'
    std::size_t next = 0;  ///< first byte of the next line (end, or end + 1 after '\n')
    ConfigLine info;
};

/// A section as Proxmox reads it: lines [first, last); `header` is npos for the main one.
struct Span {
    std::size_t header = npos;
    std::size_t first = 0;
    std::size_t last = 0;
};

struct Document {
    std::string_view text;
    std::vector<Line> lines;
    std::string_view eol = "\n";

    explicit Document(std::string_view t) : text(t) {
        std::size_t pos = 0;
        while (pos < text.size()) {
            std::size_t nl = text.find('\n', pos);
            Line line;
            line.begin = pos;
            line.end = nl == npos ? text.size() : nl;
            line.next = nl == npos ? text.size() : nl + 1;
            line.info = parse::classify_line(text.substr(pos, line.end - pos));
            lines.push_back(line);
            pos = line.next;
        }
        if (std::size_t nl = text.find('\n'); nl != npos && nl > 0 && text[nl - 1] == '\r')
            eol = "\r\n";
    }

    [[nodiscard]] bool is_header(std::size_t i) const {
        return lines[i].info.kind == LineKind::pending_header ||
               lines[i].info.kind == LineKind::snapshot_header;
    }

    [[nodiscard]] std::size_t section_end(std::size_t from) const {
        while (from < lines.size() && !is_header(from))
            ++from;
        return from;
    }

    /// The section Proxmox keeps under that name: the last header wins (a repeated
    /// `[pve:pending]` or `[snap]` header restarts the section).
    [[nodiscard]] std::optional<Span> find(std::string_view section) const {
        if (section.empty())
            return Span{npos, 0, section_end(0)};
        std::optional<Span> found;
        bool pending = section == "pve:pending";
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const ConfigLine& info = lines[i].info;
            bool match = pending ? info.kind == LineKind::pending_header
                                 : info.kind == LineKind::snapshot_header && info.key == section;
            if (match)
                found = Span{i, i + 1, section_end(i + 1)};
        }
        return found;
    }

    [[nodiscard]] std::string_view line_text(std::size_t i) const {
        return text.substr(lines[i].begin, lines[i].end - lines[i].begin);
    }
};

/// One replacement of bytes [begin, end) of the original text.
struct Change {
    std::size_t begin;
    std::size_t end;
    std::string text;
};

std::string apply(std::string_view text, std::vector<Change> changes) {
    std::sort(changes.begin(), changes.end(),
              [](const Change& a, const Change& b) { return a.begin < b.begin; });
    std::string out;
    out.reserve(text.size() + 64);
    std::size_t pos = 0;
    for (const Change& c : changes) {
        out.append(text.substr(pos, c.begin - pos));
        out += c.text;
        pos = c.end;
    }
    out.append(text.substr(pos));
    return out;
}

bool is_section_name(std::string_view name) {
    if (name.empty() || name == "pve:pending")
        return true;
    ConfigLine info = parse::classify_line("[" + std::string(name) + "]");
    return info.kind == LineKind::snapshot_header;
}

Result<void> check_target(const Target& t) {
    if (!is_section_name(t.section))
        return fail(Errc::invalid_argument, "invalid section name '" + t.section + "'",
                    {.key = t.key});
    const std::string& k = t.key;
    if (k == "digest" || k == "snapname" || k == "pending" || k == "snapshots" || k == "lxc")
        return fail(Errc::invalid_argument, "key '" + k + "' cannot be stored in a config file",
                    {.key = t.key});
    if (!is_option_key(k) && !is_lxc_key(k))
        return fail(Errc::invalid_argument, "key '" + k + "' cannot be stored in a config file",
                    {.key = t.key});
    if (k == "delete" && t.section != "pve:pending")
        return fail(Errc::invalid_argument, "property 'delete' is only allowed in [pve:pending]",
                    {.key = t.key});
    if (k == "snapstate" && t.section.empty())
        return fail(Errc::invalid_argument, "snapstate is not kept in the main section",
                    {.key = t.key});
    return {};
}

// Does `line` carry `key` for the reader (so that setting or removing `key` touches it)?
bool carries(const ConfigLine& info, std::string_view key) {
    switch (info.kind) {
    case LineKind::comment:
    case LineKind::description:
        return key == "description";
    case LineKind::lxc:
        return info.key == key || (key == "env" && info.key == "lxc.environment.runtime");
    case LineKind::snapstate:
    case LineKind::delete_key:
    case LineKind::option:
        return info.key == key;
    default:
        return false;
    }
}

std::vector<std::size_t> carriers(const Document& doc, const Span& span, std::string_view key) {
    std::vector<std::size_t> found;
    for (std::size_t i = span.first; i < span.last; ++i)
        if (carries(doc.lines[i].info, key))
            found.push_back(i);
    return found;
}

// The position right after line `i` (npos = before everything), with the line break that is
// needed when line `i` is the last line and has none.
std::pair<std::size_t, std::string> after_line(const Document& doc, std::size_t i) {
    if (i == npos)
        return {0, {}};
    const Line& line = doc.lines[i];
    // A bare LF: in a CRLF text a CR would become part of the line, and the reader keeps a
    // comment's CR as description text (found by fuzz_edit).
    if (line.next == line.end)
        return {line.end, "\n"};
    return {line.next, {}};
}

// Where a new line of the section goes: after its last non-blank line, else after its header.
std::size_t append_anchor(const Document& doc, const Span& span) {
    for (std::size_t i = span.last; i > span.first; --i)
        if (doc.lines[i - 1].info.kind != LineKind::blank)
            return i - 1;
    return span.header;
}

// `key: value` checked to read back as exactly that key and value.
Result<std::string> make_line(const Target& target, std::string_view value) {
    std::string line = target.key + ": " + std::string(value);
    ConfigLine info = parse::classify_line(line);
    bool lxc = is_lxc_key(target.key);
    bool ok = lxc ? info.kind == LineKind::lxc && info.key == target.key && info.value == value
                  : (info.kind == LineKind::option || info.kind == LineKind::snapstate ||
                     info.kind == LineKind::delete_key) &&
                        info.key == target.key && info.value == value;
    if (!ok)
        return fail(Errc::invalid_argument,
                    "value for '" + target.key + "' would not read back unchanged",
                    {.key = target.key});
    return line;
}

Result<void> check_value(const Target& target, std::string_view value) {
    if (auto ok = check_one_line(target.key, value); !ok)
        return ok;
    if (!is_lxc_key(target.key) && value.empty())
        return fail(Errc::invalid_argument,
                    "an empty value cannot be stored for '" + target.key + "'",
                    {.key = target.key});
    if (!value.empty() && (value.front() == ' ' || value.back() == ' ' || value.front() == '\t' ||
                           value.back() == '\t' || value.front() == '\f' || value.back() == '\f' ||
                           value.front() == '\v' || value.back() == '\v'))
        return fail(Errc::invalid_argument,
                    "value for '" + target.key + "' has white space that would be trimmed",
                    {.key = target.key});
    return {};
}

// The lines that replace a section's description (Proxmox's writer form). They end in a
// bare LF even in a CRLF file: Proxmox keeps a comment's CR as part of the description.
std::string description_block(std::string_view value) {
    std::string block;
    if (!parse::perl_true(value))
        return block;
    while (!value.empty() && value.back() == '\n')
        value.remove_suffix(1);
    while (!value.empty()) {
        std::size_t nl = value.find('\n');
        block += '#';
        render::encode_text_append(block, value.substr(0, nl));
        block += '\n';
        if (nl == npos)
            break;
        value.remove_prefix(nl + 1);
    }
    return block;
}

Result<std::string> env_block(const Document& doc, const Target& target, std::string_view value) {
    std::string block;
    while (!value.empty() && value.back() == '\0')
        value.remove_suffix(1);
    while (!value.empty()) {
        std::size_t nul = value.find('\0');
        Target t{target.section, "lxc.environment.runtime"};
        auto line = make_line(t, value.substr(0, nul));
        if (!line || value.substr(0, nul).find_first_of("\n\r") != npos)
            return fail(Errc::invalid_argument,
                        "env entry '" + std::string(value.substr(0, nul)) +
                            "' cannot be stored losslessly",
                        {.key = target.key});
        block += *line;
        block += doc.eol;
        if (nul == npos)
            break;
        value.remove_prefix(nul + 1);
    }
    return block;
}

// Replaces every line carrying the key by `block` (at the first one), or inserts `block`.
std::string replace_block(const Document& doc, const Span& span, const std::vector<std::size_t>& at,
                          std::string block, bool at_top) {
    std::vector<Change> changes;
    if (!at.empty()) {
        for (std::size_t n = 0; n < at.size(); ++n) {
            const Line& line = doc.lines[at[n]];
            std::string text = n == 0 ? block : std::string();
            // The last line without a line break: keep the file ending as it was.
            if (line.next == line.end && !text.empty()) {
                std::string_view ending = text.ends_with(doc.eol) ? doc.eol : "\n";
                if (text.ends_with(ending))
                    text.resize(text.size() - ending.size());
            }
            changes.push_back({line.begin, line.next, std::move(text)});
        }
        return apply(doc.text, std::move(changes));
    }
    if (block.empty())
        return std::string(doc.text);
    std::size_t anchor = at_top ? span.header : append_anchor(doc, span);
    auto [pos, prefix] = after_line(doc, anchor);
    changes.push_back({pos, pos, prefix + block});
    return apply(doc.text, std::move(changes));
}

Result<std::string> set_value(const Document& doc, const Span& span, const Target& target,
                              std::string_view value) {
    if (auto ok = check_value(target, value); !ok)
        return std::unexpected(std::move(ok).error());
    auto fresh = make_line(target, value);
    if (!fresh)
        return std::unexpected(std::move(fresh).error());

    std::vector<std::size_t> at = carriers(doc, span, target.key);
    if (at.empty())
        return replace_block(doc, span, at, *fresh + std::string(doc.eol), false);

    // The last line is the one Proxmox reads; earlier duplicates are dead and stay as they are.
    const Line& line = doc.lines[at.back()];
    std::string_view old = doc.line_text(at.back());
    const ConfigLine& info = line.info;
    std::size_t vbegin = static_cast<std::size_t>(info.value.data() - old.data());
    std::size_t vend = vbegin + info.value.size();
    std::string replaced;
    bool whole_line = info.kind == LineKind::snapstate && !old.starts_with("snapstate:");
    if (!whole_line && info.kind == LineKind::option) {
        // `key:   ` keeps only its last blank as the value: there is no value to replace.
        std::string_view v = info.value;
        whole_line = v.size() == 1 && (v[0] == ' ' || (v[0] >= '\t' && v[0] <= '\r'));
    }
    if (!whole_line) {
        replaced = std::string(old.substr(0, vbegin));
        if (info.value.empty() && !replaced.empty() &&
            (replaced.back() == ':' || replaced.back() == '='))
            replaced += ' ';
        replaced += value;
        replaced += old.substr(vend);
        ConfigLine check = parse::classify_line(replaced);
        whole_line = check.kind != info.kind || check.key != info.key || check.value != value;
    }
    if (whole_line) {
        replaced = *fresh;
        if (old.ends_with('\r'))
            replaced += '\r';
    }
    return apply(doc.text, {{line.begin, line.end, std::move(replaced)}});
}

// A section that does not exist yet: `[pve:pending]` goes before the first snapshot (where
// Proxmox writes it), a snapshot at the end.
std::string create_section(const Document& doc, const Target& target, const std::string& body) {
    std::string header =
        target.section == "pve:pending" ? "[pve:pending]" : "[" + target.section + "]";
    std::string block = header + std::string(doc.eol) + body;
    if (target.section == "pve:pending") {
        for (std::size_t i = 0; i < doc.lines.size(); ++i) {
            if (doc.lines[i].info.kind == LineKind::snapshot_header)
                return apply(doc.text, {{doc.lines[i].begin, doc.lines[i].begin,
                                         block + std::string(doc.eol)}});
        }
    }
    std::string prefix;
    if (!doc.text.empty()) {
        if (!doc.text.ends_with('\n'))
            prefix += '\n'; // as in after_line
        prefix += doc.eol;
    }
    return apply(doc.text, {{doc.text.size(), doc.text.size(), prefix + block}});
}

// Does the reader keep this line as a `Section::lxc` entry?
bool is_entry(const ConfigLine& info) {
    if (info.kind != LineKind::lxc || info.key == "lxc.environment.runtime")
        return false;
    auto verdict = parse::check_lxc_key(info.key).verdict;
    return verdict == parse::LxcKeyVerdict::accepted || verdict == parse::LxcKeyVerdict::deprecated;
}

} // namespace

Result<void> check(const Target& target) { return check_target(target); }

Result<std::string> lxc_append(std::string_view text, std::string_view section,
                               std::string_view key, std::string_view value) {
    Target target{std::string(section), std::string(key)};
    if (!is_section_name(section))
        return fail(Errc::invalid_argument, "invalid section name '" + target.section + "'",
                    {.key = target.key});
    if (auto ok = check_lxc_entry(key, value); !ok)
        return std::unexpected(std::move(ok).error());
    std::string line = target.key + (value.empty() ? ":" : ": ") + std::string(value);
    Document doc(text);
    std::optional<Span> span = doc.find(section);
    if (!span)
        return create_section(doc, target, line + std::string(doc.eol));
    auto [pos, prefix] = after_line(doc, append_anchor(doc, *span));
    return apply(text, {{pos, pos, prefix + line + std::string(doc.eol)}});
}

Result<std::string> lxc_remove(std::string_view text, std::string_view section, std::size_t index) {
    Target target{std::string(section), {}};
    if (!is_section_name(section))
        return fail(Errc::invalid_argument, "invalid section name '" + target.section + "'",
                    {.key = target.key});
    Document doc(text);
    std::optional<Span> span = doc.find(section);
    std::size_t seen = 0;
    for (std::size_t i = span ? span->first : 0; span && i < span->last; ++i) {
        if (!is_entry(doc.lines[i].info) || seen++ != index)
            continue;
        return apply(text, {{doc.lines[i].begin, doc.lines[i].next, {}}});
    }
    return fail(Errc::not_found, "lxc entry " + std::to_string(index) + " does not exist");
}

Result<std::string> set(std::string_view text, const Target& target, std::string_view value) {
    if (auto ok = check_target(target); !ok)
        return std::unexpected(std::move(ok).error());
    Document doc(text);
    std::optional<Span> span = doc.find(target.section);

    if (target.key == "description") {
        std::string block = description_block(value);
        if (!span)
            return block.empty() ? std::string(text) : create_section(doc, target, block);
        return replace_block(doc, *span, carriers(doc, *span, "description"), std::move(block),
                             true);
    }
    if (target.key == "env") {
        auto block = env_block(doc, target, value);
        if (!block)
            return std::unexpected(std::move(block).error());
        if (!span)
            return block->empty() ? std::string(text) : create_section(doc, target, *block);
        return replace_block(doc, *span, carriers(doc, *span, "env"), std::move(*block), false);
    }
    if (!span) {
        if (auto ok = check_value(target, value); !ok)
            return std::unexpected(std::move(ok).error());
        auto line = make_line(target, value);
        if (!line)
            return std::unexpected(std::move(line).error());
        return create_section(doc, target, *line + std::string(doc.eol));
    }
    return set_value(doc, *span, target, value);
}

Result<std::string> remove(std::string_view text, const Target& target) {
    if (auto ok = check_target(target); !ok)
        return std::unexpected(std::move(ok).error());
    Document doc(text);
    std::optional<Span> span = doc.find(target.section);
    std::vector<std::size_t> at;
    if (span)
        at = carriers(doc, *span, target.key);
    if (at.empty()) {
        return fail(Errc::not_found,
                    "'" + target.key + "' is not set in " +
                        (target.section.empty() ? std::string("the main section")
                                                : "[" + target.section + "]"),
                    {.key = target.key});
    }
    std::vector<Change> changes;
    for (std::size_t i : at)
        changes.push_back({doc.lines[i].begin, doc.lines[i].next, {}});
    return apply(text, std::move(changes));
}

} // namespace pct::edit
