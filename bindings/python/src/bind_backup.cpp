// SPDX-License-Identifier: AGPL-3.0-or-later
// vzdump of one container (pct::runtime backup.hpp): BackupMode, BackupReport, backup().
#include "progress.hpp"
#include "value.hpp"

#include <pct/runtime/backup.hpp>
#include <pct/storage/host.hpp>

namespace pypct {

void bind_backup(py::module_& m) {
    using namespace pct;
    using runtime::BackupMode;
    using runtime::BackupReport;

    py::enum_<BackupMode> mode(m, "BackupMode", "vzdump's backup modes.");
    mode.value("stop", BackupMode::stop)
        .value("suspend", BackupMode::suspend)
        .value("snapshot", BackupMode::snapshot);
    def_enum_repr(mode);

    py::class_<BackupReport> report(m, "BackupReport", "What a finished backup produced.");
    report.def_readwrite("archive", &BackupReport::archive)
        .def_readwrite("volid", &BackupReport::volid)
        .def_readwrite("log_path", &BackupReport::log_path)
        .def_readwrite("mode", &BackupReport::mode)
        .def_readwrite("archive_size", &BackupReport::archive_size)
        .def_readwrite("pruned", &BackupReport::pruned)
        .def_readwrite("warnings", &BackupReport::warnings);
    def_value(report,
              {"archive", "volid", "log_path", "mode", "archive_size", "pruned", "warnings"},
              [](const BackupReport& a, const BackupReport& b) {
                  return a.archive == b.archive && a.volid == b.volid && a.log_path == b.log_path &&
                         a.mode == b.mode && a.archive_size == b.archive_size &&
                         a.pruned == b.pruned && a.warnings == b.warnings;
              });

    m.def(
        "backup",
        [](std::uint64_t id, std::optional<std::string> storage, std::optional<std::string> dumpdir,
           BackupMode mode, storage::BackupCompression compress, unsigned zstd,
           std::vector<std::string> exclude_path, bool stdexcludes,
           std::optional<std::string> notes_template, bool protect, bool remove,
           std::optional<std::string> tmpdir, std::uint64_t bwlimit, const py::object& progress,
           const py::object& log, std::optional<storage::Host> h) {
            Vmid vmid = unwrap(storage::Host::check_vmid(id));
            storage::Host where = h ? *h : storage::Host("/");
            runtime::BackupOptions o;
            o.storage = std::move(storage);
            o.dumpdir = std::move(dumpdir);
            o.mode = mode;
            o.compress = compress;
            o.zstd_threads = zstd;
            o.exclude_paths = std::move(exclude_path);
            o.stdexcludes = stdexcludes;
            o.notes_template = std::move(notes_template);
            o.protect = protect;
            o.remove = remove;
            o.tmpdir = std::move(tmpdir);
            o.bwlimit_kib = bwlimit;
            o.progress = progress_fn(progress);
            o.log = log_fn(log);
            py::gil_scoped_release unlocked;
            return unwrap(runtime::backup(where, vmid, o));
        },
        "Backs up container ``vmid`` as vzdump does (``pct backup``).", py::arg("vmid"),
        py::kw_only(), py::arg("storage") = py::none(), py::arg("dumpdir") = py::none(),
        py::arg("mode") = BackupMode::snapshot,
        py::arg("compress") = storage::BackupCompression::none, py::arg("zstd") = 1,
        py::arg("exclude_path") = std::vector<std::string>{}, py::arg("stdexcludes") = true,
        py::arg("notes_template") = py::none(), py::arg("protected") = false,
        py::arg("remove") = true, py::arg("tmpdir") = py::none(), py::arg("bwlimit") = 0,
        py::arg("progress") = py::none(), py::arg("log") = py::none(),
        py::arg("host") = py::none());
}

} // namespace pypct
