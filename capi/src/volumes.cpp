// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "volumes": the volume operations of pct::runtime (resize, move-volume, rescan, df,
// fsck, fstrim) on a host handle and a CTID.
#include "config_impl.hpp"
#include "progress.hpp"

#include <pct/runtime/volumes.hpp>

#include <cstddef>
#include <cstring>

using namespace pct::capi;

struct pct_df_rows {
    std::vector<pct::runtime::DfRow> items;
};

namespace {

// The bytes of a pct_move_volume_options of `version`: version 1 ends before `progress`.
std::size_t move_volume_options_size(std::uint32_t version) noexcept {
    return version >= 2 ? sizeof(pct_move_volume_options)
                        : offsetof(pct_move_volume_options, progress);
}

pct_string_list* string_list(std::vector<std::string> items) {
    auto* list = new pct_string_list();
    list->items = std::move(items);
    return list;
}

// The checked CTID, or the recorded error as the status in `rc`.
std::optional<pct::Vmid> checked_vmid(uint32_t vmid, int& rc) {
    auto id = pct::storage::Host::check_vmid(vmid);
    if (!id) {
        rc = set_error(id.error());
        return std::nullopt;
    }
    return *id;
}

// Optional out parameters are defined (0 / NULL) after any failure.
template <class A, class B> void reset_outputs(A* a, B* b) {
    if (a)
        *a = A{};
    if (b)
        *b = B{};
}

std::optional<std::string> text_or_null(const char* s) {
    return s ? std::optional<std::string>(s) : std::nullopt;
}

} // namespace

extern "C" {

int pct_volume_resize(uint64_t* new_size_out, pct_string_list** warnings_out, const pct_host* host,
                      uint32_t vmid, const char* disk, const char* size,
                      const char* digest) noexcept {
    return guard([&] {
        reset_outputs(new_size_out, warnings_out);
        if (int rc = require({{"host", host}, {"disk", disk}, {"size", size}}); rc != PCT_OK)
            return rc;
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        auto r =
            pct::runtime::resize(host->host, *id, disk, size, {.digest = text_or_null(digest)});
        if (!r)
            return set_error(r.error());
        if (new_size_out)
            *new_size_out = r->new_size;
        if (warnings_out)
            *warnings_out = string_list(std::move(r->warnings));
        return PCT_OK;
    });
}

int pct_move_volume_options_init(pct_move_volume_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_MOVE_VOLUME_OPTIONS_VERSION))
            return set_error(unsupported_version("pct_move_volume_options", version,
                                                 PCT_MOVE_VOLUME_OPTIONS_VERSION));
        // Only the fields of the caller's version: an older caller's struct is smaller.
        pct_move_volume_options defaults{version, nullptr, 0, nullptr, 0,
                                         nullptr, nullptr, 0, nullptr, nullptr};
        std::memcpy(options, &defaults, move_volume_options_size(version));
        return PCT_OK;
    });
}

int pct_volume_move(char** volid_out, pct_string_list** warnings_out, const pct_host* host,
                    uint32_t vmid, const char* volume,
                    const pct_move_volume_options* options) noexcept {
    return guard([&] {
        reset_outputs(volid_out, warnings_out);
        if (int rc = require({{"host", host}, {"volume", volume}}); rc != PCT_OK)
            return rc;
        auto read =
            versioned_options(options, pct_move_volume_options_init, move_volume_options_size,
                              "pct_move_volume_options", PCT_MOVE_VOLUME_OPTIONS_VERSION);
        if (!read)
            return set_error(read.error());
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        pct::runtime::MoveVolumeOptions o;
        o.storage = text_or_null(read->storage);
        if (read->target_vmid) {
            auto target = checked_vmid(read->target_vmid, rc);
            if (!target)
                return rc;
            o.target_vmid = *target;
        }
        o.target_volume = text_or_null(read->target_volume);
        o.delete_source = read->delete_source != 0;
        o.digest = text_or_null(read->digest);
        o.target_digest = text_or_null(read->target_digest);
        o.bwlimit_kib = read->bwlimit_kib;
        o.progress = progress_of(read->progress, read->progress_user);
        auto r = pct::runtime::move_volume(host->host, *id, volume, o);
        if (!r)
            return set_error(r.error());
        if (volid_out)
            *volid_out = dup_string(r->new_volume);
        if (warnings_out)
            *warnings_out = string_list(std::move(r->warnings));
        return PCT_OK;
    });
}

int pct_volume_rescan(pct_string_list** out, const pct_host* host, uint32_t vmid,
                      int32_t dryrun) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        pct::runtime::RescanOptions o;
        o.dryrun = dryrun != 0;
        if (vmid) {
            int rc = PCT_OK;
            auto id = checked_vmid(vmid, rc);
            if (!id)
                return rc;
            o.vmid = *id;
        }
        return deliver(out, pct::runtime::rescan(host->host, o), string_list);
    });
}

int pct_volume_df(char** out, const pct_host* host, uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        return deliver(out, pct::runtime::df(host->host, *id),
                       [](std::vector<pct::runtime::DfRow>&& rows) {
                           return dup_string(pct::runtime::format_df(rows));
                       });
    });
}

int pct_volume_df_rows(pct_df_rows** out, const pct_host* host, uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        return deliver(out, pct::runtime::df(host->host, *id),
                       [](std::vector<pct::runtime::DfRow>&& rows) {
                           return new pct_df_rows{std::move(rows)};
                       });
    });
}

size_t pct_df_rows_count(const pct_df_rows* rows) noexcept { return rows ? rows->items.size() : 0; }

int pct_df_rows_at(const pct_df_rows* rows, size_t index, const char** key_out,
                   const char** volume_out, uint64_t* total_out, uint64_t* used_out,
                   uint64_t* avail_out, const char** path_out) noexcept {
    return guard([&] {
        if (!rows)
            return null_argument("rows");
        if (index >= rows->items.size())
            return set_error(pct::error(pct::Errc::invalid_argument, "df row index out of range"));
        const auto& r = rows->items[index];
        if (key_out)
            *key_out = r.key.c_str();
        if (volume_out)
            *volume_out = r.volume.c_str();
        if (total_out)
            *total_out = r.total;
        if (used_out)
            *used_out = r.used;
        if (avail_out)
            *avail_out = r.avail;
        if (path_out)
            *path_out = r.path.c_str();
        return PCT_OK;
    });
}

void pct_df_rows_free(pct_df_rows* rows) noexcept { delete rows; }

int pct_volume_fsck(char** out, const pct_host* host, uint32_t vmid, const char* device,
                    int32_t force) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        pct::runtime::FsckOptions o;
        if (device)
            o.device = device;
        o.force = force != 0;
        return deliver(out, pct::runtime::fsck(host->host, *id, o), dup_string);
    });
}

int pct_volume_fstrim(pct_string_list** out, const pct_host* host, uint32_t vmid,
                      int32_t ignore_mountpoints) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        return deliver(
            out,
            pct::runtime::fstrim(host->host, *id, {.ignore_mountpoints = ignore_mountpoints != 0}),
            string_list);
    });
}

} // extern "C"
