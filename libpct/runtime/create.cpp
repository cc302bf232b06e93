// SPDX-License-Identifier: AGPL-3.0-or-later
#include "create_steps.hpp"
#include "ct_setup.hpp"
#include "id_map.hpp"
#include "impl.hpp"
#include "pct/internal/keys.hpp"
#include "unpack.hpp"

#include <pct/model/schema.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>
#include <pct/runtime/create.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/storage_cfg.hpp>
#include <pct/validate.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace pct::runtime {

namespace {

std::string host_arch() {
    utsname u{};
    ::uname(&u);
    std::string_view m = u.machine;
    if (m == "aarch64")
        return "arm64";
    if (m == "i686" || m == "i386")
        return "i386";
    if (m.starts_with("armv7"))
        return "armhf";
    if (m == "riscv64")
        return "riscv64";
    return "amd64";
}

std::string os_release_id(const std::string& rootfs) {
    auto text = detail::read_file_in_root(rootfs, "etc/os-release");
    if (!text)
        text = detail::read_file_in_root(rootfs, "usr/lib/os-release");
    if (!text)
        return {};
    std::size_t pos = 0;
    while (pos < text->size()) {
        auto nl = text->find('\n', pos);
        std::string line =
            text->substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text->size() : nl + 1;
        if (line.starts_with("ID=")) {
            std::string id = line.substr(3);
            std::erase(id, '"');
            std::erase(id, '\'');
            return id;
        }
    }
    return {};
}

std::string detect_ostype(const std::string& rootfs) {
    auto has = [&](const char* rel) { return detail::read_file_in_root(rootfs, rel).has_value(); };
    std::string id = os_release_id(rootfs);
    if (has("etc/debian_version")) {
        if (id == "ubuntu")
            return "ubuntu";
        if (id == "devuan" || has("etc/devuan_version"))
            return "devuan";
        return "debian";
    }
    if (has("etc/alpine-release"))
        return "alpine";
    if (has("etc/arch-release"))
        return "archlinux";
    if (has("etc/fedora-release"))
        return "fedora";
    if (has("etc/centos-release") || has("etc/redhat-release"))
        return "centos";
    if (has("etc/gentoo-release"))
        return "gentoo";
    if (has("etc/SuSE-release") || id.starts_with("opensuse"))
        return "opensuse";
    if (has("etc/NIXOS"))
        return "nixos";
    return "unmanaged";
}

bool dir_empty(const std::string& path) {
    DIR* d = ::opendir(path.c_str());
    if (!d)
        return true;
    bool empty = true;
    while (dirent* e = ::readdir(d)) {
        std::string_view n = e->d_name;
        if (n != "." && n != "..") {
            empty = false;
            break;
        }
    }
    ::closedir(d);
    return empty;
}

std::string random_mac() {
    std::random_device rd;
    auto byte = [&] { return rd() & 0xff; };
    return fmt::format("BC:24:11:{:02X}:{:02X}:{:02X}", byte(), byte(), byte());
}

// The storage and size (bytes) of Proxmox's allocation form `STORAGE:SIZE_GiB`; sizes are
// truncated to whole MiB (`size_kib = int(GiB * 1024) * 1024`) as Proxmox's create_disks does.
std::optional<std::pair<std::string, std::uint64_t>> allocation_form(std::string_view volume) {
    if (!storage::is_allocation_form(volume))
        return std::nullopt;
    auto colon = volume.find(':');
    double gib = std::stod(std::string(volume.substr(colon + 1)));
    return std::pair{std::string(volume.substr(0, colon)),
                     static_cast<std::uint64_t>(gib * 1024.0) * 1024 * 1024};
}

// A volume given to create must be what Proxmox can use: the allocation form, a host path,
// or an existing container disk of a storage (`local:abc`, `local:-1` and `local:1e3` are
// none of these and Proxmox refuses them).
Result<void> check_given_volume(std::string_view key, std::string_view volume) {
    if (allocation_form(volume))
        return {};
    auto id = storage::parse_volume_id(volume);
    if (!id)
        return std::unexpected(with_key(std::move(id).error(), key));
    if (id->storage.empty())
        return {};
    if (auto ok = storage::check_dir_image_name(id->name); !ok)
        return std::unexpected(with_key(std::move(ok).error(), key));
    return {};
}

bool is_bare_size(std::string_view text) {
    return storage::is_allocation_form(fmt::format("x:{}", text));
}

// The volumes of `rootfs` and `mpN` (a bare size N means `storage:N`), checked before anything
// is locked, destroyed or allocated.
Result<void> check_volumes(const std::map<std::string, std::string>& options,
                           const std::string& storage_id) {
    for (const auto& [key, value] : options) {
        if (key != "rootfs" && !pct::detail::is_mp_key(key))
            continue;
        auto mp = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
        if (!mp)
            return std::unexpected(with_key(std::move(mp).error(), key));
        std::string volume = is_bare_size(mp->volume) ? storage_id + ":" + mp->volume : mp->volume;
        if (auto ok = check_given_volume(key, volume); !ok)
            return ok;
    }
    return {};
}

// What a failed create made, removed again when the create returns early: the volume, the
// `images/<CTID>/` folder if this create made it and it is empty, the files in a caller's
// rootfs directory (or the directory when this create made it), and the `lock: create` config.
class CreateUndo {
  public:
    CreateUndo(const storage::Host& host, const storage::ConfigLock& lock)
        : m_host(host), m_lock(lock) {}
    CreateUndo(const CreateUndo&) = delete;
    CreateUndo& operator=(const CreateUndo&) = delete;
    ~CreateUndo() {
        if (m_dismissed)
            return;
        Vmid vmid = m_lock.vmid();
        if (!volume.empty())
            (void)m_host.free_volume(vmid, volume);
        std::error_code ec;
        if (!given_dir.empty() && !given_dir_existed)
            std::filesystem::remove_all(given_dir, ec);
        if (!given_dir.empty() && given_dir_existed) {
            for (auto& entry : std::filesystem::directory_iterator(given_dir, ec))
                std::filesystem::remove_all(entry.path(), ec);
            if (given_owner)
                (void)::chown(given_dir.c_str(), given_owner->uid, given_owner->gid);
        }
        if (!images_dir.empty())
            ::rmdir(images_dir.c_str()); // only when empty
        (void)m_host.remove_config(m_lock);
    }
    void dismiss() { m_dismissed = true; }

