// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "mount": `pct mount` / `pct unmount` through pct::runtime::Container.
#include "config_impl.hpp"

using namespace pct::capi;

extern "C" {

int pct_container_mount(char** path_out, pct_string_list** warnings_out,
                        pct_container* ct) noexcept {
    return guard([&] {
        if (path_out)
            *path_out = nullptr;
        if (warnings_out)
            *warnings_out = nullptr;
        if (!ct)
            return null_argument("ct");
        std::lock_guard lock(ct->m_mutex);
        auto report = ct->ct.mount();
        if (!report)
            return set_error(report.error());
        if (path_out)
            *path_out = dup_string(report->path);
        if (warnings_out)
            *warnings_out = new pct_string_list{std::move(report->warnings)};
        return PCT_OK;
    });
}

int pct_container_unmount(pct_container* ct) noexcept {
    return guard([&] {
        if (!ct)
            return null_argument("ct");
        std::lock_guard lock(ct->m_mutex);
        auto ok = ct->ct.unmount();
        return ok ? PCT_OK : set_error(ok.error());
    });
}

} // extern "C"
