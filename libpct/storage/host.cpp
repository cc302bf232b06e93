// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/render/config.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/host.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <dirent.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::storage {

namespace {

// Rejects `..`, `.` and empty components so a volume name cannot leave its storage.
bool safe_relative(std::string_view rel) {
    if (rel.empty() || rel.front() == '/')
        return false;
    while (!rel.empty()) {
        auto slash = rel.find('/');
        auto part = rel.substr(0, slash);
        if (part.empty() || part == "." || part == "..")
            return false;
        if (slash == std::string_view::npos)
            break;
        rel.remove_prefix(slash + 1);
    }
    return true;
}

bool safe_absolute(std::string_view path) {
    return !path.empty() && path.front() == '/' &&
           (path.size() == 1 || safe_relative(path.substr(1)) ||
            // tolerate one trailing slash
            (path.back() == '/' && safe_relative(path.substr(1, path.size() - 2))));
}

std::optional<std::uint32_t> parse_u32(std::string_view s) {
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty())
        return std::nullopt;
    return v;
}

} // namespace

Host::Host(std::string root) : m_root(std::move(root)) {
    if (m_root.empty())
        m_root = "/";
    while (m_root.size() > 1 && m_root.back() == '/')
        m_root.pop_back();
}

std::string Host::host_path(std::string_view absolute) const {
    if (m_root == "/")
        return std::string(absolute);
    if (absolute.empty() || absolute.front() != '/')
        return m_root + "/" + std::string(absolute);
    return m_root + std::string(absolute);
}

std::string Host::config_dir() const { return host_path("/etc/pve/lxc"); }
std::string Host::config_path(Vmid vmid) const {
    return fmt::format("{}/{}.conf", config_dir(), vmid.value);
}
std::string Host::storage_cfg_path() const { return host_path("/etc/pve/storage.cfg"); }
std::string Host::lxcpath() const { return host_path("/var/lib/lxc"); }
std::string Host::ct_dir(Vmid vmid) const { return fmt::format("{}/{}", lxcpath(), vmid.value); }
std::string Host::lock_dir() const { return host_path("/run/lock/lxc"); }
std::string Host::lock_path(Vmid vmid) const {
    return fmt::format("{}/pve-config-{}.lock", lock_dir(), vmid.value);
}

Result<Vmid> Host::check_vmid(std::uint64_t id) {
    if (id < 100 || id > 999999999) {
        return fail(Errc::invalid_argument,
                    fmt::format("invalid CT ID '{}': must be between 100 and 999999999", id),
                    {.key = "vmid"});
    }
    return Vmid{static_cast<std::uint32_t>(id)};
}

Result<ConfigLock> Host::lock(Vmid vmid, std::chrono::milliseconds timeout) const {
    if (auto ok = check_vmid(vmid.value); !ok)
        return std::unexpected(std::move(ok).error());
    // The one rule for which lock guards a config file (config_document.hpp).
    auto lock = lock_config_file(config_path(vmid), timeout);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    return ConfigLock(vmid, std::move(*lock));
}

