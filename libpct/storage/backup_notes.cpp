// SPDX-License-Identifier: AGPL-3.0-or-later
// vzdump's notes template (spec vzdump-format.md §6.2; pve-manager VZDump.pm generate_notes).
#include <pct/storage/backups.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace pct::storage {

namespace {

constexpr std::string_view notes_key = "notes-template";

// Perl's length() of the decoded string: UTF-8 continuation bytes do not count.
std::size_t utf8_length(std::string_view text) {
    return std::size_t(std::ranges::count_if(
        text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

} // namespace

Result<std::string> render_notes_template(std::string_view tmpl, const NotesVars& vars) {
    if (utf8_length(tmpl) > notes_template_max_length)
        return fail(Errc::invalid_argument,
                    fmt::format("value may only be {} characters long", notes_template_max_length),
                    {.key = notes_key});
    if (tmpl.find_first_of("\r\n") != std::string_view::npos)
        return fail(Errc::invalid_argument, "value must be a single line", {.key = notes_key});

    // `s/\\(.)/unescape($1)/eg`: left to right, so `\\n` is a backslash and an `n`; a
    // backslash at the very end matches nothing and stays.
    std::string text;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] != '\\' || i + 1 == tmpl.size()) {
            text += tmpl[i];
            continue;
        }
        char next = tmpl[++i];
        if (next == '\\')
            text += '\\';
        else if (next == 'n')
            text += '\n';
        else
            return fail(Errc::invalid_argument,
                        fmt::format("unexpected escape character '{}'", next), {.key = notes_key});
    }

    const std::string guestname =
        vars.guestname.empty() ? fmt::format("CT{}", vars.vmid) : vars.guestname;
    const std::string vmid = std::to_string(vars.vmid);
    auto value_of = [&](const std::string& name) -> const std::string& {
        if (name == "cluster")
            return vars.cluster;
        if (name == "guestname")
            return guestname;
        if (name == "node")
            return vars.node;
        return vmid;
    };

    static const std::regex known(R"(\{\{(cluster|guestname|node|vmid)\}\})");
    std::string result;
    auto last = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), known), end; it != end; ++it) {
        result.append(last, (*it)[0].first);
        result += value_of((*it)[1].str());
        last = (*it)[0].second;
    }
    result.append(last, text.cend());

    static const std::regex unknown(R"(\{\{([^\s{}]+)\}\})");
    std::smatch m;
    if (std::regex_search(result, m, unknown))
        return fail(Errc::invalid_argument,
                    fmt::format("unexpected variable name '{}'", m[1].str()), {.key = notes_key});
    return result;
}

} // namespace pct::storage
