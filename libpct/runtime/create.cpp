// SPDX-License-Identifier: AGPL-3.0-or-later
// `create` as pve-container's create_vm (storage spec §3.6): under the config lock and with
// `lock: create` in the config from the start, create_disks, mount_all (read-write, in the
// host mount namespace, at `<ct_dir>/rootfs`), the template unpacked there inside the id map,
// the ostype detected, the config written, the post-create setup (password, ssh keys, host
// keys, machine-id), umount_all, Proxmox's defaults and the final config. A failure undoes all
// of it (CreateUndo) and reads "unable to create CT <vmid> - ERR".
#include "create_common.hpp"
#include "create_disks.hpp"
#include "create_steps.hpp"
#include "ct_setup.hpp"
#include "id_map.hpp"
#include "impl.hpp"
#include "mount.hpp"
#include "unpack.hpp"

#include <pct/parse/properties.hpp>
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
#include <unistd.h>

namespace pct::runtime {

namespace {

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
    auto from_options = config_from_options(options.options);
    if (!from_options)
        return std::unexpected(std::move(from_options).error());
    ContainerConfig config = std::move(*from_options);
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
    apply_create_defaults(opts, vmid);
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
