// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "backups": the storage-side rules of vzdump backup files (pct::storage backups.hpp).
#include "guard.hpp"
#include "handles.hpp"

#include <pct/storage/backups.hpp>

#include <map>
#include <memory>

using namespace pct::capi;
namespace st = pct::storage;

// An entry's fields rendered once as text, so pct_backups_entry_get can lend them.
struct pct_backups_entry {
    std::map<std::string, std::string, std::less<>> fields;
};

struct pct_backups_list {
    std::vector<pct_backups_entry> entries;
};

namespace {

pct_backups_entry entry_of(const st::BackupFileInfo& info) {
    pct_backups_entry e;
    auto& f = e.fields;
    f["filename"] = info.filename;
    f["type"] = info.type;
    f["vmid"] = std::to_string(info.vmid);
    if (info.ctime)
        f["ctime"] = std::to_string(*info.ctime);
    f["is_std_name"] = info.is_std_name ? "1" : "0";
    f["format"] = info.format;
    f["compression"] = info.compression;
    f["log_filename"] = info.log_filename;
    f["notes_filename"] = info.notes_filename;
    f["protected_filename"] = info.protected_filename;
    return e;
}

pct_backups_entry entry_of(const st::BackupEntry& listed) {
    pct_backups_entry e = entry_of(listed.info);
    e.fields["path"] = listed.path;
    e.fields["size"] = std::to_string(listed.size);
    e.fields["protected"] = listed.is_protected ? "1" : "0";
    e.fields["notes"] = listed.notes;
    return e;
}

std::string text_or(const char* text, const char* fallback) { return text ? text : fallback; }

} // namespace

extern "C" {

int pct_backups_basename(char** out, uint32_t vmid, int64_t start) noexcept {
    return guard([&] {
        if (int rc = require_out(out); rc != PCT_OK)
            return rc;
        *out = dup_string(st::backup_basename(pct::Vmid{vmid}, std::time_t(start)));
        return PCT_OK;
    });
}

const char* pct_backups_extension(int32_t compression) noexcept {
    switch (compression) {
    case PCT_BACKUP_COMPRESS_NONE:
        return st::backup_extension(st::BackupCompression::none).data();
    case PCT_BACKUP_COMPRESS_GZIP:
        return st::backup_extension(st::BackupCompression::gzip).data();
    case PCT_BACKUP_COMPRESS_LZO:
        return st::backup_extension(st::BackupCompression::lzo).data();
    case PCT_BACKUP_COMPRESS_ZSTD:
        return st::backup_extension(st::BackupCompression::zstd).data();
    default:
        return nullptr;
    }
}

int pct_backups_parse_compression(int32_t* out, const char* value) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"value", value}}); rc != PCT_OK)
            return rc;
        return deliver(out, st::parse_compression(value), [](st::BackupCompression c) {
            switch (c) {
            case st::BackupCompression::gzip:
                return int32_t{PCT_BACKUP_COMPRESS_GZIP};
            case st::BackupCompression::lzo:
                return int32_t{PCT_BACKUP_COMPRESS_LZO};
            case st::BackupCompression::zstd:
                return int32_t{PCT_BACKUP_COMPRESS_ZSTD};
            case st::BackupCompression::none:
                break;
            }
            return int32_t{PCT_BACKUP_COMPRESS_NONE};
        });
    });
}

int pct_backups_temp_name(char** out, const char* final_name) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"final_name", final_name}}); rc != PCT_OK)
            return rc;
        *out = dup_string(st::temp_archive_name(final_name));
        return PCT_OK;
    });
}

int pct_backups_render_notes(char** out, const char* tmpl, const char* cluster,
                             const char* guestname, const char* node, uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"tmpl", tmpl}}); rc != PCT_OK)
            return rc;
        st::NotesVars vars{.cluster = text_or(cluster, "standalone node"),
                           .guestname = text_or(guestname, ""),
                           .node = text_or(node, ""),
                           .vmid = vmid};
        return deliver(out, st::render_notes_template(tmpl, vars), dup_string);
    });
}

int pct_backups_normalize_prune(char** out, const char* prune_backups) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"prune_backups", prune_backups}}); rc != PCT_OK)
            return rc;
        return deliver(out, st::parse_prune_backups(prune_backups), [](const st::PruneOptions& o) {
            return dup_string(st::format_prune_backups(o));
        });
    });
}

int pct_backups_archive_info(pct_backups_entry** out, const char* filename) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"filename", filename}}); rc != PCT_OK)
            return rc;
        auto info = st::archive_info(filename);
        if (!info)
            return set_error(
                pct::error(pct::Errc::not_found,
                           std::string("couldn't determine archive info from '") + filename + "'",
                           {.context = filename}));
        *out = new pct_backups_entry(entry_of(*info));
        return PCT_OK;
    });
}

