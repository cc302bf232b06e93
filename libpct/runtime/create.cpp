// SPDX-License-Identifier: AGPL-3.0-or-later
// `create` as pve-container's create_vm (storage spec §3.6): under the config lock and with
// `lock: create` in the config from the start, create_disks, mount_all (read-write, in the
// host mount namespace, at `<ct_dir>/rootfs`), the template unpacked there inside the id map,
// the ostype detected, the config written, the post-create setup (password, ssh keys, host
// keys, machine-id), umount_all, Proxmox's defaults and the final config. A failure undoes all
// of it (CreateUndo) and reads "unable to create CT <vmid> - ERR".
#include "create_disks.hpp"
#include "create_steps.hpp"
#include "ct_setup.hpp"
#include "id_map.hpp"
#include "impl.hpp"
#include "mount.hpp"
#include "pct/internal/keys.hpp"
#include "random_mac.hpp"
#include "unpack.hpp"

#include <pct/model/schema.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>
#include <pct/runtime/create.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/storage_cfg.hpp>
#include <pct/storage/storages.hpp>
#include <pct/validate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
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

// A volume given to create must be what Proxmox can use: an allocation request, a host path,
// or an existing container disk of a storage (`local:abc`, `local:-1` and `local:1e3` are
// none of these and Proxmox refuses them).
Result<void> check_given_volume(std::string_view key, std::string_view volume) {
    if (detail::is_volume_request(volume))
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

// The volumes of `rootfs` and `mpN` (after normalize_volume_requests), checked before
// anything is locked, destroyed or allocated.
Result<void> check_volumes(const OptionMap& opts) {
    for (const auto& [key, value] : opts) {
        if (key != "rootfs" && !pct::detail::is_mp_key(key))
            continue;
        auto mp = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
        if (!mp)
            return std::unexpected(with_key(std::move(mp).error(), key));
        if (auto ok = check_given_volume(key, mp->volume); !ok)
            return ok;
    }
    return {};
}

// What a failed create made, removed again when the create returns early: the mounts, every
// volume allocated, the `images/<CTID>/` folders this create made (when empty), the files in
// a caller's rootfs directory (or the directory when this create made it), `<ct_dir>/rootfs`
// and `<ct_dir>` (when empty) and the `lock: create` config.
class CreateUndo {
  public:
    CreateUndo(const storage::Host& host, const storage::ConfigLock& lock,
               storage::Storages& storages)
        : m_host(host), m_lock(lock), m_storages(storages) {}
    CreateUndo(const CreateUndo&) = delete;
    CreateUndo& operator=(const CreateUndo&) = delete;
    ~CreateUndo() {
        if (m_dismissed)
            return;
        Vmid vmid = m_lock.vmid();
        std::vector<std::string> warnings;
        if (mounted)
            (void)detail::umount_all(m_host, vmid, *mounted, true, warnings);
        for (auto it = volumes.rbegin(); it != volumes.rend(); ++it)
            (void)m_storages.free(*it); // as Proxmox's destroy_disks: errors only warned
        std::error_code ec;
        if (!given_dir.empty() && !given_dir_existed)
            std::filesystem::remove_all(given_dir, ec);
        if (!given_dir.empty() && given_dir_existed) {
            for (auto& entry : std::filesystem::directory_iterator(given_dir, ec))
                std::filesystem::remove_all(entry.path(), ec);
            if (given_owner)
                (void)::chown(given_dir.c_str(), given_owner->uid, given_owner->gid);
        }
        for (const auto& dir : made_dirs)
            ::rmdir(dir.c_str()); // only when empty
        (void)m_host.remove_config(m_lock);
    }
    void dismiss() { m_dismissed = true; }

    std::optional<ContainerSettings> mounted; ///< set while mount_all's mounts are up
    std::vector<std::string> volumes;
    std::vector<std::string> made_dirs; ///< innermost first
    std::string given_dir;
    bool given_dir_existed = false;
    std::optional<detail::Owner> given_owner;

  private:
    const storage::Host& m_host;
    const storage::ConfigLock& m_lock;
    storage::Storages& m_storages;
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
            net->hwaddr = detail::random_mac();
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

// The folders a create may make on the way to its volumes and mounts, outermost last:
// `images/<CTID>` of every storage named by an allocation request, `<ct_dir>/rootfs` and
// `<ct_dir>`. Only those missing now are this create's to remove again.
std::vector<std::string> missing_dirs(const storage::Host& host, Vmid vmid, const OptionMap& opts) {
    std::vector<std::string> dirs;
    for (const auto& [key, value] : opts) {
        if (key != "rootfs" && !pct::detail::is_mp_key(key))
            continue;
        auto mp = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
        if (!mp || !detail::is_volume_request(mp->volume))
            continue;
        std::string storeid = mp->volume.substr(0, mp->volume.find(':'));
        auto probe = host.volume_path(vmid, fmt::format("{}:{}/x", storeid, vmid.value));
        if (probe)
            dirs.push_back(probe->substr(0, probe->rfind('/')));
    }
    dirs.push_back(detail::rootfs_mount_path(host, vmid));
    dirs.push_back(host.ct_dir(vmid));
    std::erase_if(dirs, [](const std::string& d) {
        struct stat st {};
        return ::lstat(d.c_str(), &st) == 0;
    });
    return dirs;
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
    ContainerConfig config;
    for (const auto& [key, value] : options.options) {
        const schema::KeyInfo* info = schema::find(key);
        if (info && info->name == "unused")
            continue; // Proxmox: "ignoring 'unusedN', cannot create/restore with unused volume"
        if (!settable_at_create(key) && info)
            return std::unexpected(
                with_key(error(Errc::invalid_argument,
                               fmt::format("option '{}' cannot be given to create", key)),
                         key));
        auto problems = validate::value(key, value);
        if (!problems.empty())
            return std::unexpected(with_key(std::move(problems.front()), key));
        if (key == "description") // kept as the `#` comment lines of the section, as Proxmox
            config.main.description = value;
        else
            config.main.options[key] = value;
    }
    auto& opts = config.main.options;
    if (auto ok = normalize_volume_requests(opts, options.storage); !ok)
        return std::unexpected(std::move(ok).error());
    if (auto ok = check_volumes(opts); !ok)
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
    auto storages = storage::Storages::load(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());

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

    // Current Proxmox creates unprivileged containers unless told otherwise; the config's own
    // default (absent = privileged) stays as it is, so the value is always written.
    if (!opts.contains("unprivileged"))
        opts["unprivileged"] = "1";
    if (auto ok = fill_net_defaults(opts, options.unique); !ok)
        return std::unexpected(std::move(ok).error());
    auto first = parse::settings(config.main);
    if (!first)
        return std::unexpected(std::move(first).error());
    bool unprivileged = first->unprivileged.value_or(false);
    opts["unprivileged"] = unprivileged ? "1" : "0";
    auto id_map = container_id_map(config.main, unprivileged);
    if (!id_map)
        return std::unexpected(std::move(id_map).error());

    // Mark the work first, as Proxmox does: the config (with `lock: create`) names each volume
    // as soon as it is allocated, so after a kill `list` shows the half-made container and
    // `destroy` removes it. Nothing else starts or edits a locked container.
    std::vector<std::string> made_dirs = missing_dirs(host, vmid, opts);
    opts["lock"] = "create";
    if (auto ok = host.create_config(*lock, config); !ok)
        return std::unexpected(std::move(ok).error());
    CreateUndo undo(host, *lock, *storages);
    undo.made_dirs = std::move(made_dirs);
    auto failed = [&](Error e) { return std::unexpected(create_failed(vmid, std::move(e))); };
    auto record = [&]() { return host.write_config(*lock, config); };

    // 1. create_disks (§3.2).
    if (auto ok = create_disks(*storages, vmid, opts, id_map->root, hook, record, undo.volumes);
        !ok)
        return failed(std::move(ok).error());
    auto settings = parse::settings(config.main);
    if (!settings)
        return failed(std::move(settings).error());

    // A rootfs the caller named (a host directory or an existing volume) must be empty: tar
    // does not replace files already there, so host-owned ones would stay (a setuid-root
    // binary in an unprivileged rootfs). With `force` a privileged CT may unpack over them.
    if (auto given = settings->rootfs;
        given && !is_volume_request(given->volume) &&
        std::find(undo.volumes.begin(), undo.volumes.end(), given->volume) == undo.volumes.end()) {
        auto dir = host.volume_path(vmid, given->volume);
        if (!dir)
            return failed(with_key(std::move(dir).error(), "rootfs"));
        bool existed = ::stat(dir->c_str(), &st) == 0;
        std::string parent = dir->substr(0, dir->rfind('/'));
        if (struct stat pst{}; !existed && !parent.empty() && ::stat(parent.c_str(), &pst) != 0)
            undo.made_dirs.insert(undo.made_dirs.begin(), parent); // innermost first
        if (auto ok = storage::make_dirs(*dir); !ok)
            return failed(std::move(ok).error());
        if (!dir_empty(*dir)) {
            if (!options.force)
                return failed(
                    with_key(error(Errc::already_exists,
                                   fmt::format("rootfs directory '{}' is not empty", *dir)),
                             "rootfs"));
            if (unprivileged)
                return failed(with_key(
                    error(Errc::already_exists,
                          fmt::format("rootfs directory '{}' is not empty: an unprivileged "
                                      "container is unpacked into an empty directory only",
                                      *dir)),
                    "rootfs"));
        } else {
            undo.given_dir = *dir;
            undo.given_dir_existed = existed;
            if (existed)
                undo.given_owner = Owner{st.st_uid, st.st_gid};
        }
        // tar runs as the mapped root, which must own the directory it unpacks into.
        if (auto owner = id_map->chown_to())
            if (::chown(dir->c_str(), owner->uid, owner->gid) != 0)
                return failed(storage::io_error("chown", *dir, errno));
    }

    // 2. mount_all, read-write, in this process's mount namespace (§4.9).
    if (auto ok = reach(hook, CreateStep::mount); !ok)
        return failed(std::move(ok).error());
    std::vector<std::string> warnings;
    MountAllOptions mount_options;
    mount_options.ignore_ro = true;
    mount_options.id_map = *id_map;
    undo.mounted = *settings; // mount_all unmounts what it mounted when it fails
    auto rootdir = mount_all(host, vmid, *settings, mount_options, warnings);
    if (!rootdir) {
        undo.mounted.reset();
        return failed(std::move(rootdir).error());
    }

    // 3. The template (§5.2, §5.3).
    if (auto ok = reach(hook, CreateStep::extract); !ok)
        return failed(std::move(ok).error());
    if (auto ok = unpack(*archive, *rootdir, *id_map, lock->fd(), options.ignore_unpack_errors,
                         options.progress);
        !ok)
        return failed(std::move(ok).error());

    // 4. The post-create setup with OS detection, the config with ostype and arch (§5.4-5.6).
    // Proxmox detects the distribution (Setup->new), writes the config with ostype and arch,
    // then runs post_create_hook; here the post-create setup detects and returns the ostype.
    if (!opts.contains("arch"))
        opts["arch"] = host_arch();
    if (auto ok = record(); !ok)
        return failed(std::move(ok).error());
    if (auto ok = reach(hook, CreateStep::setup); !ok)
        return failed(std::move(ok).error());
    PostCreateOptions setup;
    setup.password = options.password;
    if (!options.ssh_public_keys.empty())
        setup.ssh_public_keys = options.ssh_public_keys;
    setup.owner = id_map->chown_to();
    auto ostype = post_create_setup(*rootdir, *settings, setup, warnings);
    if (!ostype)
        return failed(std::move(ostype).error());
    // The setup's own types that are no config value (`busybox`, the test template's) leave
    // the ostype given, or `unmanaged`.
    if (validate::value("ostype", *ostype).empty())
        opts["ostype"] = *ostype;
    else if (!opts.contains("ostype"))
        opts["ostype"] = "unmanaged";
    if (auto ok = record(); !ok)
        return failed(std::move(ok).error());

    // 5. umount_all, then Proxmox's defaults and the final config.
    if (auto ok = umount_all(host, vmid, *undo.mounted, false, warnings); !ok)
        return failed(std::move(ok).error());
    undo.mounted.reset();
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
