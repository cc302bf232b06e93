// SPDX-License-Identifier: AGPL-3.0-or-later
// `restore` as pve-container's create_vm with restore=1 (vzdump-format spec §4): the archive's
// config peeked, the privilege decided, the volumes planned (simple or advanced mode), then
// create's steps (create_disks, mount_all, unpack in the target's id map) and the restore's
// own: the extracted config merged, the firewall file, the template fixups, defaults, delayed
// bind mounts, template conversion. A failure undoes all of it (CreateUndo) and reads "unable
// to restore CT <vmid> - ERR".
#include "create_common.hpp"
#include "create_disks.hpp"
#include "ct_setup.hpp"
#include "id_map.hpp"
#include "mount.hpp"
#include "restore_steps.hpp"
#include "setup/ct_root.hpp"
#include "unique_fd.hpp"
#include "unpack.hpp"
#include "volume_rules.hpp"

#include <pct/parse/config.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>
#include <pct/runtime/clone.hpp>
#include <pct/runtime/locks.hpp>
#include <pct/runtime/restore.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/backups.hpp>
#include <pct/storage/storage_cfg.hpp>
#include <pct/storage/storages.hpp>
#include <pct/validate.hpp>

#include "pct/internal/keys.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::runtime {

namespace {

constexpr std::string_view from_stdin = "-";

struct Source {
    std::string path; ///< the archive file ("" for a stream)
    std::string compressor;
};

// The archive file of `STORAGE:backup/FILE` (the storage's `dump/` folder) or an absolute path.
Result<std::string> archive_path(const storage::Host& host, const std::string& archive) {
    auto vol = storage::parse_volume_id(archive);
    if (!vol || vol->storage.empty()) {
        if (!archive.starts_with('/'))
            return fail(
                Errc::invalid_argument,
                fmt::format("archive '{}' is neither a volume id nor an absolute path", archive),
                {.key = "ostemplate"});
        return archive;
    }
    std::string_view name = vol->name;
    if (!name.starts_with("backup/") || name.size() <= 7 ||
        name.find('/', 7) != std::string_view::npos || name.substr(7) == "." ||
        name.substr(7) == "..")
        return fail(
            Errc::invalid_argument,
            fmt::format("unable to use volume {} - content type needs to be 'backup'", archive),
            {.key = "ostemplate"});
    // The storage's dump dir as its backups are written there (content-dirs, content check).
    auto dir = storage::backup_dir(host, vol->storage);
    if (!dir)
        return std::unexpected(std::move(dir).error());
    return fmt::format("{}/{}", *dir, name.substr(7));
}

// Perl's `size / 1024**3` as create_disks' request (`local:8`, `local:0.5`).
std::string gib_text(std::uint64_t bytes) {
    std::string text = fmt::format("{:.12f}", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
    while (text.back() == '0')
        text.pop_back();
    if (text.back() == '.')
        text.pop_back();
    return text;
}

// Simple mode (§4.4): the archive's rootfs/mpN become allocation requests of their recorded
// size on `storage`; bind and device mount points wait in `delayed` until after extraction.
Result<void> plan_simple_volumes(const Section& archived, const std::string& storage,
                                 OptionMap& opts, OptionMap& delayed) {
    for (const auto& [key, value] : archived.options) {
        if (key != "rootfs" && !pct::detail::is_mp_key(key))
            continue;
        auto mp = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
        if (!mp)
            return std::unexpected(with_key(std::move(mp).error(), key));
        if (mp->kind() != VolumeKind::volume) {
            if (key == "rootfs")
                return fail(Errc::invalid_argument,
                            fmt::format("restoring rootfs to {} mount is only possible by "
                                        "specifying -rootfs manually!",
                                        mp->kind() == VolumeKind::bind ? "bind" : "device"),
                            {.key = "rootfs"});
            delayed[key] = value;
            continue;
        }
        if (!mp->size)
            return fail(Errc::invalid_argument,
                        fmt::format("unable to detect disk size - please specify {} (size)", key),
                        {.key = key});
        mp->volume = fmt::format("{}:{}", storage, gib_text(*mp->size));
        mp->size.reset();
        auto text = key == "rootfs" ? render::rootfs(*mp) : render::mount_point(*mp);
        if (!text)
            return std::unexpected(with_key(std::move(text).error(), key));
        opts[key] = std::move(*text);
    }
    return {};
}

Error restore_failed(Vmid vmid, Error e) {
    e.message = fmt::format("unable to restore CT {} - {}", vmid.value, e.message);
    return e;
}

// The extracted `/etc/vzdump/pct.conf` (read inside the rootfs, never through a symlink out of
// it) and removed; nullopt when the archive had none.
Result<std::optional<ContainerConfig>> take_extracted_config(detail::setup::CtRoot& root,
                                                             Vmid vmid) {
    auto text = root.read("/etc/vzdump/pct.conf");
    if (!text)
        return std::unexpected(std::move(text).error());
    root.unlink("/etc/vzdump/pct.conf");
    if (!*text)
        return std::optional<ContainerConfig>();
    auto parsed = parse::config(**text, {.vmid = vmid.value, .file = "/etc/vzdump/pct.conf"});
    if (!parsed)
        return std::unexpected(std::move(parsed).error());
    return std::optional<ContainerConfig>(std::move(parsed->config));
}

// §4.6: a regular, non-empty `/etc/vzdump/pct.fw` (not a symlink) becomes the host's
// `/etc/pve/firewall/<CTID>.fw` and is removed from the rootfs; an empty one stays.
Result<bool> take_firewall(const storage::Host& host, detail::setup::CtRoot& root, Vmid vmid,
                           std::vector<std::string>& made_files) {
    const char* fw = "/etc/vzdump/pct.fw";
    if (root.is_symlink(fw) || !root.is_file(fw))
        return false;
    auto text = root.read(fw);
    if (!text)
        return std::unexpected(std::move(text).error());
    if (!*text || (*text)->empty())
        return false;
    std::string dir = host.host_path("/etc/pve/firewall");
    if (auto ok = storage::make_dirs(dir); !ok)
        return std::unexpected(std::move(ok).error());
    std::string target = fmt::format("{}/{}.fw", dir, vmid.value);
    made_files.push_back(target);
    if (auto ok = storage::write_file_atomic(target, **text, 0640); !ok)
        return std::unexpected(std::move(ok).error());
    root.unlink(fw);
    return true;
}

// The archive's files in the restored rootfs: its config (returned) and firewall file. The
// rootfs is open only meanwhile (umount_all needs it closed).
Result<std::optional<ContainerConfig>> take_archive_files(const storage::Host& host,
                                                          const std::string& rootdir,
                                                          std::optional<detail::Owner> owner,
                                                          Vmid vmid,
                                                          std::vector<std::string>& made_files) {
    auto root = detail::setup::CtRoot::open(rootdir, owner);
    if (!root)
        return std::unexpected(std::move(root).error());
    auto config = take_extracted_config(*root, vmid);
    if (!config)
        return config;
    if (auto fw = take_firewall(host, *root, vmid, made_files); !fw)
        return std::unexpected(std::move(fw).error());
    return config;
}

Result<void> reach(const detail::CreateStepHook& hook, detail::CreateStep step) {
    return hook ? hook(step) : Result<void>{};
}

} // namespace

namespace detail {

Result<Container> restore_with_hook(const storage::Host& host, Vmid vmid,
                                    const RestoreOptions& options, const CreateStepHook& hook) {
    auto say = [&](std::string_view line) {
        if (options.log)
            options.log(line);
    };
    if (auto ok = storage::Host::check_vmid(vmid.value); !ok)
        return std::unexpected(std::move(ok).error());
    auto from_options = detail::config_from_options(options.options);
    if (!from_options)
        return std::unexpected(std::move(from_options).error());
    ContainerConfig config = std::move(*from_options);
    auto& opts = config.main.options;

    // As create_vm: a taken CTID is refused before the archive is read (checked again under
    // the lock below).
    if (!options.force && host.exists(vmid))
        return fail(Errc::already_exists, fmt::format("CT {} already exists", vmid.value),
                    {.context = host.config_path(vmid)});

    // The archive and its config (§4.2), before anything is locked or made.
    bool stream = options.archive == from_stdin;
    Source source;
    ContainerConfig archived;
    if (stream) {
        if (options.input_fd < 0)
            return fail(Errc::invalid_argument, "restore from '-' needs an input descriptor");
        if (!opts.contains("rootfs"))
            return fail(Errc::invalid_argument, "restore from pipe requires rootfs parameter",
                        {.key = "rootfs"});
    } else {
        auto path = archive_path(host, options.archive);
        if (!path)
            return std::unexpected(std::move(path).error());
        struct stat st {};
        if (::stat(path->c_str(), &st) != 0 || !S_ISREG(st.st_mode))
            return fail(Errc::not_found, fmt::format("can't find file '{}'", *path),
                        {.context = *path});
        auto flag = detail::compressor_flag(*path);
        if (!flag)
            return std::unexpected(std::move(flag).error());
        source = {*path, *flag};
        say(fmt::format("recovering backed-up configuration from '{}'", options.archive));
        auto text = read_backup_config(*path);
        if (!text)
            return std::unexpected(std::move(text).error());
        auto parsed = parse::config(*text, {.vmid = vmid.value, .file = *path});
        if (!parsed)
            return std::unexpected(std::move(parsed).error());
        archived = std::move(parsed->config);
        archived.snapshots.clear();
    }

    // §4.3: privileged unless told or the archive says so; the archive's raw lxc.* entries
    // (its lxc.idmap) are there before extraction (root@pam).
    bool unprivileged = false;
    if (auto given = config.main.get("unprivileged"))
        unprivileged = parse::perl_true(*given);
    else if (auto old = archived.main.get("unprivileged"))
        unprivileged = parse::perl_true(*old);
    opts["unprivileged"] = unprivileged ? "1" : "0";
    if (auto ok = detail::fill_net_defaults(opts, false); !ok)
        return std::unexpected(std::move(ok).error());
    if (config.main.lxc.empty()) {
        config.main.lxc = archived.main.lxc;
        // Restored as Proxmox's root@pam does, but named: raw LXC keys (hooks, mounts,
        // devices) act on the host, so whoever restores a foreign archive sees them.
        for (const auto& entry : config.main.lxc)
            say(fmt::format("WARN: restoring raw LXC key from the archive: {}", entry.key));
    }

    // §4.4: simple mode takes the archive's volumes (an mpN given too stays, unless the
    // archive has the same key: create_vm fills its mount point list from the archive over
    // the given one); advanced mode only the given ones.
    OptionMap delayed;
    if (!opts.contains("rootfs"))
        if (auto ok = plan_simple_volumes(archived.main, options.storage, opts, delayed); !ok)
            return std::unexpected(std::move(ok).error());
    if (auto ok = detail::normalize_volume_requests(opts, options.storage); !ok)
        return std::unexpected(std::move(ok).error());
    if (auto ok = detail::check_volumes(opts); !ok)
        return std::unexpected(std::move(ok).error());
    auto storages = storage::Storages::load(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());

    auto lock = host.lock(vmid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    std::optional<ContainerConfig> previous;
    if (host.exists(vmid)) {
        if (!options.force)
            return fail(Errc::already_exists, fmt::format("CT {} already exists", vmid.value),
                        {.context = host.config_path(vmid)});
        auto old = host.read_config(vmid);
        if (!old)
            return std::unexpected(std::move(old).error());
        if (old->config.main.get("protection") == std::optional<std::string_view>("1"))
            return fail(
                Errc::bad_state,
                fmt::format("unable to restore CT {} - protection mode enabled", vmid.value));
        if (auto ok = check_lock(old->config, LockedOp::destroy); !ok)
            return std::unexpected(std::move(ok).error());
        auto ct = Container::open(host, vmid);
        if (ct && ct->running())
            return fail(Errc::bad_state,
                        fmt::format("unable to restore CT {} - CT is running", vmid.value));
        previous = std::move(old->config);
    }
    auto id_map = detail::container_id_map(config.main, unprivileged);
    if (!id_map)
        return std::unexpected(std::move(id_map).error());

    // As create: the config with `lock: create` names each volume as soon as it exists. With
    // --force it also names the old container's volumes as `unusedN` until they are freed, so
    // that `destroy` after a killed restore frees them too.
    std::vector<std::string> old_volumes;
    if (previous) {
        auto owner_of = [&](std::string_view volid) -> std::optional<Vmid> {
            auto ref = storages->parse_volume(volid);
            return ref ? ref->owner : std::nullopt;
        };
        old_volumes = detail::plan_destroy_volumes(*previous, vmid, owner_of).free;
    }
    for (std::size_t n = 0; n < old_volumes.size(); ++n)
        opts[fmt::format("unused{}", n)] = old_volumes[n];
    std::vector<std::string> made_dirs = detail::missing_dirs(host, vmid, opts);
    opts["lock"] = "create";
    auto marked = previous ? host.write_config(*lock, config) : host.create_config(*lock, config);
    if (!marked)
        return std::unexpected(std::move(marked).error());
    detail::CreateUndo undo(host, *lock, *storages);
    undo.previous = previous;
    undo.made_dirs = std::move(made_dirs);
    auto failed = [&](Error e) { return std::unexpected(restore_failed(vmid, std::move(e))); };
    auto record = [&]() { return host.write_config(*lock, config); };

    // create_disks, then (--force) the old container's volumes, only now that the new exist.
    if (auto ok =
            detail::create_disks(*storages, vmid, opts, id_map->root, hook, record, undo.volumes);
        !ok)
        return failed(std::move(ok).error());
    if (previous) {
        undo.previous.reset(); // from here on the old container is gone either way
        undo.owns_ct_dir = true;
        for (std::size_t n = 0; n < old_volumes.size(); ++n) {
            if (auto ok = storages->free(old_volumes[n]); !ok)
                say(fmt::format("WARN: {}", ok.error().message));
            opts.erase(fmt::format("unused{}", n));
        }
        if (auto ok = record(); !ok)
            return failed(std::move(ok).error());
    }
    auto settings = parse::settings(config.main);
    if (!settings)
        return failed(std::move(settings).error());

    if (auto ok = reach(hook, CreateStep::mount); !ok)
        return failed(std::move(ok).error());
    std::vector<std::string> warnings;
    detail::MountAllOptions mount_options;
    mount_options.ignore_ro = true;
    mount_options.id_map = *id_map;
    undo.mounted = *settings;
    auto rootdir = detail::mount_all(host, vmid, *settings, mount_options, warnings);
    if (!rootdir) {
        undo.mounted.reset();
        return failed(std::move(rootdir).error());
    }

    // §4.5: the archive unpacked in the target's map.
    if (auto ok = reach(hook, CreateStep::extract); !ok)
        return failed(std::move(ok).error());
    detail::UniqueFd file;
    detail::UnpackInput input;
    if (stream) {
        say("extracting archive from STDIN");
        input = {options.input_fd, "STDIN", "", 0};
    } else {
        say(fmt::format("extracting archive '{}'", source.path));
        file = detail::UniqueFd(::open(source.path.c_str(), O_RDONLY | O_CLOEXEC));
        if (file.get() < 0)
            return failed(storage::io_error("open", source.path, errno));
        struct stat st {};
        std::uint64_t size = ::fstat(file.get(), &st) == 0 ? std::uint64_t(st.st_size) : 0;
        input = {file.get(), source.path, source.compressor, size};
    }
    if (auto ok = detail::unpack_stream(input, *rootdir, *id_map, lock->fd(),
                                        options.ignore_unpack_errors, options.progress, "restore",
                                        options.bwlimit_kib);
        !ok)
        return failed(std::move(ok).error());

    // §4.6: the merge with the extracted config, the firewall file, the template fixups.
    if (auto ok = reach(hook, CreateStep::setup); !ok)
        return failed(std::move(ok).error());
    auto extracted = take_archive_files(host, *rootdir, id_map->chown_to(), vmid, undo.made_files);
    if (!extracted)
        return failed(std::move(extracted).error());
    opts.erase("lock");
    if (*extracted) {
        say("merging backed-up and given configuration..");
        MergeOptions merge;
        merge.unique = options.unique;
        auto merged = merge_restored_config(**extracted, std::move(config), merge);
        if (!merged)
            return failed(std::move(merged).error());
        config = std::move(*merged);
    } else {
        say("Backup archive does not contain any configuration");
    }
    std::optional<std::string> archived_lock;
    if (auto l = config.main.get("lock"))
        archived_lock = std::string(*l); // Proxmox keeps it (oracle): the CT stays locked
    opts["lock"] = "create";
    if (!opts.contains("arch"))
        opts["arch"] = detail::host_arch();
    if (auto ok = record(); !ok)
        return failed(std::move(ok).error());
    auto merged_settings = parse::settings(config.main);
    if (!merged_settings)
        return failed(std::move(merged_settings).error());
    if (auto ok = detail::restore_setup(*rootdir, *merged_settings, id_map->chown_to(), warnings);
        !ok) {
        if (ok.error().code != Errc::unsupported)
            return failed(std::move(ok).error());
        say(fmt::format("WARN: {}", ok.error().message)); // an OS libpct does not set up
    }
    for (const auto& w : warnings)
        say(fmt::format("WARN: {}", w));

    if (auto ok = detail::umount_all(host, vmid, *undo.mounted, false, warnings); !ok)
        return failed(std::move(ok).error());
    undo.mounted.reset();
    detail::apply_create_defaults(opts, vmid);
    for (const auto& [key, value] : delayed) {
        // A host path from the archive: named, as the raw LXC keys above.
        say(fmt::format("WARN: restoring host mount point from the archive: {}: {}", key, value));
        opts[key] = value;
    }
    bool make_template = archived.main.get("template") == std::optional<std::string_view>("1");
    if (auto ok = reach(hook, CreateStep::config); !ok)
        return failed(std::move(ok).error());
    if (archived_lock)
        opts["lock"] = *archived_lock;
    else
        opts.erase("lock");
    if (auto ok = host.write_config(*lock, config); !ok)
        return failed(std::move(ok).error());
    undo.dismiss();
    lock->release();
    if (make_template)
        if (auto ok = runtime::make_template(host, vmid); !ok)
            return std::unexpected(restore_failed(vmid, std::move(ok).error()));
    auto ct = Container::open(host, vmid);
    if (!ct || !options.start)
        return ct;
    if (auto started = ct->start(); !started) {
        Error e = std::move(started).error();
        e.message =
            fmt::format("CT {} was restored, but it did not start: {}", vmid.value, e.message);
        return std::unexpected(std::move(e));
    }
    return ct;
}

} // namespace detail

Result<Container> restore(const storage::Host& host, Vmid vmid, const RestoreOptions& options) {
    return detail::restore_with_hook(host, vmid, options, {});
}

} // namespace pct::runtime