    std::string volume;
    std::string images_dir;
    std::string given_dir;
    bool given_dir_existed = false;
    std::optional<detail::Owner> given_owner;

  private:
    const storage::Host& m_host;
    const storage::ConfigLock& m_lock;
    bool m_dismissed = false;
};

// Every netN gets a stable MAC now, as Proxmox's create does (a new one for all with `unique`),
// and the default type `veth`.
Result<void> fill_net_defaults(OptionMap& opts, bool unique) {
    for (auto& [key, value] : opts) {
        if (!pct::detail::is_net_key(key))
            continue;
        auto net = parse::net(value);
        if (!net)
            return std::unexpected(with_key(std::move(net).error(), key));
        if (!net->hwaddr || unique)
            net->hwaddr = random_mac();
        if (!net->type)
            net->type = "veth";
        auto text = render::net(*net);
        if (!text)
            return std::unexpected(with_key(std::move(text).error(), key));
        value = *text;
    }
    return {};
}

Result<void> reach(const detail::CreateStepHook& hook, detail::CreateStep step) {
    return hook ? hook(step) : Result<void>{};
}

// Proxmox's message for a failure once the work has begun (create_vm's worker):
// "unable to create CT <vmid> - ERR", keeping the code and where the error is.
Error create_failed(Vmid vmid, Error e) {
    e.message = fmt::format("unable to create CT {} - {}", vmid.value, e.message);
    return e;
}

} // namespace

