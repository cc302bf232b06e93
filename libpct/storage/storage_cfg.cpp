// SPDX-License-Identifier: AGPL-3.0-or-later
// storage.cfg as Proxmox's SectionConfig reads and writes it (spec storage.md §1).
#include <pct/storage/storage_cfg.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace pct::storage {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::ranges::transform(out, out.begin(),
                           [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
    return out;
}

// PVE::Tools::split_list: `,`, `;` and blanks separate items.
std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    std::string item;
    for (char c : text) {
        if (c == ',' || c == ';' || is_blank(c) || c == '\n') {
            if (!item.empty())
                out.push_back(std::exchange(item, {}));
        } else {
            item.push_back(c);
        }
    }
    if (!item.empty())
        out.push_back(std::move(item));
    return out;
}

std::string join(const std::set<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ",") + i;
    return out;
}

const std::set<std::string, std::less<>> content_types = {"images", "rootdir",  "vztmpl", "iso",
                                                          "backup", "snippets", "none",   "import"};

// Types Proxmox always marks shared (pve-storage: Plugin.pm parse_config).
const std::set<std::string, std::less<>> shared_types = {
    "iscsi", "nfs", "cifs", "rbd", "cephfs", "iscsidirect", "zfs", "drbd", "pbs"};

// Every option name some Proxmox storage type knows: a key outside the dir/btrfs schema is
// "unexpected" when it is here and of "unknown property type" otherwise.
const std::set<std::string, std::less<>> known_keys = {"path",
                                                       "content",
                                                       "content-dirs",
                                                       "shared",
                                                       "disable",
                                                       "nodes",
                                                       "format",
                                                       "preallocation",
                                                       "mkdir",
                                                       "create-base-path",
                                                       "create-subdirs",
                                                       "is_mountpoint",
                                                       "prune-backups",
                                                       "max-protected-backups",
                                                       "bwlimit",
                                                       "snapshot-as-volume-chain",
                                                       "nocow",
                                                       "vgname",
                                                       "thinpool",
                                                       "base",
                                                       "saferemove",
                                                       "saferemove-stepsize",
                                                       "tagged_only",
                                                       "pool",
                                                       "blocksize",
                                                       "sparse",
                                                       "mountpoint",
                                                       "server",
                                                       "export",
                                                       "options",
                                                       "share",
                                                       "username",
                                                       "password",
                                                       "domain",
                                                       "smbversion",
                                                       "subdir",
                                                       "monhost",
                                                       "krbd",
                                                       "keyring",
                                                       "fs-name",
                                                       "fuse",
                                                       "portal",
                                                       "target",
                                                       "iscsiprovider",
                                                       "lio_tpg",
                                                       "comstar_tg",
                                                       "comstar_hg",
                                                       "nowritecache",
                                                       "datastore",
                                                       "fingerprint",
                                                       "encryption-key",
                                                       "master-pubkey",
                                                       "namespace",
                                                       "port",
                                                       "skip-cert-verification",
                                                       "data-pool",
                                                       "zfs-base-path",
                                                       "lun-override",
                                                       "preferred-sources",
                                                       "transport",
                                                       "volume"};

enum class Kind { string, boolean, content, nodes, format, preallocation, integer, path, dirs };

struct Schema {
    std::map<std::string, Kind, std::less<>> keys;
    std::vector<std::string> formats;
};

const Schema& schema_of(std::string_view type) {
    static const Schema dir{{{"path", Kind::path},
                             {"content", Kind::content},
                             {"content-dirs", Kind::dirs},
                             {"shared", Kind::boolean},
                             {"disable", Kind::boolean},
                             {"nodes", Kind::nodes},
                             {"format", Kind::format},
                             {"preallocation", Kind::preallocation},
                             {"mkdir", Kind::boolean},
                             {"create-base-path", Kind::boolean},
                             {"create-subdirs", Kind::boolean},
                             {"is_mountpoint", Kind::string},
                             {"prune-backups", Kind::string},
                             {"max-protected-backups", Kind::integer},
                             {"bwlimit", Kind::string},
                             {"snapshot-as-volume-chain", Kind::boolean}},
                            {"raw", "qcow2", "subvol", "vmdk"}};
    static const Schema btrfs{{{"path", Kind::path},
                               {"content", Kind::content},
                               {"shared", Kind::boolean},
                               {"disable", Kind::boolean},
                               {"nodes", Kind::nodes},
                               {"format", Kind::format},
                               {"preallocation", Kind::preallocation},
                               {"mkdir", Kind::boolean},
                               {"create-base-path", Kind::boolean},
                               {"create-subdirs", Kind::boolean},
                               {"is_mountpoint", Kind::string},
                               {"prune-backups", Kind::string},
                               {"max-protected-backups", Kind::integer},
                               {"nocow", Kind::boolean}},
                              {"raw", "subvol"}};
    return type == "btrfs" ? btrfs : dir;
}

