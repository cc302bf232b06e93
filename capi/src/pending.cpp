// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "pending": pct::runtime's pending engine (`pct set`, its plan, `pct pending`).
#include "config_impl.hpp"

#include <pct/runtime/pending.hpp>

using namespace pct::capi;

static_assert(PCT_EFFECT_APPLIED == static_cast<int>(pct::runtime::ChangeEffect::applied));
static_assert(PCT_EFFECT_LIVE == static_cast<int>(pct::runtime::ChangeEffect::live));
static_assert(PCT_EFFECT_PENDING == static_cast<int>(pct::runtime::ChangeEffect::pending));
static_assert(PCT_EFFECT_UNCHANGED == static_cast<int>(pct::runtime::ChangeEffect::unchanged));

struct pct_pending_change {
    pct::runtime::ConfigChange change;
};

struct pct_pending_report {
    pct::runtime::ChangeReport report;
};

struct pct_pending_entries {
    std::vector<pct::runtime::PendingEntry> items;
};

namespace {

using Run = pct::Result<pct::runtime::ChangeReport> (*)(const pct::storage::Host&, pct::Vmid,
                                                        const pct::runtime::ConfigChange&);

int run(pct_pending_report** out, const pct_host* host, uint32_t vmid,
        const pct_pending_change* change, Run fn) {
    if (out)
        *out = nullptr;
    if (int rc = require({{"host", host}, {"change", change}}); rc != PCT_OK)
        return rc;
    auto id = pct::storage::Host::check_vmid(vmid);
    if (!id)
        return set_error(id.error());
    auto r = fn(host->host, *id, change->change);
    if (!r)
        return set_error(r.error());
    if (out)
        *out = new pct_pending_report{std::move(*r)};
    return PCT_OK;
}

const char* c_str_or_null(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

} // namespace

extern "C" {

int pct_pending_change_new(pct_pending_change** out) noexcept {
    return guard([&] {
        if (int rc = require_out(out); rc != PCT_OK)
            return rc;
        *out = new pct_pending_change();
        return PCT_OK;
    });
}

int pct_pending_change_set(pct_pending_change* change, const char* key,
                           const char* value) noexcept {
    return guard([&] {
        if (int rc = require({{"change", change}, {"key", key}, {"value", value}}); rc != PCT_OK)
            return rc;
        change->change.set.emplace_back(key, value);
        return PCT_OK;
    });
}

int pct_pending_change_delete(pct_pending_change* change, const char* key, int32_t force) noexcept {
    return guard([&] {
        if (int rc = require({{"change", change}, {"key", key}}); rc != PCT_OK)
            return rc;
        change->change.deletes.push_back((force ? "!" : "") + std::string(key));
        return PCT_OK;
    });
}

int pct_pending_change_revert(pct_pending_change* change, const char* key) noexcept {
    return guard([&] {
        if (int rc = require({{"change", change}, {"key", key}}); rc != PCT_OK)
            return rc;
        change->change.reverts.emplace_back(key);
        return PCT_OK;
    });
}

int pct_pending_change_digest(pct_pending_change* change, const char* digest) noexcept {
    return guard([&] {
        if (int rc = require({{"change", change}}); rc != PCT_OK)
            return rc;
        change->change.digest = digest ? std::optional<std::string>(digest) : std::nullopt;
        return PCT_OK;
    });
}

void pct_pending_change_free(pct_pending_change* change) noexcept { delete change; }

int pct_pending_update(pct_pending_report** out, const pct_host* host, uint32_t vmid,
                       const pct_pending_change* change) noexcept {
    return guard([&] { return run(out, host, vmid, change, pct::runtime::update_config); });
}

int pct_pending_plan(pct_pending_report** out, const pct_host* host, uint32_t vmid,
                     const pct_pending_change* change) noexcept {
    return guard([&] {
        if (!out)
            return null_argument("out");
        return run(out, host, vmid, change, pct::runtime::plan_config_change);
    });
}

size_t pct_pending_report_count(const pct_pending_report* report) noexcept {
    return report ? report->report.keys.size() : 0;
}

int pct_pending_report_at(const pct_pending_report* report, size_t index, const char** key_out,
                          const char** action_out, int32_t* effect_out, const char** reason_out,
                          const char** current_out, const char** next_out) noexcept {
    return guard([&] {
        if (!report)
            return null_argument("report");
        if (index >= report->report.keys.size())
            return set_error(
                pct::error(pct::Errc::invalid_argument, "pending report index out of range"));
        const auto& k = report->report.keys[index];
        if (key_out)
            *key_out = k.key.c_str();
        if (action_out)
            *action_out = k.action.c_str();
        if (effect_out)
            *effect_out = static_cast<int32_t>(k.effect);
        if (reason_out)
            *reason_out = k.reason.c_str();
        if (current_out)
            *current_out = c_str_or_null(k.current);
        if (next_out)
            *next_out = c_str_or_null(k.next);
        return PCT_OK;
    });
}

int pct_pending_report_warnings(pct_string_list** out, const pct_pending_report* report) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"report", report}}); rc != PCT_OK)
            return rc;
        *out = new pct_string_list{report->report.warnings};
        return PCT_OK;
    });
}