namespace detail {

std::string_view step_name(CreateStep step) noexcept {
    switch (step) {
    case CreateStep::allocate:
        return "allocate";
    case CreateStep::mount:
        return "mount";
    case CreateStep::extract:
        return "extract";
    case CreateStep::setup:
        return "setup";
    case CreateStep::config:
        return "config";
    }
    return "unknown";
}

Result<Container> create_with_hook(const storage::Host& host, Vmid vmid,
                                   const CreateOptions& options, const CreateStepHook& hook) {
    if (auto ok = storage::Host::check_vmid(vmid.value); !ok)
        return std::unexpected(std::move(ok).error());
    if (!options.pool.empty())
        return fail(Errc::unsupported, "pools are not supported by libpct", {.key = "pool"});
    // Until the post-create setup writes them, refused rather than silently dropped.
    if (options.password || !options.ssh_public_keys.empty())
        return fail(Errc::unsupported, "setting the root password or ssh keys at create is not "
                                       "supported by this build yet");
    for (const auto& [key, value] : options.options) {
        if (!settable_at_create(key) && schema::find(key))
            return std::unexpected(
                with_key(error(Errc::invalid_argument,
                               fmt::format("option '{}' cannot be given to create", key)),
                         key));
        auto problems = validate::value(key, value);
        if (!problems.empty())
            return std::unexpected(with_key(std::move(problems.front()), key));
    }
    if (auto ok = check_volumes(options.options, options.storage); !ok)
        return std::unexpected(std::move(ok).error());
    auto archive = host.template_path(options.ostemplate);
    if (!archive)
        return std::unexpected(std::move(archive).error());
    struct stat st {};
    if (::stat(archive->c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return fail(Errc::not_found, fmt::format("can't find file '{}'", *archive),
                    {.context = *archive});
    if (auto flag = compressor_flag(*archive); !flag)
        return std::unexpected(std::move(flag).error());

    auto lock = host.lock(vmid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    if (host.exists(vmid)) {
        if (!options.force)
            return fail(Errc::already_exists, fmt::format("CT {} already exists", vmid.value),
                        {.context = host.config_path(vmid)});
        auto old = Container::open(host, vmid);
        if (!old)
            return std::unexpected(std::move(old).error());
        if (old->running())
            return fail(Errc::bad_state,
                        fmt::format("unable to replace CT {}: it is running", vmid.value));
        lock->release(); // destroy() takes the lock itself
        if (auto ok = old->destroy({}); !ok)
            return std::unexpected(std::move(ok).error());
        auto relock = host.lock(vmid);
        if (!relock)
            return std::unexpected(std::move(relock).error());
        *lock = std::move(*relock);
        if (host.exists(vmid))
            return fail(Errc::already_exists, fmt::format("CT {} already exists", vmid.value));
    }

    ContainerConfig config;
    for (const auto& [key, value] : options.options) {
        if (key == "description") // kept as the `#` comment lines of the section, as Proxmox
            config.main.description = value;
        else
            config.main.options[key] = value;
    }
    auto& opts = config.main.options;
    // Current Proxmox creates unprivileged containers unless told otherwise; the config's own
    // default (absent = privileged) stays as it is, so the value is always written.
    if (!opts.contains("unprivileged"))
        opts["unprivileged"] = "1";

    // rootfs: the allocation form (a bare size N means STORAGE:N) gets the name of a new volume
    // (made below, once the config names it), anything else is used as given.
    std::string rootfs_text = opts.contains("rootfs") ? opts["rootfs"] : options.storage + ":4";
    auto rootfs = parse::rootfs(rootfs_text);
    if (!rootfs)
        return std::unexpected(with_key(std::move(rootfs).error(), "rootfs"));
    if (is_bare_size(rootfs->volume))
        rootfs->volume = options.storage + ":" + rootfs->volume;
    auto alloc = allocation_form(rootfs->volume);
    if (alloc) {
        auto vol = host.next_subvol(vmid, alloc->first);
        if (!vol)
            return std::unexpected(with_key(std::move(vol).error(), "rootfs"));
        rootfs->volume = *vol;
        if (alloc->second > 0)
            rootfs->size = alloc->second;
    }
    auto rootdir = host.volume_path(vmid, rootfs->volume);
    if (!rootdir)
        return std::unexpected(with_key(std::move(rootdir).error(), "rootfs"));
    auto rendered = render::rootfs(*rootfs);
    if (!rendered)
        return std::unexpected(with_key(std::move(rendered).error(), "rootfs"));
    opts["rootfs"] = *rendered;

    if (auto ok = fill_net_defaults(opts, options.unique); !ok)
        return std::unexpected(std::move(ok).error());

    auto settings = parse::settings(config.main);
    if (!settings)
        return std::unexpected(std::move(settings).error());
    bool unprivileged = settings->unprivileged.value_or(false);
    opts["unprivileged"] = unprivileged ? "1" : "0";
    auto id_map = container_id_map(config.main, unprivileged);
    if (!id_map)
        return std::unexpected(std::move(id_map).error());

    // Mark the work first, as Proxmox does: from here on the config (with `lock: create`)
    // names every volume this create makes, so after a kill `list` shows the half-made
    // container and `destroy` removes all of it. Nothing else starts a locked container.
    opts["lock"] = "create";
    if (auto ok = host.create_config(*lock, config); !ok)
        return std::unexpected(std::move(ok).error());
    CreateUndo undo(host, *lock);
    auto failed = [&](Error e) { return std::unexpected(create_failed(vmid, std::move(e))); };

    if (auto ok = reach(hook, CreateStep::allocate); !ok)
        return failed(std::move(ok).error());
    if (alloc) {
        std::string images = rootdir->substr(0, rootdir->rfind('/'));
        struct stat ist {};
        if (::stat(images.c_str(), &ist) != 0)
            undo.images_dir = images;
        if (auto ok = storage::make_dirs(images); !ok)
            return failed(std::move(ok).error());
        if (::mkdir(rootdir->c_str(), 0755) != 0)
            return failed(storage::io_error("mkdir", *rootdir, errno));
        undo.volume = rootfs->volume;
    } else {
        bool existed = ::stat(rootdir->c_str(), &st) == 0;
        std::string parent = rootdir->substr(0, rootdir->rfind('/'));
        struct stat pst {};
        if (!existed && !parent.empty() && ::stat(parent.c_str(), &pst) != 0)
            undo.images_dir = parent;
        if (auto ok = storage::make_dirs(*rootdir); !ok)
            return failed(std::move(ok).error());
        if (!dir_empty(*rootdir)) {
            if (!options.force)
                return failed(
                    with_key(error(Errc::already_exists,
                                   fmt::format("rootfs directory '{}' is not empty", *rootdir)),
                             "rootfs"));
            // Files already there keep their host owners (tar does not replace them): in an
            // unprivileged rootfs a host-root setuid file would stay one.
            if (unprivileged)
                return failed(with_key(
                    error(Errc::already_exists,
                          fmt::format("rootfs directory '{}' is not empty: an unprivileged "
                                      "container is unpacked into an empty directory only",
                                      *rootdir)),
                    "rootfs"));
        } else {
            // Given and empty (or new): undo our files on failure, keep the directory if it was
            // the caller's (with its owner).
            undo.given_dir = *rootdir;
            undo.given_dir_existed = existed;
            if (existed)
                undo.given_owner = Owner{st.st_uid, st.st_gid};
        }
    }
    // tar runs as the mapped root, which must own the directory it unpacks into.
    if (auto owner = id_map->chown_to())
        if (::chown(rootdir->c_str(), owner->uid, owner->gid) != 0)
            return failed(storage::io_error("chown", *rootdir, errno));

    if (auto ok = reach(hook, CreateStep::mount); !ok)
        return failed(std::move(ok).error());
    if (auto ok = reach(hook, CreateStep::extract); !ok)
        return failed(std::move(ok).error());
    if (auto ok = unpack(*archive, *rootdir, *id_map, lock->fd(), options.ignore_unpack_errors);
        !ok)
        return failed(std::move(ok).error());
    if (!opts.contains("ostype"))
        opts["ostype"] = detect_ostype(*rootdir);
    if (!opts.contains("arch"))
        opts["arch"] = host_arch();
    if (auto ok = reach(hook, CreateStep::setup); !ok)
        return failed(std::move(ok).error());
    if (!opts.contains("hostname"))
        opts["hostname"] = fmt::format("CT{}", vmid.value);
    if (!opts.contains("memory"))
        opts["memory"] = "512";
    if (!opts.contains("swap"))
        opts["swap"] = "512";

    if (auto ok = reach(hook, CreateStep::config); !ok)
        return failed(std::move(ok).error());
    opts.erase("lock");
    if (auto ok = host.write_config(*lock, config); !ok)
        return failed(std::move(ok).error());
    undo.dismiss();
    lock->release();
    auto ct = Container::open(host, vmid);
    if (!ct || !options.start)
        return ct;
    if (auto started = ct->start(); !started) {
        Error e = std::move(started).error();
        e.message =
            fmt::format("CT {} was created, but it did not start: {}", vmid.value, e.message);
        return std::unexpected(std::move(e));
    }
    return ct;
}

} // namespace detail

Result<Container> create(const storage::Host& host, Vmid vmid, const CreateOptions& options) {
    return detail::create_with_hook(host, vmid, options, {});
}

} // namespace pct::runtime