bool Host::exists(Vmid vmid) const {
    struct stat st {};
    return ::stat(config_path(vmid).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Result<std::vector<Vmid>> Host::list() const {
    std::vector<Vmid> out;
    std::string dir = config_dir();
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
        if (errno == ENOENT)
            return out;
        return std::unexpected(io_error("opendir", dir, errno));
    }
    while (dirent* ent = ::readdir(d)) {
        std::string_view name = ent->d_name;
        if (!name.ends_with(".conf"))
            continue;
        auto id = parse_u32(name.substr(0, name.size() - 5));
        if (!id || *id < 100 || *id > 999999999)
            continue;
        out.push_back(Vmid{*id});
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

Result<parse::ParsedConfig> Host::read_config(Vmid vmid) const {
    std::string path = config_path(vmid);
    auto text = read_file(path);
    if (!text) {
        if (text.error().code == Errc::not_found)
            return fail(Errc::not_found,
                        fmt::format("Configuration file '{}' does not exist", path),
                        {.context = path});
        return std::unexpected(std::move(text).error());
    }
    parse::ConfigOptions options;
    options.vmid = vmid.value;
    options.file = path;
    return parse::config(*text, options);
}

Result<void> Host::write_config(const ConfigLock& lock, const ContainerConfig& config) const {
    if (!lock.held())
        return fail(Errc::internal, "config lock was released before write");
    auto text = render::config(config);
    if (!text) {
        Error e = std::move(text).error();
        if (e.context.empty())
            e.context = config_path(lock.vmid());
        return std::unexpected(std::move(e));
    }
    return write_file_atomic(config_path(lock.vmid()), *text, 0640);
}

Result<void> Host::create_config(const ConfigLock& lock, const ContainerConfig& config) const {
    if (exists(lock.vmid()))
        return fail(Errc::already_exists, fmt::format("CT {} already exists", lock.vmid().value),
                    {.context = config_path(lock.vmid())});
    if (auto ok = make_dirs(config_dir()); !ok)
        return std::unexpected(std::move(ok).error());
    return write_config(lock, config);
}

Result<void> Host::remove_config(const ConfigLock& lock) const {
    std::string path = config_path(lock.vmid());
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT)
            return fail(Errc::not_found,
                        fmt::format("Configuration file '{}' does not exist", path),
                        {.context = path});
        return std::unexpected(io_error("unlink", path, errno));
    }
    return {};
}

Result<std::vector<StorageEntry>> Host::storages() const {
    std::string path = storage_cfg_path();
    auto text = read_file(path);
    if (!text) {
        if (text.error().code != Errc::not_found)
            return std::unexpected(std::move(text).error());
        return parse_storage_cfg("", path);
    }
    return parse_storage_cfg(*text, path);
}

Result<StorageEntry> Host::storage(std::string_view id) const {
    auto all = storages();
    if (!all)
        return std::unexpected(std::move(all).error());
    for (auto& entry : *all)
        if (entry.name == id)
            return std::move(entry);
    return fail(Errc::not_found, fmt::format("storage '{}' does not exist", id),
                {.context = storage_cfg_path()});
}

namespace {

// The `dir` storage behind a volume id, with Proxmox-like refusals for everything else.
Result<std::string> dir_storage_path(const Host& host, std::string_view id) {
    auto entry = host.storage(id);
    if (!entry)
        return std::unexpected(std::move(entry).error());
    if (entry->disabled())
        return fail(Errc::bad_state, fmt::format("storage '{}' is disabled", id),
                    {.context = host.storage_cfg_path()});
    if (entry->type != "dir")
        return fail(Errc::unsupported,
                    fmt::format("storage '{}' has type '{}': libpct uses only 'dir' storages", id,
                                entry->type),
                    {.context = host.storage_cfg_path()});
    std::string path = entry->path();
    if (!safe_absolute(path))
        return fail(Errc::invalid_argument,
                    fmt::format("storage '{}' has no usable absolute 'path' ('{}')", id, path),
                    {.context = host.storage_cfg_path()});
    return host.host_path(path);
}

} // namespace

Result<std::string> Host::volume_path(Vmid vmid, std::string_view volume) const {
    auto vol = parse_volume_id(volume);
    if (!vol)
        return std::unexpected(std::move(vol).error());
    if (vol->storage.empty()) {
        if (!safe_absolute(vol->name))
            return fail(Errc::invalid_argument,
                        fmt::format("volume path '{}' must be absolute without '..'", volume));
        return host_path(vol->name);
    }
    auto base = dir_storage_path(*this, vol->storage);
    if (!base)
        return std::unexpected(std::move(base).error());
    if (!safe_relative(vol->name))
        return fail(Errc::invalid_argument,
                    fmt::format("unable to parse volume name '{}'", vol->name));
    std::string_view name = vol->name;
    if (name.starts_with("vztmpl/"))
        return fmt::format("{}/template/cache/{}", *base, name.substr(7));
    std::string owner;
    std::string_view file = name;
    if (auto slash = name.find('/'); slash != std::string_view::npos) {
        owner = std::string(name.substr(0, slash));
        file = name.substr(slash + 1);
        if (!parse_u32(owner) || file.find('/') != std::string_view::npos)
            return fail(Errc::invalid_argument,
                        fmt::format("unable to parse volume name '{}'", vol->name));
    } else {
        owner = std::to_string(vmid.value);
    }
    if (file.ends_with(".raw") || file.ends_with(".qcow2") || file.ends_with(".vmdk"))
        return fail(
            Errc::unsupported,
            fmt::format("volume '{}' is a disk image; libpct runs containers from directory "
                        "volumes only",
                        volume));
    return fmt::format("{}/images/{}/{}", *base, owner, file);
}

Result<std::string> Host::template_path(std::string_view ostemplate) const {
    auto vol = parse_volume_id(ostemplate);
    if (!vol || vol->storage.empty()) {
        if (ostemplate.empty())
            return fail(Errc::invalid_argument, "empty template name");
        return std::string(ostemplate);
    }
    if (!std::string_view(vol->name).starts_with("vztmpl/"))
        return fail(
            Errc::invalid_argument,
            fmt::format("volume '{}' is not a container template (expected STORAGE:vztmpl/FILE)",
                        ostemplate));
    return volume_path(Vmid{100}, ostemplate);
}

Result<std::string> Host::next_subvol(Vmid vmid, std::string_view storage_id) const {
    auto base = dir_storage_path(*this, storage_id);
    if (!base)
        return std::unexpected(std::move(base).error());
    for (unsigned n = 0; n < 10000; ++n) {
        std::string name = fmt::format("subvol-{}-disk-{}.subvol", vmid.value, n);
        std::string path = fmt::format("{}/images/{}/{}", *base, vmid.value, name);
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT)
            return fmt::format("{}:{}/{}", storage_id, vmid.value, name);
    }
    return fail(Errc::io, "unable to allocate a volume name",
                {.context = fmt::format("{}/images/{}", *base, vmid.value)});
}

Result<std::string> Host::allocate_subvol(Vmid vmid, std::string_view storage_id) const {
    // Retried when another process takes the name between the lookup and the mkdir.
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto volume = next_subvol(vmid, storage_id);
        if (!volume)
            return std::unexpected(std::move(volume).error());
        auto path = volume_path(vmid, *volume);
        if (!path)
            return std::unexpected(std::move(path).error());
        if (auto ok = make_dirs(path->substr(0, path->rfind('/'))); !ok)
            return std::unexpected(std::move(ok).error());
        if (::mkdir(path->c_str(), 0755) == 0)
            return volume;
        if (errno != EEXIST)
            return std::unexpected(io_error("mkdir", *path, errno));
    }
    return fail(Errc::io, "unable to allocate a volume name");
}

Result<void> Host::free_volume(Vmid vmid, std::string_view volume) const {
    auto vol = parse_volume_id(volume);
    if (!vol)
        return std::unexpected(std::move(vol).error());
    if (vol->storage.empty())
        return {};
    auto path = volume_path(vmid, volume);
    if (!path)
        return std::unexpected(std::move(path).error());
    std::error_code ec;
    std::filesystem::remove_all(*path, ec);
    if (ec)
        return std::unexpected(io_error("remove", *path, ec.value()));
    return {};
}

} // namespace pct::storage
