// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "locks": `pct unlock` and the lock table of pct::runtime (locks.hpp).
#include "config_impl.hpp"

#include <pct/runtime/locks.hpp>

using namespace pct::capi;

extern "C" {

int pct_host_unlock(char** lock_out, const pct_host* host, uint32_t vmid) noexcept {
    return guard([&] {
        if (lock_out)
            *lock_out = nullptr;
        if (int rc = require({{"host", host}}); rc != PCT_OK)
            return rc;
        auto id = pct::storage::Host::check_vmid(vmid);
        if (!id)
            return set_error(id.error());
        auto removed = pct::runtime::unlock(host->host, *id);
        if (!removed)
            return set_error(removed.error());
        if (lock_out)
            *lock_out = dup_string(*removed);
        return PCT_OK;
    });
}

int pct_lock_allows(int32_t* out, const char* operation, const char* lock) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"operation", operation}}); rc != PCT_OK)
            return rc;
        auto op = pct::runtime::locked_op(operation);
        if (!op)
            return set_error(pct::error(pct::Errc::invalid_argument,
                                        std::string("unknown operation '") + operation + "'",
                                        {.key = "operation"}));
        *out = pct::runtime::lock_allows(*op, lock ? lock : "") ? 1 : 0;
        return PCT_OK;
    });
}

} // extern "C"
