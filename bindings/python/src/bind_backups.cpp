// SPDX-License-Identifier: AGPL-3.0-or-later
// Backup files on storage (pct::storage backups.hpp): names, compression, notes template,
// retention rules and pruning, side files, a storage's dump directory.
#include "value.hpp"

#include <pct/storage/backups.hpp>
#include <pct/storage/host.hpp>

namespace pypct {

namespace {

using namespace pct;
using namespace pct::storage;

std::optional<Vmid> opt_vmid(std::optional<std::uint32_t> vmid) {
    if (!vmid)
        return std::nullopt;
    return Vmid{*vmid};
}

} // namespace

void bind_backups(py::module_& m) {
    py::enum_<BackupCompression> compression(
        m, "BackupCompression", "The compressors vzdump writes container archives with.");
    compression.value("none", BackupCompression::none)
        .value("gzip", BackupCompression::gzip)
        .value("lzo", BackupCompression::lzo)
        .value("zstd", BackupCompression::zstd);
    def_enum_repr(compression);

    py::enum_<PruneMark> mark(m, "PruneMark", "Proxmox's mark of a backup after pruning.");
    mark.value("keep", PruneMark::keep)
        .value("remove", PruneMark::remove)
        .value("protected", PruneMark::protected_)
        .value("renamed", PruneMark::renamed);
    def_enum_repr(mark);

    py::class_<BackupFileInfo> info(
        m, "BackupFileInfo", "What pve-storage's archive_info learns from a backup file name.");
    info.def_readwrite("filename", &BackupFileInfo::filename)
        .def_readwrite("type", &BackupFileInfo::type)
        .def_readwrite("vmid", &BackupFileInfo::vmid)
        .def_readwrite("ctime", &BackupFileInfo::ctime)
        .def_readwrite("is_std_name", &BackupFileInfo::is_std_name)
        .def_readwrite("format", &BackupFileInfo::format)
        .def_readwrite("compression", &BackupFileInfo::compression)
        .def_readwrite("log_filename", &BackupFileInfo::log_filename)
        .def_readwrite("notes_filename", &BackupFileInfo::notes_filename)
        .def_readwrite("protected_filename", &BackupFileInfo::protected_filename);
    def_value(info, {"filename", "type", "vmid", "ctime", "is_std_name", "format", "compression",
                     "log_filename", "notes_filename", "protected_filename"});

    py::class_<BackupEntry> entry(m, "BackupEntry", "One backup file of a dump directory.");
    entry.def_readwrite("path", &BackupEntry::path)
        .def_readwrite("info", &BackupEntry::info)
        .def_readwrite("size", &BackupEntry::size)
        .def_readwrite("is_protected", &BackupEntry::is_protected)
        .def_readwrite("notes", &BackupEntry::notes);
    def_value(entry, {"path", "info", "size", "is_protected", "notes"});

    py::class_<PruneOptions> prune(
        m, "PruneOptions",
        "The ``prune-backups`` retention rules: how many backups of each period to keep.");
    prune.def_readwrite("keep_all", &PruneOptions::keep_all)
        .def_readwrite("keep_last", &PruneOptions::keep_last)
        .def_readwrite("keep_hourly", &PruneOptions::keep_hourly)
        .def_readwrite("keep_daily", &PruneOptions::keep_daily)
        .def_readwrite("keep_weekly", &PruneOptions::keep_weekly)
        .def_readwrite("keep_monthly", &PruneOptions::keep_monthly)
        .def_readwrite("keep_yearly", &PruneOptions::keep_yearly);
    def_value(prune, {"keep_all", "keep_last", "keep_hourly", "keep_daily", "keep_weekly",
                      "keep_monthly", "keep_yearly"});

    m.def(
        "backup_basename",
        [](std::uint32_t vmid, std::int64_t start) {
            return backup_basename(Vmid{vmid}, std::time_t(start));
        },
        py::arg("vmid"), py::arg("start"),
        "``vzdump-lxc-<vmid>-YYYY_MM_DD-HH_MM_SS`` of ``start`` (epoch seconds) in local time.");
    m.def(
        "backup_extension", [](BackupCompression c) { return std::string(backup_extension(c)); },
        py::arg("compression"), "``.tar``, ``.tar.gz``, ``.tar.lzo`` or ``.tar.zst``.");
    m.def(
        "parse_compression", [](const std::string& v) { return unwrap(parse_compression(v)); },
        py::arg("value"),
        "vzdump's ``--compress`` value: ``0``, ``1``, ``gzip``, ``lzo``, ``zstd``.");
    m.def("temp_archive_name", &temp_archive_name, py::arg("final_name"),
          "The name an archive is written under until complete (last extension -> ``.dat``).");
    m.def("archive_info", &archive_info, py::arg("filename"),
          "pve-storage's archive_info of a file name, or None when it is not a backup.");
    m.def(
        "render_notes_template",
        [](const std::string& tmpl, std::uint32_t vmid, const std::string& guestname,
           const std::string& node, const std::string& cluster) {
            return unwrap(render_notes_template(
                tmpl,
                NotesVars{.cluster = cluster, .guestname = guestname, .node = node, .vmid = vmid}));
        },
        py::arg("template"), py::arg("vmid"), py::arg("guestname") = "", py::arg("node") = "",
        py::arg("cluster") = "standalone node",
        "vzdump's notes template: escapes ``\\n`` and ``\\\\``, variables ``{{cluster}}``, "
        "``{{guestname}}``, ``{{node}}``, ``{{vmid}}``.");
    m.def(
        "parse_prune_backups", [](const std::string& t) { return unwrap(parse_prune_backups(t)); },
        py::arg("text"), "Parses a ``prune-backups`` property string with Proxmox's rules.");
    m.def("format_prune_backups", &format_prune_backups, py::arg("options"),
          "The ``prune-backups`` property string of ``options`` (keys sorted).");
    m.def(
        "list_backups",
        [](const std::string& dir, std::optional<std::uint32_t> vmid) {
            return unwrap(list_backups(dir, opt_vmid(vmid)));
        },
        py::arg("dir"), py::arg("vmid") = py::none(),
        "The backup files of a dump directory, sorted by name.");
    m.def(
        "prune_marks",
        [](std::vector<BackupEntry> entries, const PruneOptions& options) {
            return prune_marks(std::move(entries), options);
        },
        py::arg("entries"), py::arg("options"),
        "pve-storage's prune marks of ``entries`` (in their order) as (entry, PruneMark) pairs.");
    m.def(
        "prune_backups",
        [](const std::string& dir, std::uint32_t vmid, const PruneOptions& options, bool dry_run) {
            return unwrap(prune_backups(dir, Vmid{vmid}, options, dry_run));
        },
        py::arg("dir"), py::arg("vmid"), py::arg("options"), py::arg("dry_run") = false,
        "Prunes the container backups of ``vmid`` in ``dir``; returns the archives marked "
        "for removal (removed unless ``dry_run``).");
    m.def(
        "remove_backup", [](const std::string& path) { unwrap(remove_backup(path)); },
        py::arg("archive_path"),
        "Removes an archive with its .log and .notes; refuses a protected one.");
    m.def(
        "set_backup_protected",
        [](const std::string& path, bool protect) { unwrap(set_backup_protected(path, protect)); },
        py::arg("archive_path"), py::arg("protect"), "Creates or deletes ``<archive>.protected``.");
    m.def(
        "set_backup_notes",
        [](const std::string& path, const std::string& notes) {
            unwrap(set_backup_notes(path, notes));
        },
        py::arg("archive_path"), py::arg("notes"),
        "Writes ``<archive>.notes``, or deletes it for empty notes.");
    m.def(
        "check_protected_limit",
        [](const std::string& dir, std::uint32_t vmid, std::int64_t max_protected,
           const std::string& storage) {
            unwrap(check_protected_limit(dir, Vmid{vmid}, max_protected, storage));
        },
        py::arg("dir"), py::arg("vmid"), py::arg("max_protected"), py::arg("storage"),
        "Raises StateError when ``max_protected`` (>= 0) backups of ``vmid`` are protected.");
    m.def(
        "backup_dir",
        [](const Host& host, const std::string& storage) {
            return unwrap(backup_dir(host, storage));
        },
        py::arg("host"), py::arg("storage"),
        "The dump directory of a storage (activating it); refuses one without backup content.");
    m.def(
        "storage_prune_options",
        [](const Host& host, const std::string& storage) {
            return unwrap(storage_prune_options(host, storage));
        },
        py::arg("host"), py::arg("storage"),
        "A storage's ``prune-backups`` (``keep-all`` when unset).");
    m.def(
        "storage_max_protected_backups",
        [](const Host& host, const std::string& storage) {
            return unwrap(storage_max_protected_backups(host, storage));
        },
        py::arg("host"), py::arg("storage"),
        "A storage's ``max-protected-backups``; -1 (unlimited) when unset.");
}

} // namespace pypct
