// SPDX-License-Identifier: AGPL-3.0-or-later
// The backup files of a dump directory and their side files (spec vzdump-format.md §1.2, §1.3;
// pve-storage Plugin.pm list_volumes/prune_backups, Storage.pm archive_remove, DirPlugin.pm
// update_volume_attribute; pve-manager VZDump.pm storage_info).
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/backups.hpp>
#include <pct/storage/dir_backend.hpp>
#include <pct/storage/host.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <regex>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::storage {

namespace {

// BACKUP_EXT_RE_2 at the end of any name (list_volumes lists these whatever their prefix).
const std::regex& backup_file_re() {
    static const std::regex re(R"(^.+\.(tgz|(tar|vma)(?:\.(gz|lzo|zst|bz2))?)$)");
    return re;
}

std::string dirname_of(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

bool exists_nofollow(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

std::string first_line(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// unlink that, like Proxmox's `unlink ... or $! == ENOENT or die`, accepts a missing file.
Result<void> unlink_if_present(const std::string& path, std::string_view what) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return std::unexpected(io_error(what, path, errno));
    return {};
}

Result<void> require_archive(const std::string& archive_path) {
    struct stat st {};
    if (::lstat(archive_path.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return fail(Errc::not_found,
                        fmt::format("backup file '{}' does not exist", archive_path),
                        {.context = archive_path});
        return std::unexpected(io_error("stat", archive_path, errno));
    }
    if (!S_ISREG(st.st_mode))
        return fail(Errc::invalid_argument,
                    fmt::format("backup file '{}' is not a regular file", archive_path),
                    {.context = archive_path});
    return {};
}

} // namespace

Result<std::vector<BackupEntry>> list_backups(const std::string& dir, std::optional<Vmid> vmid) {
    std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.c_str()), ::closedir);
    if (!handle) {
        if (errno == ENOENT)
            return fail(Errc::not_found, fmt::format("directory '{}' does not exist", dir),
                        {.context = dir});
        return std::unexpected(io_error("opendir", dir, errno));
    }
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* d = ::readdir(handle.get()))
        names.emplace_back(d->d_name);
    if (errno != 0)
        return std::unexpected(io_error("readdir", dir, errno));
    std::ranges::sort(names); // glob order

    // `\S+-<vmid>-\S+`: the vmid between dashes somewhere in the name.
    std::optional<std::regex> vmid_re;
    if (vmid)
        vmid_re.emplace(fmt::format(R"(\S+-{}-\S+)", vmid->value));
    static const std::regex listed_vmid_re(R"(-([1-9][0-9]{2,8})-.+$)");

    std::vector<BackupEntry> entries;
    for (const auto& name : names) {
        std::smatch ext;
        if (!std::regex_match(name, ext, backup_file_re()))
            continue;
        if (vmid_re && !std::regex_search(name, *vmid_re))
            continue;
        const std::string path = dir + "/" + name;
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
            continue;

        BackupEntry entry;
        entry.path = path;
        entry.size = std::uint64_t(st.st_size);
        if (auto info = archive_info(name)) {
            entry.info = std::move(*info);
        } else {
            entry.info.filename = name;
            entry.info.type = "unknown";
            entry.info.protected_filename = name + ".protected";
            if (ext[1] == "tgz") {
                entry.info.format = "tar";
                entry.info.compression = "gz";
            } else {
                entry.info.format = ext[2].str();
                entry.info.compression = ext[3].str();
            }
        }
        if (!entry.info.is_std_name) {
            std::smatch m;
            if (vmid)
                entry.info.vmid = vmid->value;
            else if (std::regex_search(name, m, listed_vmid_re))
                entry.info.vmid = std::stoull(m[1].str());
        }
        entry.is_protected = exists_nofollow(path + ".protected");
        entry.notes = first_line(path + ".notes");
        entries.push_back(std::move(entry));
    }
    return entries;
}

Result<void> remove_backup(const std::string& archive_path) {
    if (exists_nofollow(archive_path + ".protected"))
        return fail(Errc::bad_state,
                    fmt::format("cannot remove protected archive '{}'", archive_path),
                    {.context = archive_path});
    if (auto ok = unlink_if_present(archive_path, "removing archive"); !ok)
        return ok;
    // archive_auxiliaries_remove: the side files named by a standard name only.
    if (auto info = archive_info(archive_path); info && info->is_std_name) {
        const std::string dir = dirname_of(archive_path);
        if (auto ok = unlink_if_present(dir + "/" + info->log_filename, "removing log file"); !ok)
            return ok;
        if (auto ok = unlink_if_present(dir + "/" + info->notes_filename, "removing notes file");
            !ok)
            return ok;
    }
    return {};
}