int pct_pending_report_errors(pct_string_list** out, const pct_pending_report* report) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"report", report}}); rc != PCT_OK)
            return rc;
        *out = new pct_string_list{report->report.errors};
        return PCT_OK;
    });
}

void pct_pending_report_free(pct_pending_report* report) noexcept { delete report; }

const char* pct_pending_effect_name(int32_t effect) noexcept {
    switch (effect) {
    case PCT_EFFECT_APPLIED:
        return "applied";
    case PCT_EFFECT_LIVE:
        return "live";
    case PCT_EFFECT_PENDING:
        return "pending";
    case PCT_EFFECT_UNCHANGED:
        return "unchanged";
    default:
        return "unknown";
    }
}

int pct_pending_equivalent(int32_t* out, const char* key, const char* a, const char* b) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"key", key}, {"a", a}, {"b", b}}); rc != PCT_OK)
            return rc;
        *out = pct::runtime::equivalent_values(key, a, b) ? 1 : 0;
        return PCT_OK;
    });
}

int pct_pending_entries_load(pct_pending_entries** out, const pct_host* host,
                             uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        auto id = pct::storage::Host::check_vmid(vmid);
        if (!id)
            return set_error(id.error());
        auto config = host->host.read_config(*id);
        if (!config)
            return set_error(config.error());
        *out = new pct_pending_entries{pct::runtime::pending_entries(config->config)};
        return PCT_OK;
    });
}

size_t pct_pending_entries_count(const pct_pending_entries* entries) noexcept {
    return entries ? entries->items.size() : 0;
}

int pct_pending_entries_at(const pct_pending_entries* entries, size_t index, const char** key_out,
                           const char** value_out, const char** pending_out,
                           int32_t* delete_out) noexcept {
    return guard([&] {
        if (!entries)
            return null_argument("entries");
        if (index >= entries->items.size())
            return set_error(
                pct::error(pct::Errc::invalid_argument, "pending entry index out of range"));
        const auto& e = entries->items[index];
        if (key_out)
            *key_out = e.key.c_str();
        if (value_out)
            *value_out = c_str_or_null(e.value);
        if (pending_out)
            *pending_out = c_str_or_null(e.pending);
        if (delete_out)
            *delete_out = e.delete_mark;
        return PCT_OK;
    });
}

void pct_pending_entries_free(pct_pending_entries* entries) noexcept { delete entries; }

int pct_pending_format(char** out, const pct_host* host, uint32_t vmid) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}}); rc != PCT_OK)
            return rc;
        auto id = pct::storage::Host::check_vmid(vmid);
        if (!id)
            return set_error(id.error());
        auto config = host->host.read_config(*id);
        if (!config)
            return set_error(config.error());
        *out =
            dup_string(pct::runtime::format_pending(pct::runtime::pending_entries(config->config)));
        return PCT_OK;
    });
}

} // extern "C"
