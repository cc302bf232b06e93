// SPDX-License-Identifier: AGPL-3.0-or-later
// vzdump of one container (include/pct/runtime/backup.hpp; vzdump-format.md §1-§3; pve-manager
// PVE/VZDump.pm exec_backup_task, pve-container src/PVE/VZDump/LXC.pm): the lock, the mode,
// the temp dir with pct.conf/pct.fw, the data source (mounted volumes, a `vzdump` snapshot or
// an rsync copy), the archive, the log beside it, notes, protection and pruning.
#include "backup_log.hpp"
#include "backup_tar.hpp"
#include "impl.hpp"
#include "mount.hpp"
#include "snapshot_driver.hpp"
#include "snapshot_engine.hpp"
#include "volume_common.hpp"

#include <pct/internal/command.hpp>
#include <pct/render/config.hpp>
#include <pct/runtime/backup.hpp>
#include <pct/runtime/container.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace pct::runtime {

namespace {

using detail::BackupLog;

/// One mount point of the backup with the reason vzdump logs for it (§2.6).
struct BackupVolume {
    std::string key;
    MountPoint mp;
    bool included = false;
    std::string reason; ///< rootfs, enabled, disabled, not a volume
};

std::vector<BackupVolume> backup_volumes(const ContainerSettings& settings) {
    std::vector<BackupVolume> out;
    for (const auto& [key, mp] : detail::mount_points_in_order(settings)) {
        if (key != "rootfs" && !mp.mp)
            continue;
        BackupVolume v{key, mp, false, ""};
        if (key == "rootfs") {
            v.included = true;
            v.reason = "rootfs";
        } else if (mp.kind() != VolumeKind::volume) {
            v.reason = "not a volume";
        } else if (mp.backup.value_or(false)) {
            v.included = true;
            v.reason = "enabled";
        } else {
            v.reason = "disabled";
        }
        out.push_back(std::move(v));
    }
    return out;
}

std::string mount_path_of(const BackupVolume& v) {
    if (v.key == "rootfs")
        return "/";
    std::string p = *v.mp.mp;
    return p.starts_with('/') ? p : "/" + p;
}

std::string type_word(const MountPoint& mp) {
    switch (mp.kind()) {
    case VolumeKind::volume:
        return "volume";
    case VolumeKind::bind:
        return "bind";
    case VolumeKind::device:
        return "device";
    }
    return "volume";
}

Error with_context(Error e, const std::string& context) {
    if (e.context.empty())
        e.context = context;
    return e;
}

/// Where the archive goes: `dumpdir`, or the storage's backup directory (`<path>/dump`).
struct Target {
    std::string dir;
    std::string storage; ///< "" for a dumpdir
};

Result<Target> backup_target(const storage::Host& host, const BackupOptions& options) {
    if (options.dumpdir && options.storage)
        return fail(Errc::invalid_argument, "option 'storage' conflicts with option 'dumpdir'",
                    {.key = "dumpdir"});
    if (options.dumpdir) {
        if (options.dumpdir->empty() || !options.dumpdir->starts_with('/'))
            return fail(Errc::invalid_argument,
                        fmt::format("dumpdir '{}' is not an absolute path", *options.dumpdir),
                        {.key = "dumpdir"});
        return Target{*options.dumpdir, ""};
    }
    std::string store = options.storage.value_or("local");
    auto dir = storage::backup_dir(host, store);
    if (!dir)
        return std::unexpected(std::move(dir).error());
    return Target{*dir, store};
}

/// §1.3: `--tmpdir X` -> `X/vzdumptmp<pid>_<vmid>`; a dump dir on ext2/3/4, nfs, reiserfs or
/// xfs -> `<dumpdir>/<basename>.tmp`; else `R/var/tmp/vzdumptmp<pid>_<vmid>`.
std::string temp_dir_for(const storage::Host& host, const BackupOptions& options,
                         const std::string& dumpdir, const std::string& basename, Vmid vmid) {
    std::string own = fmt::format("vzdumptmp{}_{}", ::getpid(), vmid.value);
    if (options.tmpdir)
        return *options.tmpdir + "/" + own;
    struct statfs fs {};
    if (::statfs(dumpdir.c_str(), &fs) == 0) {
        auto type = static_cast<unsigned long>(fs.f_type);
        if (type == EXT4_SUPER_MAGIC || type == NFS_SUPER_MAGIC || type == XFS_SUPER_MAGIC ||
            type == REISERFS_SUPER_MAGIC)
            return dumpdir + "/" + basename + ".tmp";
    }
    return host.host_path("/var/tmp") + "/" + own;
}

bool on_nfs(const std::string& dir) {
    struct statfs fs {};
    return ::statfs(dir.c_str(), &fs) == 0 &&
           static_cast<unsigned long>(fs.f_type) == NFS_SUPER_MAGIC;
}

Result<void> write_file(const std::string& path, std::string_view text) {
    return storage::write_file_atomic(path, text, 0644, storage::Durability::atomic_only);
}

/// The firewall file `R/etc/pve/firewall/<vmid>.fw` (a regular file, never followed through a
/// symlink), or "" when there is none (§2.5).
Result<std::string> firewall_text(const storage::Host& host, Vmid vmid) {
    std::string path = host.host_path(fmt::format("/etc/pve/firewall/{}.fw", vmid.value));
    detail::UniqueFd in(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (in.get() < 0) {
        if (errno == ENOENT)
            return std::string();
        return std::unexpected(storage::io_error("open", path, errno));
    }
    struct stat st {};
    if (::fstat(in.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return fail(Errc::invalid_argument, "firewall config is not a regular file",
                    {.context = path});
    std::string text;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(in.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return std::unexpected(storage::io_error("read", path, errno));
        if (n == 0)
            break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    return text;
}

std::string elapsed_text(std::chrono::steady_clock::duration d) {
    auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
    return fmt::format("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
}

std::string size_text(std::uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    return u == 0 ? fmt::format("{}B", bytes) : fmt::format("{:.1f}{}", v, units[u]);
}

/// One backup run: the state that cleanup needs, whatever step failed.
class BackupRun {
  public:
    BackupRun(const storage::Host& host, Vmid vmid, const BackupOptions& options, BackupLog& log)
        : m_host(host), m_vmid(vmid), m_options(options), m_log(log) {}
    BackupRun(const BackupRun&) = delete;
    BackupRun& operator=(const BackupRun&) = delete;
    ~BackupRun() { cleanup(); }

    Result<void> run(const Target& target, const std::string& basename, const std::string& archive);
    /// Undoes what is still in place (restart, snapshot, temp dir, .dat, lock); idempotent.
    void cleanup();

    BackupReport report;

  private:
    Result<void> lock_and_load();
    Result<void> remove_old_snapshot();
    Result<void> set_lock(bool on);
    Result<void> write_config_files(const std::string& dir);
    Result<detail::ArchiveWritten> archive_mounted(const std::vector<BackupVolume>& volumes,
                                                   std::optional<std::string_view> snap,
                                                   int out_fd);
    Result<void> sync_suspended(const std::vector<BackupVolume>& volumes);
    Result<void> rsync_pass(int pid, const std::vector<BackupVolume>& volumes,
                            std::string_view which);
    std::vector<std::string> excludes() const;
    Result<void> finish_on_storage(const Target& target, const std::string& archive);

    const storage::Host& m_host;
    Vmid m_vmid;
    const BackupOptions& m_options;
    BackupLog& m_log;
    ContainerConfig m_config;
    ContainerSettings m_settings;
    detail::IdMap m_map;
    bool m_locked = false;   ///< `lock: backup` is ours to remove
    bool m_restart = false;  ///< stop mode stopped a running CT
    bool m_snapshot = false; ///< the `vzdump` snapshot exists
    std::string m_tmpdir;    ///< made by this run
    std::string m_dat;       ///< the temp archive while it is not renamed
    std::unique_ptr<detail::HostSnapshotDriver> m_frozen; ///< suspend mode's freeze
};

Result<void> BackupRun::set_lock(bool on) {
    if (!on) {
        m_locked = false;
        return detail::remove_config_lock(m_host, m_vmid, "backup");
    }
    auto locked = detail::lock_config(m_host, m_vmid);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    if (auto ok = check_lock(locked->doc.config(), LockedOp::backup); !ok)
        return ok;
    if (auto ok = detail::set_config_lock(locked->doc, "backup"); !ok)
        return ok;
    if (auto ok = locked->commit(); !ok)
        return ok;
    m_locked = true;
    return {};
}

// Proxmox's prepare: a `vzdump` snapshot left by a killed run is force-removed first.
Result<void> BackupRun::remove_old_snapshot() {
    auto conf = m_host.read_config(m_vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    if (!conf->config.snapshots.contains("vzdump"))
        return {};
    m_log.info("found old vzdump snapshot (force removal)");
    auto storages = storage::Storages::load(m_host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    detail::HostSnapshotDriver driver(m_host, m_vmid, std::move(*storages));
    detail::SnapshotEngine engine(m_host, m_vmid, driver);
    auto removed = engine.remove("vzdump", true);
    for (const auto& w : engine.warnings())
        m_log.warn(w);
    return removed;
}

Result<void> BackupRun::lock_and_load() {
    if (auto ok = set_lock(true); !ok)
        return ok;
    auto conf = m_host.read_config(m_vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    m_config = std::move(conf->config);
    auto settings = detail::settings_of(m_config, m_host.config_path(m_vmid));
    if (!settings)
        return std::unexpected(std::move(settings).error());
    m_settings = std::move(*settings);
    if (!m_settings.rootfs)
        return fail(Errc::invalid_argument, "missing 'rootfs' configuration",
                    {.context = m_host.config_path(m_vmid), .key = "rootfs"});
    auto map = detail::container_id_map(m_config.main, m_settings.unprivileged.value_or(false));
    if (!map)
        return std::unexpected(std::move(map).error());
    m_map = std::move(*map);
    return {};
}

// §2.4/§2.5: pct.conf from the current config, pct.fw from the firewall file (or empty), in
// `<dir>/etc/vzdump/`, readable from inside the CT's user namespace.
Result<void> BackupRun::write_config_files(const std::string& dir) {
    auto conf = m_host.read_config(m_vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    auto text = backup_config_text(conf->config);
    if (!text)
        return std::unexpected(std::move(text).error());
    auto fw = firewall_text(m_host, m_vmid);
    if (!fw)
        return std::unexpected(std::move(fw).error());
    std::string etc = dir + "/etc/vzdump";
    if (auto ok = storage::make_dirs(etc, 0755); !ok)
        return ok;
    if (auto ok = write_file(etc + "/pct.conf", *text); !ok)
        return ok;
    return write_file(etc + "/pct.fw", *fw);
}

std::vector<std::string> BackupRun::excludes() const {
    std::vector<std::string> out = m_options.exclude_paths;
    if (m_options.stdexcludes)
        for (auto& p : detail::standard_excludes())
            out.push_back(std::move(p));
    return out;
}

// Stop and snapshot mode: the included volumes (or their `vzdump` snapshots) mounted
// read-only under `<tmpdir>/mnt` in a private mount namespace, tar from there.
Result<detail::ArchiveWritten> BackupRun::archive_mounted(const std::vector<BackupVolume>& volumes,
                                                          std::optional<std::string_view> snap,
                                                          int out_fd) {
    std::string root = m_tmpdir + "/mnt";
    if (::mkdir(root.c_str(), 0755) != 0 && errno != EEXIST)
        return std::unexpected(storage::io_error("mkdir", root, errno));
    detail::BackupTarPlan plan;
    plan.snapdir = "mnt";
    plan.excludes = excludes();
    plan.map = m_map;
    for (const auto& v : volumes)
        if (v.included)
            plan.sources.push_back("." + mount_path_of(v));
    auto tar = detail::backup_tar_command(plan);
    auto compressor = detail::compressor_command(m_options.compress, m_options.zstd_threads);
    Result<detail::ArchiveWritten> written = fail(Errc::internal, "archive not written");
    auto done = detail::in_private_mounts([&]() -> Result<void> {
        std::vector<std::string> warnings;
        for (const auto& v : volumes) {
            if (!v.included)
                continue;
            std::string_view sub = v.key == "rootfs" ? std::string_view() : *v.mp.mp;
            auto target = detail::walk_nofollow(root, sub, false);
            if (!target)
                return std::unexpected(with_key(std::move(target).error(), v.key));
            Result<void> ok;
            if (snap) {
                ok = detail::mount_snapshot(m_host, m_vmid, v.key, v.mp, *snap, *target);
            } else {
                MountPoint ro = v.mp;
                ro.ro = true;
                ok = detail::mount_volume(m_host, m_vmid, v.key, ro, *target, false, warnings);
            }
            if (!ok) {
                (void)detail::umount_below(root);
                return ok;
            }
        }
        for (const auto& w : warnings)
            m_log.warn(w);
        // opened in this namespace: a directory fd from the caller's would show tar the
        // caller's (empty) mount root
        detail::UniqueFd tmp(::open(m_tmpdir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (tmp.get() < 0) {
            (void)detail::umount_below(root);
            return std::unexpected(storage::io_error("open", m_tmpdir, errno));
        }
        written = detail::write_archive(tar, compressor, tmp.get(), out_fd, m_options.bwlimit_kib,
                                        m_options.progress);
        (void)detail::umount_below(root);
        return {};
    });
    ::rmdir(root.c_str());
    if (!done)
        return std::unexpected(std::move(done).error());
    return written;
}

Result<void> BackupRun::rsync_pass(int pid, const std::vector<BackupVolume>& volumes,
                                   std::string_view which) {
    std::vector<std::string> args{"rsync", "--stats", "-h"};
    if (on_nfs(m_tmpdir)) {
        m_log.info("temporary directory is on NFS, disabling xattr and acl support, consider "
                   "configuring a local tmpdir via /etc/vzdump.conf");
    } else {
        args.emplace_back("-X");
        args.emplace_back("-A");
    }
    for (const char* a : {"--numeric-ids", "-aH", "--delete", "--no-whole-file", "--sparse",
                          "--one-file-system", "--relative"})
        args.emplace_back(a);
    if (m_options.bwlimit_kib > 0)
        args.push_back(fmt::format("--bwlimit={}", m_options.bwlimit_kib));
    for (const auto& p : excludes())
        args.push_back("--exclude=" + p);
    for (const auto& v : volumes)
        if (!v.included)
            args.push_back("--exclude=" + mount_path_of(v));
    std::string proc_root = fmt::format("/proc/{}/root", pid);
    for (const auto& v : volumes)
        if (v.included)
            args.push_back(proc_root + "/." + mount_path_of(v));
    args.push_back(m_tmpdir);
    auto start = std::chrono::steady_clock::now();
    m_log.info(fmt::format("starting {} sync {}/ to {}", which, proc_root, m_tmpdir));
    auto out = internal::run_command(args);
    if (!out)
        return std::unexpected(std::move(out).error());
    auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
            .count();
    m_log.info(fmt::format("{} sync finished ({} seconds)", which, secs));
    return {};
}

// Suspend mode (§3): rsync while running, freeze, rsync again, thaw.
Result<void> BackupRun::sync_suspended(const std::vector<BackupVolume>& volumes) {
    int pid = detail::running_pid(m_host, m_vmid);
    if (pid <= 0)
        return fail(Errc::bad_state, fmt::format("CT {} not running", m_vmid.value));
    if (auto ok = rsync_pass(pid, volumes, "first"); !ok)
        return ok;
    auto storages = storage::Storages::load(m_host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    m_log.info("suspending guest");
    m_frozen = std::make_unique<detail::HostSnapshotDriver>(m_host, m_vmid, std::move(*storages));
    if (auto ok = m_frozen->freeze(); !ok)
        return ok;
    auto synced = rsync_pass(pid, volumes, "final");
    std::vector<std::string> warnings;
    m_log.info("resuming guest");
    m_frozen->thaw(warnings);
    m_frozen.reset();
    for (const auto& w : warnings)
        m_log.warn(w);
    return synced;
}

Result<void> BackupRun::run(const Target& target, const std::string& basename,
                            const std::string& archive) {
    auto start = std::chrono::steady_clock::now();
    m_log.info(fmt::format("Starting Backup of VM {} (lxc)", m_vmid.value));
    m_log.info(fmt::format("Backup started at {}", BackupLog::stamp(std::time(nullptr))));
    if (!m_host.read_config(m_vmid))
        return fail(
            Errc::not_found,
            fmt::format("Configuration file '{}' does not exist", m_host.config_path(m_vmid)),
            {.context = m_host.config_path(m_vmid)});
    if (auto ok = remove_old_snapshot(); !ok)
        return ok;
    if (auto ok = lock_and_load(); !ok)
        return ok;
    const bool running = detail::running_pid(m_host, m_vmid) > 0;
    m_log.info(fmt::format("status = {}", running ? "running" : "stopped"));
    BackupMode mode = running ? m_options.mode : BackupMode::stop;
    auto volumes = backup_volumes(m_settings);
    for (const auto& v : volumes) {
        if (v.included)
            m_log.info(
                fmt::format("including mount point {} ('{}') in backup", v.key, mount_path_of(v)));
        else
            m_log.info(fmt::format("excluding {} mount point {} ('{}') from backup ({})",
                                   type_word(v.mp), v.key, mount_path_of(v), v.reason));
    }
    for (const auto& p : m_options.exclude_paths)
        if (p.ends_with('/'))
            m_log.warn(fmt::format("ignoring exclusion pattern with trailing slash, it never "
                                   "matches in stop or snapshot mode: '{}'",
                                   p));
    if (mode == BackupMode::snapshot) {
        auto storages = storage::Storages::load(m_host);
        if (!storages)
            return std::unexpected(std::move(storages).error());
        for (const auto& v : volumes)
            if (v.included && !storages->has_feature(storage::Feature::snapshot, v.mp.volume)) {
                m_log.info("mode failure - some volumes do not support snapshots");
                m_log.info("trying 'suspend' mode instead");
                mode = BackupMode::suspend;
                break;
            }
    }
    report.mode = mode;
    m_log.info(fmt::format("backup mode: {}", to_string(mode)));
    if (m_settings.hostname)
        m_log.info(fmt::format("CT Name: {}", *m_settings.hostname));

    m_tmpdir = temp_dir_for(m_host, m_options, target.dir, basename, m_vmid);
    std::error_code ec;
    std::filesystem::remove_all(m_tmpdir, ec);
    if (auto ok = storage::make_dirs(m_tmpdir, 0755); !ok)
        return ok;
    ::chmod(m_tmpdir.c_str(), 0755);

    if (mode == BackupMode::stop && running) {
        m_log.info("stopping virtual guest");
        auto ct = Container::open(m_host, m_vmid);
        if (!ct)
            return std::unexpected(std::move(ct).error());
        if (auto ok = ct->shutdown(
                {.timeout = std::chrono::minutes(10), .force = true, .skiplock = true});
            !ok)
            return ok;
        m_restart = true;
    }
    if (mode == BackupMode::snapshot) {
        m_log.info("create storage snapshot 'vzdump'");
        // Proxmox's snapshot(): the backup lock is dropped for snapshot_create and taken again.
        if (auto ok = set_lock(false); !ok)
            return ok;
        auto storages = storage::Storages::load(m_host);
        if (!storages)
            return std::unexpected(std::move(storages).error());
        detail::HostSnapshotDriver driver(m_host, m_vmid, std::move(*storages));
        detail::SnapshotEngine engine(m_host, m_vmid, driver);
        auto made = engine.create("vzdump", "vzdump backup snapshot", false);
        for (const auto& w : engine.warnings())
            m_log.warn(w);
        if (!made)
            return made;
        m_snapshot = true;
        if (auto ok = set_lock(true); !ok)
            return ok;
    }
    if (mode == BackupMode::suspend)
        if (auto ok = sync_suspended(volumes); !ok)
            return ok;

    if (auto ok = write_config_files(m_tmpdir); !ok)
        return ok;
    std::string dat = target.dir + "/" + storage::temp_archive_name(archive);
    m_log.info(fmt::format("creating vzdump archive '{}'", target.dir + "/" + archive));
    detail::UniqueFd out(
        ::open(dat.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (out.get() < 0)
        return std::unexpected(storage::io_error("create", dat, errno));
    m_dat = dat;
    Result<detail::ArchiveWritten> written = fail(Errc::internal, "archive not written");
    if (mode == BackupMode::suspend) {
        detail::BackupTarPlan plan;
        plan.sources = {"."};
        plan.excludes = excludes();
        plan.map = m_map;
        detail::UniqueFd tmp(::open(m_tmpdir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (tmp.get() < 0)
            return std::unexpected(storage::io_error("open", m_tmpdir, errno));
        written = detail::write_archive(
            detail::backup_tar_command(plan),
            detail::compressor_command(m_options.compress, m_options.zstd_threads), tmp.get(),
            out.get(), m_options.bwlimit_kib, m_options.progress);
    } else {
        written = archive_mounted(
            volumes,
            mode == BackupMode::snapshot ? std::optional<std::string_view>("vzdump") : std::nullopt,
            out.get());
    }
    if (!written)
        return std::unexpected(std::move(written).error());
    for (const auto& line : written->output)
        m_log.info(line);
    if (::fsync(out.get()) != 0)
        return std::unexpected(storage::io_error("fsync", dat, errno));
    out.reset();
    std::string final_path = target.dir + "/" + archive;
    if (::rename(dat.c_str(), final_path.c_str()) != 0)
        return std::unexpected(storage::io_error("rename", dat, errno));
    m_dat.clear();
    report.archive = final_path;
    if (!target.storage.empty())
        report.volid = fmt::format("{}:backup/{}", target.storage, archive);
    struct stat st {};
    if (::stat(final_path.c_str(), &st) == 0)
        report.archive_size = static_cast<std::uint64_t>(st.st_size);
    m_log.info(fmt::format("archive file size: {}", size_text(report.archive_size)));

    cleanup();
    if (auto ok = finish_on_storage(target, final_path); !ok)
        return ok;
    m_log.info(fmt::format("Finished Backup of VM {} ({})", m_vmid.value,
                           elapsed_text(std::chrono::steady_clock::now() - start)));
    return {};
}

// Notes, protection and pruning (§1.2, §6.2): only for a storage target (vzdump drops
// --notes-template and --protected for a --dumpdir). A notes failure only warns; protection
// and pruning failures fail the run (the archive stays).
Result<void> BackupRun::finish_on_storage(const Target& target, const std::string& archive) {
    if (target.storage.empty())
        return {};
    if (m_options.notes_template) {
        m_log.info("adding notes to backup");
        auto notes = storage::render_notes_template(
            *m_options.notes_template,
            {.guestname = m_settings.hostname.value_or(fmt::format("CT{}", m_vmid.value)),
             .node = BackupLog::node_name(),
             .vmid = m_vmid.value});
        Result<void> added = notes ? storage::set_backup_notes(archive, *notes)
                                   : Result<void>(std::unexpected(notes.error()));
        if (!added)
            m_log.warn(fmt::format("unable to add notes - {}", added.error().message));
    }
    if (m_options.protect) {
        m_log.info("marking backup as protected");
        if (auto ok = storage::set_backup_protected(archive, true); !ok)
            return ok;
    }
    if (!m_options.remove)
        return {};
    auto prune = storage::storage_prune_options(m_host, target.storage);
    if (!prune)
        return std::unexpected(std::move(prune).error());
    if (prune->keep_all)
        return {};
    m_log.info(fmt::format("prune older backups with retention: {}",
                           storage::format_prune_backups(*prune)));
    auto removed = storage::prune_backups(target.dir, m_vmid, *prune, false);
    if (!removed)
        return std::unexpected(std::move(removed).error());
    for (const auto& path : *removed)
        m_log.info(fmt::format("removing backup '{}:backup/{}'", target.storage,
                               std::filesystem::path(path).filename().string()));
    m_log.info(
        fmt::format("pruned {} backup(s) not covered by keep-retention policy", removed->size()));
    report.pruned = std::move(*removed);
    return {};
}

void BackupRun::cleanup() {
    if (m_frozen) {
        std::vector<std::string> warnings;
        m_frozen->thaw(warnings);
        m_frozen.reset();
        for (const auto& w : warnings)
            m_log.warn(w);
    }
    if (!m_dat.empty()) {
        ::unlink(m_dat.c_str());
        m_dat.clear();
    }
    if (!m_tmpdir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_tmpdir, ec);
        if (ec)
            m_log.warn(fmt::format("unable to remove '{}': {}", m_tmpdir, ec.message()));
        m_tmpdir.clear();
    }
    if (m_locked)
        if (auto ok = set_lock(false); !ok)
            m_log.warn(ok.error().message);
    if (m_snapshot) {
        m_snapshot = false;
        m_log.info("cleanup temporary 'vzdump' snapshot");
        auto storages = storage::Storages::load(m_host);
        if (!storages) {
            m_log.warn(storages.error().message);
        } else {
            detail::HostSnapshotDriver driver(m_host, m_vmid, std::move(*storages));
            detail::SnapshotEngine engine(m_host, m_vmid, driver);
            auto removed = engine.remove("vzdump", true);
            for (const auto& w : engine.warnings())
                m_log.warn(w);
            if (!removed)
                m_log.warn(removed.error().message);
        }
    }
    if (m_restart) {
        m_restart = false;
        m_log.info("restarting vm");
        auto ct = Container::open(m_host, m_vmid);
        Result<StartReport> started =
            ct ? ct->start({.skiplock = true}) : Result<StartReport>(std::unexpected(ct.error()));
        if (!started)
            m_log.err(
                fmt::format("unable to restart CT {}: {}", m_vmid.value, started.error().message));
        else
            for (const auto& w : started->warnings)
                m_log.warn(w);
    }
}

} // namespace

std::string_view to_string(BackupMode mode) noexcept {
    switch (mode) {
    case BackupMode::stop:
        return "stop";
    case BackupMode::suspend:
        return "suspend";
    case BackupMode::snapshot:
        return "snapshot";
    }
    return "snapshot";
}

Result<BackupMode> parse_backup_mode(std::string_view text) {
    for (auto m : {BackupMode::stop, BackupMode::suspend, BackupMode::snapshot})
        if (text == to_string(m))
            return m;
    return fail(Errc::invalid_argument,
                fmt::format("value '{}' does not have a value in the enumeration 'snapshot, "
                            "suspend, stop'",
                            text),
                {.key = "mode"});
}

Result<std::string> backup_config_text(const ContainerConfig& config) {
    ContainerConfig copy;
    copy.main = config.main;
    copy.main.options.erase("lock");
    copy.main.options.erase("parent");
    copy.main.options.erase("digest");
    return render::config(copy);
}

Result<BackupReport> backup(const storage::Host& host, Vmid vmid, const BackupOptions& options) {
    if (auto ok = storage::Host::check_vmid(vmid.value); !ok)
        return std::unexpected(std::move(ok).error());
    auto target = backup_target(host, options);
    if (!target)
        return std::unexpected(std::move(target).error());
    if (auto ok = storage::make_dirs(target->dir, 0755); !ok)
        return std::unexpected(std::move(ok).error());
    if (options.protect && !target->storage.empty()) {
        // vzdump refuses before it starts when the guest already has its share (§1.2)
        auto max = storage::storage_max_protected_backups(host, target->storage);
        if (!max)
            return std::unexpected(std::move(max).error());
        if (auto ok = storage::check_protected_limit(target->dir, vmid, *max, target->storage); !ok)
            return std::unexpected(std::move(ok).error());
    }
    const std::time_t start = std::time(nullptr);
    const std::string basename = storage::backup_basename(vmid, start);
    const std::string archive = basename + std::string(storage::backup_extension(options.compress));

    auto log = BackupLog::open(host, vmid, options.log);
    if (!log)
        return std::unexpected(std::move(log).error());
    Result<void> ran;
    BackupReport report;
    {
        BackupRun run(host, vmid, options, *log);
        ran = run.run(*target, basename, archive);
        if (!ran)
            log->err(fmt::format("Backup of VM {} failed - {}", vmid.value, ran.error().message));
        run.cleanup();
        report = std::move(run.report);
    }
    report.warnings = log->warnings();
    report.log_path = target->dir + "/" + basename + ".log";
    if (auto ok = log->copy_to(report.log_path); !ok && ran)
        return std::unexpected(std::move(ok).error());
    if (!ran)
        return std::unexpected(with_context(std::move(ran).error(), host.config_path(vmid)));
    return report;
}

} // namespace pct::runtime
