// SPDX-License-Identifier: AGPL-3.0-or-later
#include "marked_section.hpp"

#include <algorithm>
#include <cctype>

namespace pct::runtime::detail::setup {

namespace {

bool is_h(char c) { return c == ' ' || c == '\t'; }

// `^#\s*---\s*WORD\s*PVE` (WORD case-insensitive when `nocase`), as Proxmox detects markers.
bool is_marker(std::string_view line, std::string_view word, bool nocase) {
    auto skip_ws = [&](std::size_t i) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
            ++i;
        return i;
    };
    auto eat = [&](std::size_t i, std::string_view w) -> std::size_t {
        if (line.size() - std::min(i, line.size()) < w.size())
            return std::string_view::npos;
        for (std::size_t k = 0; k < w.size(); ++k) {
            char a = line[i + k], b = w[k];
            if (nocase ? std::tolower(static_cast<unsigned char>(a)) !=
                             std::tolower(static_cast<unsigned char>(b))
                       : a != b)
                return std::string_view::npos;
        }
        return i + w.size();
    };
    if (line.empty() || line[0] != '#')
        return false;
    std::size_t i = eat(skip_ws(1), "---");
    if (i == std::string_view::npos)
        return false;
    i = eat(skip_ws(i), word);
    if (i == std::string_view::npos)
        return false;
    return eat(skip_ws(i), nocase ? "pve" : "PVE") != std::string_view::npos;
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i)
            out += '\n';
        out += lines[i];
    }
    return out;
}

} // namespace

std::vector<std::string> perl_split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos) {
            lines.emplace_back(text.substr(pos));
            break;
        }
        lines.emplace_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    while (!lines.empty() && lines.back().empty())
        lines.pop_back();
    return lines;
}

SectionEdit modify_section(const std::optional<std::string>& old, std::string data,
                           Placement placement, bool remove_if_empty) {
    const std::string head = std::string(section_begin) + "\n";
    const std::string tail = std::string(section_end) + "\n";
    // Perl truth: "" and "0" are false.
    bool has_data = !data.empty() && data != "0";
    if (has_data && data.back() != '\n')
        data += '\n';
    if (!old) {
        if (!has_data)
            return {};
        return {SectionEdit::Action::write, head + data + tail, true};
    }
    auto lines = perl_split_lines(*old);
    std::optional<std::size_t> beg, end;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!beg && is_marker(lines[i], "BEGIN", false))
            beg = i;
        if (!end && beg && is_marker(lines[i], "END", true))
            end = i;
        if (beg && end)
            break;
    }
    if (beg && end) {
        std::string block;
        if (has_data) {
            block = head + data + std::string(section_end);
        } else {
            if (*beg == 0 && *end == lines.size() - 1) {
                if (remove_if_empty)
                    return {SectionEdit::Action::remove, {}, false};
                return {};
            }
            block = head + data + tail; // Proxmox leaves an extra blank line here
        }
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(*beg),
                    lines.begin() + static_cast<std::ptrdiff_t>(*end) + 1);
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(*beg), std::move(block));
        return {SectionEdit::Action::write, join_lines(lines) + "\n", false};
    }
    if (!has_data)
        return {};
    std::string content = join_lines(lines);
    if (!content.empty() && content.back() == '\n')
        content.pop_back();
    content += '\n';
    std::string section = head + data + tail;
    switch (placement) {
    case Placement::replace:
        return {SectionEdit::Action::write, section, true};
    case Placement::prepend:
        return {SectionEdit::Action::write, section + content, true};
    case Placement::append:
        break;
    }
    return {SectionEdit::Action::write, content + section, true};
}

std::string remove_sections(std::string_view old) {
    // s/^\h*BEGIN.*^\h*END.*?$//gms: from a BEGIN line to the end of the LAST END line after
    // it (greedy), the final newline kept.
    std::string out(old);
    std::size_t search = 0;
    while (true) {
        std::size_t start = std::string::npos, after_head = 0;
        for (std::size_t ls = search; ls <= out.size();) {
            std::size_t i = ls;
            while (i < out.size() && is_h(out[i]))
                ++i;
            if (std::string_view(out).substr(i).starts_with(section_begin)) {
                start = ls;
                after_head = i + section_begin.size();
                break;
            }
            auto nl = out.find('\n', ls);
            if (nl == std::string::npos)
                break;
            ls = nl + 1;
        }
        if (start == std::string::npos)
            return out;
        // The last line after the BEGIN line that starts with \h*END.
        std::size_t stop = std::string::npos;
        for (auto nl = out.find('\n', after_head); nl != std::string::npos;
             nl = out.find('\n', nl + 1)) {
            std::size_t i = nl + 1;
            while (i < out.size() && is_h(out[i]))
                ++i;
            if (std::string_view(out).substr(i).starts_with(section_end)) {
                auto eol = out.find('\n', i);
                stop = eol == std::string::npos ? out.size() : eol;
            }
        }
        if (stop == std::string::npos)
            return out;
        out.erase(start, stop - start);
        search = start;
        if (search >= out.size())
            return out;
        // Continue on the next line (the removed range ended before a newline).
        auto nl = out.find('\n', search);
        if (nl == std::string::npos)
            return out;
        search = nl + 1;
    }
}

} // namespace pct::runtime::detail::setup
