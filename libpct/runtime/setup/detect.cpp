// SPDX-License-Identifier: AGPL-3.0-or-later
#include "detect.hpp"
#include "marked_section.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace pct::runtime::detail::setup {

namespace {

constexpr std::array<std::string_view, 12> known_types = {
    "alpine", "archlinux", "centos",   "debian", "devuan", "fedora",
    "gentoo", "openeuler", "opensuse", "ubuntu", "nixos",  "unmanaged"};

std::optional<std::string> alias_of(std::string_view id) {
    if (id == "opensuse-leap" || id == "opensuse-tumbleweed" || id == "opensuse-slowroll" ||
        id == "sles")
        return "opensuse";
    if (id == "openEuler")
        return "openeuler";
    if (id == "arch")
        return "archlinux";
    if (id == "rocky" || id == "almalinux")
        return "centos";
    return std::nullopt;
}

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// `^DISTRIB_ID=Ubuntu$` with /im.
bool lsb_says_ubuntu(std::string_view text) {
    for (const auto& line : perl_split_lines(text)) {
        std::string lower;
        for (char c : line)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "distrib_id=ubuntu")
            return true;
    }
    return false;
}

} // namespace

std::map<std::string, std::string> parse_os_release(std::string_view text) {
    std::map<std::string, std::string> vars;
    for (const auto& line : perl_split_lines(text)) {
        std::size_t i = 0;
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
            ++i;
        std::size_t name_start = i;
        if (i >= line.size() ||
            !(std::isalpha(static_cast<unsigned char>(line[i])) || line[i] == '_'))
            continue;
        while (i < line.size() && (is_alnum(line[i]) || line[i] == '_'))
            ++i;
        if (i >= line.size() || line[i] != '=')
            continue;
        std::string name = line.substr(name_start, i - name_start);
        std::string_view content = std::string_view(line).substr(i + 1);
        if (content.starts_with('\'')) {
            auto close = content.find('\'', 1);
            if (close != std::string_view::npos) {
                vars[name] = std::string(content.substr(1, close - 1));
                continue;
            }
        }
        if (content.starts_with('"')) {
            std::string value;
            bool closed = false;
            std::size_t k = 1;
            for (; k < content.size(); ++k) {
                char c = content[k];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\') {
                    if (k + 1 >= content.size())
                        break;
                    char n = content[++k];
                    switch (n) {
                    case 'n':
                        value += '\n';
                        break;
                    case 't':
                        value += '\t';
                        break;
                    case '"':
                    case '\'':
                    case '`':
                    case '$':
                    case '\\':
                        value += n;
                        break;
                    default:
                        value += '\\';
                        value += n;
                        break;
                    }
                    continue;
                }
                value += c;
            }
            if (closed) {
                vars[name] = std::move(value);
                continue;
            }
        }
        std::size_t k = 0;
        while (k < content.size() && is_alnum(content[k]))
            ++k;
        vars[name] = std::string(content.substr(0, k));
    }
    return vars;
}

Result<std::string> detect_type(const CtRoot& root, std::string_view configured,
                                std::vector<std::string>& warnings) {
    if (configured == "unmanaged")
        return std::string("unmanaged");
    std::optional<std::string> os_release;
    for (const char* file : {"/etc/os-release", "/usr/lib/os-release"}) {
        if (!root.is_file(file))
            continue;
        auto text = root.read(file);
        if (!text)
            return std::unexpected(std::move(text).error());
        os_release = text->value_or("");
        break;
    }
    auto detect = [&]() -> Result<std::string> {
        if (os_release) {
            auto vars = parse_os_release(*os_release);
            if (auto it = vars.find("ID"); it != vars.end() && !it->second.empty()) {
                if (it->second == "busybox")
                    return it->second; // libpct's own type: see detect.hpp
                for (auto t : known_types)
                    if (it->second == t)
                        return it->second;
                if (auto alias = alias_of(it->second))
                    return *alias;
                warnings.push_back(fmt::format(
                    "unknown ID '{}' in /etc/os-release file, trying fallback detection",
                    it->second));
            }
        }
        if (root.is_file("/etc/lsb-release")) {
            auto lsb = root.read("/etc/lsb-release");
            if (!lsb)
                return std::unexpected(std::move(lsb).error());
            if (lsb_says_ubuntu(lsb->value_or("")))
                return std::string("ubuntu");
        }
        struct Marker {
            const char* path;
            const char* type;
        };
        static constexpr Marker markers[] = {
            {"/etc/debian_version", "debian"}, {"/etc/devuan_version", "devuan"},
            {"/etc/SuSE-brand", "opensuse"},   {"/etc/SuSE-release", "opensuse"},
            {"/etc/fedora-release", "fedora"}, {"/etc/centos-release", "centos"},
            {"/etc/redhat-release", "centos"}, {"/etc/arch-release", "archlinux"},
            {"/etc/alpine-release", "alpine"}, {"/etc/gentoo-release", "gentoo"},
        };
        for (const auto& m : markers)
            if (root.is_file(m.path))
                return std::string(m.type);
        if (root.is_dir("/nix/store"))
            return std::string("nixos");
        if (root.is_file("/etc/openEuler-release"))
            return std::string("openeuler");
        if (root.is_file("/etc/os-release"))
            return fail(Errc::unsupported, "unable to detect OS distribution",
                        {.context = root.shown("/etc/os-release")});
        warnings.emplace_back("/etc/os-release file not found and autodetection failed, falling "
                              "back to 'unmanaged'");
        return std::string("unmanaged");
    };
    auto type = detect();
    if (!type)
        return type;
    std::string expected = configured.empty() ? *type : std::string(configured);
    if (*type != expected && *type != "busybox") {
        if (!root.exists("/etc"))
            warnings.emplace_back("WARNING: /etc not present in CT, is the rootfs mounted?");
        warnings.push_back(fmt::format("got unexpected ostype ({} != {})", *type, expected));
    }
    return type;
}

} // namespace pct::runtime::detail::setup
