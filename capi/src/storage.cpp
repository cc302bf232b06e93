// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "storage": storage.cfg and volumes through pct::storage::Storages.
#include "guard.hpp"
#include "handles.hpp"

#include <pct/storage/storages.hpp>

using namespace pct::capi;
using pct::storage::Storages;

namespace {

// One operation = one read of storage.cfg (Proxmox's per-call config).
template <class Call> int with_storages(const pct_host* host, Call&& call) {
    auto storages = Storages::load(host->host);
    if (!storages)
        return set_error(storages.error());
    return call(*storages);
}

pct_string_list* new_list(std::vector<std::string> items) {
    auto* list = new pct_string_list();
    list->items = std::move(items);
    return list;
}

} // namespace

extern "C" {

int pct_storage_list(pct_string_list** out, const pct_host* host) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        return with_storages(host, [&](Storages& st) {
            std::vector<std::string> ids;
            for (const auto& e : st.config().entries)
                ids.push_back(e.name);
            *out = new_list(std::move(ids));
            return PCT_OK;
        });
    });
}

int pct_storage_volumes(pct_string_list** out, const pct_host* host, const char* storage,
                        uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}, {"storage", storage}}); rc != PCT_OK)
            return rc;
        return with_storages(host, [&](Storages& st) {
            std::optional<pct::Vmid> owner;
            if (vmid)
                owner = pct::Vmid{vmid};
            return deliver(out, st.list(storage, owner), [](auto&& infos) {
                std::vector<std::string> ids;
                for (const auto& info : infos)
                    ids.push_back(info.volid);
                return new_list(std::move(ids));
            });
        });
    });
}

int pct_storage_alloc_ct_disk(char** volid_out, const pct_host* host, const char* storage,
                              uint32_t vmid, uint64_t size_kib, uint32_t root_uid,
                              uint32_t root_gid) noexcept {
    return guard([&] {
        if (int rc = require_out(volid_out, "volid_out", {{"host", host}, {"storage", storage}});
            rc != PCT_OK)
            return rc;
        return with_storages(host, [&](Storages& st) {
            return deliver(volid_out,
                           pct::storage::alloc_ct_disk(st, pct::Vmid{vmid}, storage, size_kib,
                                                       root_uid, root_gid),
                           dup_string);
        });
    });
}

int pct_storage_free(const pct_host* host, const char* volid) noexcept {
    return guard([&] {
        if (int rc = require({{"host", host}, {"volid", volid}}); rc != PCT_OK)
            return rc;
        return with_storages(host, [&](Storages& st) { return status(st.free(volid)); });
    });
}

int pct_storage_volume_path(char** out, const pct_host* host, const char* volid,
                            const char* snap) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}, {"volid", volid}}); rc != PCT_OK)
            return rc;
        return with_storages(host, [&](Storages& st) {
            std::optional<std::string_view> s;
            if (snap)
                s = snap;
            return deliver(out, st.path(volid, s), dup_string);
        });
    });
}

int pct_storage_volume_size(uint64_t* size_out, const pct_host* host, const char* volid) noexcept {
    return guard([&] {
        if (int rc = require_out(size_out, "size_out", {{"host", host}, {"volid", volid}});
            rc != PCT_OK)
            return rc;
        return with_storages(host, [&](Storages& st) {
            return deliver(size_out, st.size(volid), [](auto&& s) { return uint64_t(s.size); });
        });
    });
}

int pct_storage_has_feature(int32_t* out, const pct_host* host, const char* feature,
                            const char* volid, const char* snap) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}, {"feature", feature}, {"volid", volid}});
            rc != PCT_OK)
            return rc;
        auto f = pct::storage::feature_from_name(feature);
        if (!f)
            return set_error(PCT_EINVAL, "unknown storage feature");
        return with_storages(host, [&](Storages& st) {
            std::optional<std::string_view> s;
            if (snap)
                s = snap;
            *out = st.has_feature(*f, volid, s) ? 1 : 0;
            return PCT_OK;
        });
    });
}

} // extern "C"