Result<std::vector<std::string>> prune_backups(const std::string& dir, Vmid vmid,
                                               const PruneOptions& options, bool dry_run) {
    auto listed = list_backups(dir, vmid);
    if (!listed)
        return std::unexpected(std::move(listed).error());
    std::vector<BackupEntry> containers;
    for (auto& entry : *listed) {
        // vzdump prunes its own guest type only; a standard name of another guest that
        // merely contains `-<vmid>-` is not this guest's.
        if (entry.info.type != "lxc" || entry.info.vmid != vmid.value)
            continue;
        containers.push_back(std::move(entry));
    }
    std::vector<std::string> removed;
    std::optional<Error> first_error;
    for (auto& [entry, mark] : prune_marks(std::move(containers), options)) {
        if (mark != PruneMark::remove)
            continue;
        if (!dry_run) {
            if (auto ok = remove_backup(entry.path); !ok) {
                if (!first_error)
                    first_error = std::move(ok).error();
                continue;
            }
        }
        removed.push_back(entry.path);
    }
    if (first_error)
        return std::unexpected(std::move(*first_error));
    return removed;
}

Result<void> set_backup_protected(const std::string& archive_path, bool protect) {
    if (auto ok = require_archive(archive_path); !ok)
        return ok;
    const std::string marker = archive_path + ".protected";
    if (exists_nofollow(marker) == protect)
        return {};
    if (!protect)
        return unlink_if_present(marker, "deleting protection file");
    int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return std::unexpected(io_error("creating protection file", marker, errno));
    int err = ::fchmod(fd, 0644) != 0 ? errno : 0; // the exact mode, whatever the umask
    ::close(fd);
    if (err != 0)
        return std::unexpected(io_error("chmod", marker, err));
    return {};
}

Result<void> set_backup_notes(const std::string& archive_path, std::string_view notes) {
    if (auto ok = require_archive(archive_path); !ok)
        return ok;
    const std::string path = archive_path + ".notes";
    if (notes.empty())
        return unlink_if_present(path, "deleting notes");
    return write_file_atomic(path, notes, 0644);
}

Result<void> check_protected_limit(const std::string& dir, Vmid vmid, std::int64_t max_protected,
                                   std::string_view storeid) {
    if (max_protected < 0)
        return {};
    auto listed = list_backups(dir, vmid);
    if (!listed)
        return std::unexpected(std::move(listed).error());
    auto count = std::ranges::count_if(
        *listed, [&](const BackupEntry& e) { return e.is_protected && e.info.vmid == vmid.value; });
    if (count >= max_protected)
        return fail(Errc::bad_state,
                    fmt::format("The number of protected backups per guest is limited to {} on "
                                "storage '{}'",
                                max_protected, storeid),
                    {.context = dir});
    return {};
}

Result<std::string> backup_dir(const Host& host, std::string_view storeid) {
    auto storages = Storages::load(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    auto entry = storages->entry(storeid);
    if (!entry)
        return std::unexpected(std::move(entry).error());
    if (!(*entry)->has_content("backup"))
        return fail(Errc::invalid_argument,
                    fmt::format("can't use storage '{}' for backups - wrong content type", storeid),
                    {.context = host.storage_cfg_path()});
    auto backend = storages->backend(storeid);
    if (!backend)
        return std::unexpected(std::move(backend).error());
    auto* dir = dynamic_cast<DirBackend*>(*backend);
    if (!dir)
        return fail(Errc::unsupported,
                    fmt::format("storage '{}' of type '{}' has no backup directory", storeid,
                                (*entry)->type),
                    {.context = host.storage_cfg_path()});
    return dir->subdir("backup");
}

Result<PruneOptions> storage_prune_options(const Host& host, std::string_view storeid) {
    auto entry = host.storage(storeid);
    if (!entry)
        return std::unexpected(std::move(entry).error());
    auto value = entry->option("prune-backups");
    if (!value)
        return PruneOptions{.keep_all = true};
    auto options = parse_prune_backups(*value);
    if (!options) {
        Error e = std::move(options).error();
        e.context = fmt::format("storage '{}'", storeid);
        return std::unexpected(std::move(e));
    }
    return options;
}

Result<std::int64_t> storage_max_protected_backups(const Host& host, std::string_view storeid) {
    auto entry = host.storage(storeid);
    if (!entry)
        return std::unexpected(std::move(entry).error());
    auto value = entry->option("max-protected-backups");
    if (!value)
        return std::int64_t{-1};
    std::int64_t max = 0;
    auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), max);
    if (ec != std::errc{} || end != value->data() + value->size() || max < -1)
        return fail(
            Errc::parse,
            fmt::format("max-protected-backups: value '{}' is not an integer >= -1", *value),
            {.context = fmt::format("storage '{}'", storeid), .key = "max-protected-backups"});
    return max;
}

} // namespace pct::storage