bool has_schema(std::string_view type) { return type == "dir" || type == "btrfs"; }

std::string enum_text(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values)
        out += (out.empty() ? "" : ", ") + v;
    return out;
}

// The schema check of one value (SectionConfig's check_value); the error text or the value
// as stored.
std::expected<std::string, std::string> check_value(const Schema& schema, const std::string& key,
                                                    const std::optional<std::string>& value) {
    auto it = schema.keys.find(key);
    if (it == schema.keys.end())
        return std::unexpected(known_keys.contains(key)
                                   ? fmt::format("unexpected property '{}'", key)
                                   : std::string("unknown property type"));
    const std::string v = value.value_or("");
    switch (it->second) {
    case Kind::boolean:
        if (!value)
            return std::string("1");
        if (v == "0" || v == "1")
            return v;
        return std::unexpected(fmt::format("type check ('boolean') failed - got '{}'", v));
    case Kind::integer: {
        static const std::regex integer(R"(^-?\d+$)");
        if (!std::regex_match(v, integer))
            return std::unexpected(fmt::format("type check ('integer') failed - got '{}'", v));
        if (std::stoll(v.size() > 18 ? std::string("999999999999999999") : v) < -1)
            return std::unexpected(fmt::format("value must have a minimum value of -1"));
        return v;
    }
    case Kind::format:
    case Kind::preallocation: {
        static const std::vector<std::string> prealloc = {"off", "metadata", "falloc", "full"};
        const auto& allowed = it->second == Kind::format ? schema.formats : prealloc;
        if (std::ranges::find(allowed, v) == allowed.end())
            return std::unexpected(fmt::format(
                "value '{}' does not have a value in the enumeration '{}'", v, enum_text(allowed)));
        return v;
    }
    case Kind::content:
        for (const auto& item : split_list(v))
            if (!content_types.contains(item))
                return std::unexpected(
                    fmt::format("invalid format - invalid content type '{}'", item));
        return v;
    case Kind::nodes: {
        static const std::regex node(R"(^[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?$)");
        for (const auto& item : split_list(v))
            if (!std::regex_match(item, node))
                return std::unexpected(
                    std::string("invalid format - value does not look like a valid node name"));
        return v;
    }
    case Kind::path: {
        static const std::regex storage_path(R"(^/[^;\(\)]+)");
        if (!std::regex_search(v, storage_path))
            return std::unexpected(
                fmt::format("invalid format - value does not look like a valid path: {}", v));
        return v;
    }
    case Kind::dirs: {
        // `pve-dir-override`: VTYPE=RELPATH, no `..` component, no empty part.
        static const std::regex item_re(R"(^([a-z]+)=([^.]*(?:\.?[^.]+)+)$)");
        for (const auto& item : split_list(v)) {
            std::smatch m;
            if (!std::regex_match(item, m, item_re) || m[2].length() >= 1023 ||
                !content_types.contains(m[1].str()))
                return std::unexpected(
                    fmt::format("invalid format - invalid directory override '{}'", item));
            const std::string rel = m[2].str();
            for (std::string_view rest = rel; !rest.empty();) {
                auto slash = rest.find('/');
                if (rest.substr(0, slash).size() >= 255)
                    return std::unexpected(
                        fmt::format("invalid format - invalid directory override '{}'", item));
                rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
            }
        }
        return v;
    }
    case Kind::string:
        if (!value)
            return std::unexpected(std::string("property is missing and it is not optional"));
        return v;
    }
    return v;
}

// File::Spec->canonpath: duplicate `/`, `/./` and a trailing `/` removed.
std::string canonpath(std::string_view path) {
    std::string out;
    std::size_t i = 0;
    while (i < path.size()) {
        auto slash = path.find('/', i);
        std::string_view part =
            path.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
        if (!part.empty() && part != ".")
            out += "/" + std::string(part);
        if (slash == std::string_view::npos)
            break;
        i = slash + 1;
    }
    return out.empty() ? "/" : out;
}