const char* pct_backups_entry_get(const pct_backups_entry* entry, const char* field) noexcept {
    if (!entry || !field)
        return nullptr;
    auto it = entry->fields.find(std::string_view(field));
    return it == entry->fields.end() ? nullptr : it->second.c_str();
}

void pct_backups_entry_free(pct_backups_entry* entry) noexcept { delete entry; }

int pct_backups_list_dir(pct_backups_list** out, const char* dir, uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"dir", dir}}); rc != PCT_OK)
            return rc;
        std::optional<pct::Vmid> owner;
        if (vmid)
            owner = pct::Vmid{vmid};
        return deliver(out, st::list_backups(dir, owner), [](const auto& listed) {
            auto list = std::make_unique<pct_backups_list>();
            for (const auto& e : listed)
                list->entries.push_back(entry_of(e));
            return list.release();
        });
    });
}

int pct_backups_prune_marks(pct_backups_list** out, const char* dir, uint32_t vmid,
                            const char* prune_backups) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"dir", dir}, {"prune_backups", prune_backups}});
            rc != PCT_OK)
            return rc;
        auto options = st::parse_prune_backups(prune_backups);
        if (!options)
            return set_error(options.error());
        std::optional<pct::Vmid> owner;
        if (vmid)
            owner = pct::Vmid{vmid};
        auto listed = st::list_backups(dir, owner);
        if (!listed)
            return set_error(listed.error());
        auto list = std::make_unique<pct_backups_list>();
        for (const auto& [entry, mark] : st::prune_marks(std::move(*listed), *options)) {
            list->entries.push_back(entry_of(entry));
            list->entries.back().fields["mark"] = std::string(st::prune_mark_name(mark));
        }
        *out = list.release();
        return PCT_OK;
    });
}

size_t pct_backups_list_count(const pct_backups_list* list) noexcept {
    return list ? list->entries.size() : 0;
}

const pct_backups_entry* pct_backups_list_at(const pct_backups_list* list, size_t index) noexcept {
    if (!list || index >= list->entries.size())
        return nullptr;
    return &list->entries[index];
}

void pct_backups_list_free(pct_backups_list* list) noexcept { delete list; }

int pct_backups_prune(pct_string_list** out, const char* dir, uint32_t vmid,
                      const char* prune_backups, int dry_run) noexcept {
    return guard([&] {
        if (out)
            *out = nullptr;
        if (int rc = require({{"dir", dir}, {"prune_backups", prune_backups}}); rc != PCT_OK)
            return rc;
        auto options = st::parse_prune_backups(prune_backups);
        if (!options)
            return set_error(options.error());
        auto removed = st::prune_backups(dir, pct::Vmid{vmid}, *options, dry_run != 0);
        if (!removed)
            return set_error(removed.error());
        if (out) {
            auto* list = new pct_string_list();
            list->items = std::move(*removed);
            *out = list;
        }
        return PCT_OK;
    });
}

int pct_backups_remove(const char* archive_path) noexcept {
    return guard([&] {
        if (int rc = require({{"archive_path", archive_path}}); rc != PCT_OK)
            return rc;
        return status(st::remove_backup(archive_path));
    });
}

int pct_backups_set_protected(const char* archive_path, int protect) noexcept {
    return guard([&] {
        if (int rc = require({{"archive_path", archive_path}}); rc != PCT_OK)
            return rc;
        return status(st::set_backup_protected(archive_path, protect != 0));
    });
}

int pct_backups_set_notes(const char* archive_path, const char* notes) noexcept {
    return guard([&] {
        if (int rc = require({{"archive_path", archive_path}}); rc != PCT_OK)
            return rc;
        return status(st::set_backup_notes(archive_path, notes ? notes : ""));
    });
}

int pct_backups_check_protected_limit(const char* dir, uint32_t vmid, int64_t max_protected,
                                      const char* storage) noexcept {
    return guard([&] {
        if (int rc = require({{"dir", dir}, {"storage", storage}}); rc != PCT_OK)
            return rc;
        return status(st::check_protected_limit(dir, pct::Vmid{vmid}, max_protected, storage));
    });
}

int pct_backups_dir(char** out, const pct_host* host, const char* storage) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}, {"storage", storage}}); rc != PCT_OK)
            return rc;
        return deliver(out, st::backup_dir(host->host, storage), dup_string);
    });
}

int pct_backups_storage_prune(char** out, const pct_host* host, const char* storage) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}, {"storage", storage}}); rc != PCT_OK)
            return rc;
        return deliver(
            out, st::storage_prune_options(host->host, storage),
            [](const st::PruneOptions& o) { return dup_string(st::format_prune_backups(o)); });
    });
}

int pct_backups_storage_max_protected(int64_t* out, const pct_host* host,
                                      const char* storage) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}, {"storage", storage}}); rc != PCT_OK)
            return rc;
        return deliver(out, st::storage_max_protected_backups(host->host, storage));
    });
}

} // extern "C"
