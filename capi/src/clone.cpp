// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "clone": pct::runtime's make_template and clone on a host handle and a CTID.
#include "config_impl.hpp"
#include "progress.hpp"

#include <pct/runtime/clone.hpp>

#include <cstddef>
#include <cstring>

using namespace pct::capi;

namespace {

// The bytes of a pct_clone_options of `version`: version 1 ends before `progress`.
std::size_t clone_options_size(std::uint32_t version) noexcept {
    return version >= 2 ? sizeof(pct_clone_options) : offsetof(pct_clone_options, progress);
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

std::optional<std::string> text_or_null(const char* s) {
    return s ? std::optional<std::string>(s) : std::nullopt;
}

} // namespace

extern "C" {

int pct_container_template(const pct_host* host, uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require({{"host", host}}); rc != PCT_OK)
            return rc;
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        auto r = pct::runtime::make_template(host->host, *id);
        return r ? PCT_OK : set_error(r.error());
    });
}

int pct_clone_options_init(pct_clone_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_CLONE_OPTIONS_VERSION))
            return set_error(
                unsupported_version("pct_clone_options", version, PCT_CLONE_OPTIONS_VERSION));
        // Only the fields of the caller's version: an older caller's struct is smaller.
        pct_clone_options defaults{version, -1, nullptr, nullptr, nullptr,
                                   nullptr, 0,  nullptr, nullptr};
        std::memcpy(options, &defaults, clone_options_size(version));
        return PCT_OK;
    });
}

int pct_container_clone(pct_string_list** messages_out, const pct_host* host, uint32_t vmid,
                        uint32_t newid, const pct_clone_options* options) noexcept {
    return guard([&] {
        if (messages_out)
            *messages_out = nullptr;
        if (int rc = require({{"host", host}}); rc != PCT_OK)
            return rc;
        auto read = versioned_options(options, pct_clone_options_init, clone_options_size,
                                      "pct_clone_options", PCT_CLONE_OPTIONS_VERSION);
        if (!read)
            return set_error(read.error());
        if (read->full < -1 || read->full > 1)
            return set_error(pct::error(pct::Errc::invalid_argument,
                                        "full must be -1 (default), 0 (linked) or 1 (full)",
                                        {.key = "full"}));
        int rc = PCT_OK;
        auto id = checked_vmid(vmid, rc);
        if (!id)
            return rc;
        auto new_id = checked_vmid(newid, rc);
        if (!new_id)
            return rc;
        pct::runtime::CloneOptions o;
        if (read->full >= 0)
            o.full = read->full == 1;
        o.storage = text_or_null(read->storage);
        o.hostname = text_or_null(read->hostname);
        o.description = text_or_null(read->description);
        o.snapname = text_or_null(read->snapname);
        o.bwlimit_kib = read->bwlimit_kib;
        o.progress = progress_of(read->progress, read->progress_user);
        auto r = pct::runtime::clone(host->host, *id, *new_id, o);
        if (!r)
            return set_error(r.error());
        if (messages_out) {
            auto* list = new pct_string_list();
            list->items = std::move(r->messages);
            *messages_out = list;
        }
        return PCT_OK;
    });
}

} // extern "C"