// check_config at the end of a dir/btrfs section: decodes content and nodes, requires
// `path` and applies the path rule. The error text skips the section.
std::optional<std::string> finish_section(StorageEntry& entry) {
    if (auto it = entry.options.find("content"); it != entry.options.end()) {
        std::set<std::string> set;
        for (auto& item : split_list(it->second))
            set.insert(item);
        if (set.contains("none") && set.size() > 1)
            return std::string("unable to combine 'none' with other content types");
        it->second = set.empty() ? std::string("none") : join(set);
    }
    if (auto it = entry.options.find("nodes"); it != entry.options.end()) {
        std::set<std::string> set;
        for (auto& item : split_list(it->second))
            set.insert(item);
        it->second = join(set);
    }
    auto path = entry.options.find("path");
    if (path == entry.options.end())
        return std::string("missing value for required option 'path'");
    static const std::regex dir_path(R"(^/[-/a-zA-Z0-9_.@]+$)");
    if (!std::regex_match(path->second, dir_path))
        return fmt::format("illegal path for directory storage: {}", path->second);
    path->second = canonpath(path->second);
    return std::nullopt;
}

StorageEntry builtin_local() {
    return StorageEntry{.type = "dir",
                        .name = "local",
                        .options = {{"path", "/var/lib/vz"},
                                    {"content", "backup,images,iso,rootdir,snippets,vztmpl"},
                                    {"prune-backups", "keep-all=1"}},
                        .line = 0,
                        .verbatim = {},
                        .checked = true};
}

} // namespace

std::optional<std::string> storage_id_problem(std::string_view id) {
    if (id.size() < 2)
        return fmt::format("storage ID '{}' cannot be shorter than 2 characters", id);
    static const std::regex valid(R"(^[a-z][a-z0-9\-_.]*[a-z0-9]$)", std::regex::icase);
    if (!std::regex_match(std::string(id), valid))
        return fmt::format("storage ID '{}' contains illegal characters", id);
    return std::nullopt;
}

std::string StorageEntry::path() const { return option("path").value_or(""); }

std::optional<std::string> StorageEntry::option(std::string_view key) const {
    auto it = options.find(std::string(key));
    if (it == options.end())
        return std::nullopt;
    return it->second;
}

bool StorageEntry::flag(std::string_view key, bool fallback) const {
    auto v = option(key);
    if (!v)
        return fallback;
    return *v != "0" && !v->empty();
}

bool StorageEntry::disabled() const { return flag("disable"); }

bool StorageEntry::shared() const { return shared_types.contains(type) || flag("shared"); }

std::set<std::string> StorageEntry::content() const {
    std::set<std::string> out;
    for (auto& item : split_list(option("content").value_or("")))
        if (item != "none")
            out.insert(item);
    return out;
}

bool StorageEntry::has_content(std::string_view vtype) const {
    return content().contains(std::string(vtype));
}

std::set<std::string> StorageEntry::nodes() const {
    std::set<std::string> out;
    for (auto& item : split_list(option("nodes").value_or("")))
        out.insert(item);
    return out;
}

const StorageEntry* StorageConfig::find(std::string_view id) const noexcept {
    for (const auto& e : entries)
        if (e.name == id)
            return &e;
    return nullptr;
}

