// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "backup": pct::runtime's vzdump of one container and its report.
#include "guard.hpp"
#include "handles.hpp"
#include "progress.hpp"

#include <pct/runtime/backup.hpp>

using namespace pct::capi;

struct pct_backup_report {
    pct::runtime::BackupReport report;
};

namespace {

int32_t mode_code(pct::runtime::BackupMode mode) {
    switch (mode) {
    case pct::runtime::BackupMode::snapshot:
        return PCT_BACKUP_MODE_SNAPSHOT;
    case pct::runtime::BackupMode::suspend:
        return PCT_BACKUP_MODE_SUSPEND;
    case pct::runtime::BackupMode::stop:
        return PCT_BACKUP_MODE_STOP;
    }
    return -1;
}

pct::Result<pct::runtime::BackupOptions> options_of(const pct_backup_options& c) {
    using pct::Errc;
    pct::runtime::BackupOptions o;
    if (c.storage)
        o.storage = c.storage;
    if (c.dumpdir)
        o.dumpdir = c.dumpdir;
    switch (c.mode) {
    case PCT_BACKUP_MODE_SNAPSHOT:
        o.mode = pct::runtime::BackupMode::snapshot;
        break;
    case PCT_BACKUP_MODE_SUSPEND:
        o.mode = pct::runtime::BackupMode::suspend;
        break;
    case PCT_BACKUP_MODE_STOP:
        o.mode = pct::runtime::BackupMode::stop;
        break;
    default:
        return pct::fail(Errc::invalid_argument, "unknown backup mode", {.key = "mode"});
    }
    if (c.compress < PCT_BACKUP_COMPRESS_NONE || c.compress > PCT_BACKUP_COMPRESS_ZSTD)
        return pct::fail(Errc::invalid_argument, "unknown compression", {.key = "compress"});
    o.compress = static_cast<pct::storage::BackupCompression>(c.compress);
    o.zstd_threads = c.zstd_threads;
    for (const char* const* p = c.exclude_paths; p && *p; ++p)
        o.exclude_paths.emplace_back(*p);
    o.stdexcludes = c.stdexcludes != 0;
    if (c.notes_template)
        o.notes_template = c.notes_template;
    o.protect = c.protect != 0;
    o.remove = c.remove != 0;
    if (c.tmpdir)
        o.tmpdir = c.tmpdir;
    o.bwlimit_kib = c.bwlimit_kib;
    o.progress = progress_of(c.progress, c.progress_user);
    o.log = log_of(c.log, c.log_user);
    return o;
}

} // namespace

extern "C" {

int pct_backup_options_init(pct_backup_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_BACKUP_OPTIONS_VERSION))
            return set_error(
                unsupported_version("pct_backup_options", version, PCT_BACKUP_OPTIONS_VERSION));
        pct_backup_options defaults = PCT_BACKUP_OPTIONS_INIT;
        defaults.version = version;
        *options = defaults;
        return PCT_OK;
    });
}

int pct_container_backup(pct_backup_report** out, const pct_host* host, uint32_t vmid,
                         const pct_backup_options* options) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        pct_backup_options defaults = PCT_BACKUP_OPTIONS_INIT;
        const pct_backup_options& c = options ? *options : defaults;
        if (!supported_version(c.version, PCT_BACKUP_OPTIONS_VERSION))
            return set_error(
                unsupported_version("pct_backup_options", c.version, PCT_BACKUP_OPTIONS_VERSION));
        auto id = pct::storage::Host::check_vmid(vmid);
        if (!id)
            return set_error(id.error());
        auto o = options_of(c);
        if (!o)
            return set_error(o.error());
        return deliver(
            out, pct::runtime::backup(host->host, *id, *o),
            [](pct::runtime::BackupReport&& r) { return new pct_backup_report{std::move(r)}; });
    });
}

void pct_backup_report_free(pct_backup_report* report) noexcept { delete report; }

const char* pct_backup_report_archive(const pct_backup_report* report) noexcept {
    return report ? report->report.archive.c_str()
                  : null_argument_value<const char*>(nullptr, "report");
}

const char* pct_backup_report_volid(const pct_backup_report* report) noexcept {
    return report ? report->report.volid.c_str()
                  : null_argument_value<const char*>(nullptr, "report");
}

const char* pct_backup_report_log_path(const pct_backup_report* report) noexcept {
    return report ? report->report.log_path.c_str()
                  : null_argument_value<const char*>(nullptr, "report");
}

int32_t pct_backup_report_mode(const pct_backup_report* report) noexcept {
    return report ? mode_code(report->report.mode) : null_argument_value<int32_t>(-1, "report");
}

uint64_t pct_backup_report_size(const pct_backup_report* report) noexcept {
    return report ? report->report.archive_size : null_argument_value<uint64_t>(0, "report");
}

size_t pct_backup_report_pruned_count(const pct_backup_report* report) noexcept {
    return report ? report->report.pruned.size() : null_argument_value<size_t>(0, "report");
}

const char* pct_backup_report_pruned_at(const pct_backup_report* report, size_t i) noexcept {
    if (!report)
        return null_argument_value<const char*>(nullptr, "report");
    return i < report->report.pruned.size() ? report->report.pruned[i].c_str() : nullptr;
}

size_t pct_backup_report_warning_count(const pct_backup_report* report) noexcept {
    return report ? report->report.warnings.size() : null_argument_value<size_t>(0, "report");
}

const char* pct_backup_report_warning_at(const pct_backup_report* report, size_t i) noexcept {
    if (!report)
        return null_argument_value<const char*>(nullptr, "report");
    return i < report->report.warnings.size() ? report->report.warnings[i].c_str() : nullptr;
}

} // extern "C"
