// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "snapshots": pct::runtime's snapshot operations (create, delete, rollback, the list,
// the tree and the blocking check) on a host handle and a CTID.
#include "config_impl.hpp"

#include <pct/runtime/snapshots.hpp>

using namespace pct::capi;

struct pct_snapshot_list {
    std::vector<pct::runtime::SnapshotInfo> items;
};

struct pct_snapshot_blockers {
    std::vector<pct::runtime::SnapshotBlocker> items;
};

namespace {

// The checked CTID, or the recorded error as the status in `rc`.
std::optional<pct::Vmid> checked_vmid(uint32_t vmid, int& rc) {
    auto id = pct::storage::Host::check_vmid(vmid);
    if (!id) {
        rc = set_error(id.error());
        return std::nullopt;
    }
    return *id;
}

// One operation with a name and optional warnings out: checks, runs `op(vmid)`, delivers.
template <class Op>
int snapshot_op(pct_string_list** warnings_out, const pct_host* host, uint32_t vmid,
                const char* name, Op&& op) {
    if (warnings_out)
        *warnings_out = nullptr;
    if (int rc = require({{"host", host}, {"name", name}}); rc != PCT_OK)
        return rc;
    int rc = PCT_OK;
    auto id = checked_vmid(vmid, rc);
    if (!id)
        return rc;
    pct::Result<pct::runtime::SnapshotReport> r = op(*id);
    if (!r)
        return set_error(r.error());
    if (warnings_out)
        *warnings_out = new pct_string_list{std::move(r->warnings)};
    return PCT_OK;
}

} // namespace

extern "C" {

int pct_snapshot_create(pct_string_list** warnings_out, const pct_host* host, uint32_t vmid,
                        const char* name, const char* description) noexcept {
    return guard([&] {
        return snapshot_op(warnings_out, host, vmid, name, [&](pct::Vmid id) {
            return pct::runtime::snapshot_create(host->host, id, name,
                                                 {.description = description ? description : ""});
        });
    });
}

int pct_snapshot_delete(pct_string_list** warnings_out, const pct_host* host, uint32_t vmid,
                        const char* name, int32_t force) noexcept {
    return guard([&] {
        return snapshot_op(warnings_out, host, vmid, name, [&](pct::Vmid id) {
            return pct::runtime::snapshot_delete(host->host, id, name, {.force = force != 0});
        });
    });
}

int pct_snapshot_rollback(pct_string_list** warnings_out, const pct_host* host, uint32_t vmid,
                          const char* name, int32_t start) noexcept {
    return guard([&] {
        return snapshot_op(warnings_out, host, vmid, name, [&](pct::Vmid id) {
            return pct::runtime::snapshot_rollback(host->host, id, name, {.start = start != 0});
        });
    });
}

int pct_snapshot_tree(char** out, const pct_host* host, uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        return deliver(out, pct::runtime::list_snapshots(host->host, *id),
                       [](std::vector<pct::runtime::SnapshotInfo>&& list) {
                           return dup_string(pct::runtime::format_snapshot_tree(list));
                       });
    });
}

int pct_snapshot_list_of(pct_snapshot_list** out, const pct_host* host, uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        return deliver(out, pct::runtime::list_snapshots(host->host, *id),
                       [](std::vector<pct::runtime::SnapshotInfo>&& list) {
                           return new pct_snapshot_list{std::move(list)};
                       });
    });
}

size_t pct_snapshot_list_count(const pct_snapshot_list* list) noexcept {
    return list ? list->items.size() : 0;
}

int pct_snapshot_list_at(const pct_snapshot_list* list, size_t index, const char** name_out,
                         const char** parent_out, int64_t* snaptime_out,
                         const char** description_out, int32_t* current_out) noexcept {
    return guard([&] {
        if (!list)
            return null_argument("list");
        if (index >= list->items.size())
            return set_error(
                pct::error(pct::Errc::invalid_argument, "snapshot list index out of range"));
        const auto& s = list->items[index];
        if (name_out)
            *name_out = s.name.c_str();
        if (parent_out)
            *parent_out = s.parent.c_str();
        if (snaptime_out)
            *snaptime_out = s.snaptime;
        if (description_out)
            *description_out = s.description.c_str();
        if (current_out)
            *current_out = s.current ? 1 : 0;
        return PCT_OK;
    });
}

void pct_snapshot_list_free(pct_snapshot_list* list) noexcept { delete list; }

int pct_snapshot_blockers_of(pct_snapshot_blockers** out, const pct_host* host,
                             uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        return deliver(out, pct::runtime::snapshot_blockers(host->host, *id),
                       [](std::vector<pct::runtime::SnapshotBlocker>&& list) {
                           return new pct_snapshot_blockers{std::move(list)};
                       });
    });
}

size_t pct_snapshot_blockers_count(const pct_snapshot_blockers* blockers) noexcept {
    return blockers ? blockers->items.size() : 0;
}

int pct_snapshot_blockers_at(const pct_snapshot_blockers* blockers, size_t index,
                             const char** key_out, const char** volume_out,
                             const char** reason_out) noexcept {
    return guard([&] {
        if (!blockers)
            return null_argument("blockers");
        if (index >= blockers->items.size())
            return set_error(
                pct::error(pct::Errc::invalid_argument, "snapshot blocker index out of range"));
        const auto& b = blockers->items[index];
        if (key_out)
            *key_out = b.key.c_str();
        if (volume_out)
            *volume_out = b.volume.c_str();
        if (reason_out)
            *reason_out = b.reason.c_str();
        return PCT_OK;
    });
}

void pct_snapshot_blockers_free(pct_snapshot_blockers* blockers) noexcept { delete blockers; }

} // extern "C"