StorageConfig parse_storage_config(std::string_view text, std::string_view file) {
    StorageConfig out;
    std::string fname(
        file.empty()
            ? std::string_view("storage.cfg")
            : file.substr(file.rfind('/') == std::string_view::npos ? 0 : file.rfind('/') + 1));
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        auto nl = text.find('\n');
        lines.push_back(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
    auto is_comment = [](std::string_view l) { return trim(l).starts_with('#'); };
    static const std::regex header(R"(^(\S+):\s*(\S+)\s*$)");
    static const std::regex property(R"(^\s+(\S+)(\s+(.*\S))?\s*$)");
    std::size_t i = 0;
    while (i < lines.size()) {
        std::string_view line = lines[i++];
        const int line_no = int(i);
        if (is_comment(line) || trim(line).empty())
            continue;
        std::string prefix = fmt::format("file {} line {}", fname, line_no);
        std::cmatch m;
        if (!std::regex_match(line.begin(), line.end(), m, header)) {
            out.warnings.push_back(fmt::format("{} - ignore config line: {}", prefix, line));
            continue;
        }
        StorageEntry entry;
        entry.type = lower(m[1].str());
        entry.name = m[2].str();
        entry.line = line_no;
        std::optional<std::string> skip = storage_id_problem(entry.name);
        if (!skip && out.find(entry.name))
            skip = fmt::format("duplicate section ID '{}'", entry.name);
        const bool checked = has_schema(entry.type);
        entry.checked = checked;
        // The section's lines: up to the first empty line, comments skipped.
        for (; i < lines.size() && !lines[i].empty(); ++i) {
            std::string_view pl = lines[i];
            if (is_comment(pl))
                continue;
            std::string pprefix = fmt::format("file {} line {}", fname, i + 1);
            std::cmatch pm;
            if (!std::regex_match(pl.begin(), pl.end(), pm, property)) {
                out.warnings.push_back(fmt::format("{} (section '{}') - ignore config line: {}",
                                                   pprefix, entry.name, pl));
                continue;
            }
            std::string key = pm[1].str();
            std::optional<std::string> value;
            if (pm[3].matched)
                value = pm[3].str();
            if (!checked) {
                entry.verbatim.emplace_back(pl);
                entry.options.emplace(key, value.value_or("1"));
                continue;
            }
            auto unable = [&](std::string_view err) {
                out.warnings.push_back(
                    fmt::format("{} (section '{}') - unable to parse value of '{}': {}", pprefix,
                                entry.name, key, err));
            };
            if (entry.options.contains(key)) {
                unable("duplicate attribute");
                continue;
            }
            auto checked_value = check_value(schema_of(entry.type), key, value);
            if (!checked_value) {
                unable(checked_value.error());
                continue;
            }
            entry.options.emplace(std::move(key), std::move(*checked_value));
        }
        if (!skip && checked)
            skip = finish_section(entry);
        if (skip) {
            out.warnings.push_back(
                fmt::format("{} (skip section '{}'): {}", prefix, entry.name, *skip));
            continue;
        }
        out.entries.push_back(std::move(entry));
    }
    // Post-processing (pve-storage: Plugin.pm parse_config).
    auto local = std::ranges::find(out.entries, std::string("local"), &StorageEntry::name);
    if (local == out.entries.end())
        out.entries.push_back(builtin_local());
    else if (local->type != "dir" || (!local->path().empty() && local->path() != "/var/lib/vz")) {
        int line = local->line;
        *local = builtin_local();
        local->line = line;
    } else {
        local->options.emplace("path", "/var/lib/vz");
        local->options.erase("nodes");
    }
    for (auto& e : out.entries)
        if (e.checked && !e.options.contains("content"))
            e.options.emplace("content", "images,rootdir");
    return out;
}

Result<std::string> render_storage_config(const StorageConfig& config) {
    std::string out;
    auto check = [](const std::string& key, const std::string& value) -> Result<void> {
        if (value.find_first_of("\r\n") != std::string::npos)
            return fail(Errc::invalid_argument,
                        fmt::format("property '{}' contains a line feed", key), {.key = key});
        return {};
    };
    for (const auto& e : config.entries) {
        if (auto bad = storage_id_problem(e.name);
            bad || e.type.empty() || e.type.find_first_of(" \t\r\n:") != std::string::npos)
            return fail(Errc::invalid_argument,
                        bad ? *bad : fmt::format("unknown section type '{}'", e.type),
                        {.key = e.name});
        out += fmt::format("{}: {}\n", e.type, e.name);
        if (!e.checked) {
            for (const auto& l : e.verbatim) {
                if (auto ok = check(e.name, l); !ok)
                    return std::unexpected(std::move(ok).error());
                out += l + "\n";
            }
            out += "\n";
            continue;
        }
        if (e.flag("disable"))
            out += "\tdisable\n";
        if (auto p = e.option("path")) {
            if (auto ok = check("path", *p); !ok)
                return std::unexpected(std::move(ok).error());
            out += fmt::format("\tpath {}\n", *p);
        }
        for (const auto& [key, value] : e.options) {
            if (key == "path" || key == "disable" || value.empty())
                continue;
            if (auto ok = check(key, value); !ok)
                return std::unexpected(std::move(ok).error());
            if (key.find_first_of(" \t\r\n") != std::string::npos)
                return fail(Errc::invalid_argument, fmt::format("invalid property name '{}'", key),
                            {.key = key});
            out += fmt::format("\t{} {}\n", key, value);
        }
        out += "\n";
    }
    return out;
}

Result<std::vector<StorageEntry>> parse_storage_cfg(std::string_view text,
                                                    const std::string& file) {
    return parse_storage_config(text, file.empty() ? std::string_view("storage.cfg") : file)
        .entries;
}

Result<VolumeId> parse_volume_id(std::string_view volume) {
    static const std::regex volid(R"(^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$)", std::regex::icase);
    std::string text(volume);
    std::smatch m;
    if (text.find('\n') == std::string::npos && std::regex_match(text, m, volid))
        return VolumeId{m[1].str(), m[2].str()};
    if (!volume.empty() && volume.front() == '/')
        return VolumeId{"", std::string(volume)};
    return fail(Errc::invalid_argument, fmt::format("unable to parse volume ID '{}'", volume));
}

} // namespace pct::storage
