// SPDX-License-Identifier: AGPL-3.0-or-later
// A C caller's progress callback (`pct_progress_fn` + its user pointer, the pair an options
// struct carries) as the library's progress function.
#pragma once

#include <pct/pct.h>
#include <pct/runtime/progress.hpp>

namespace pct::capi {

/// `fn` called with each report as a `pct_progress` (borrowed for the call); empty for NULL.
inline pct::runtime::ProgressFn c_progress(pct_progress_fn fn, void* user) {
    if (!fn)
        return {};
    return [fn, user](const pct::runtime::Progress& p) {
        pct_progress c{
            p.phase.c_str(), p.bytes, p.total, p.rate, p.eta_seconds ? *p.eta_seconds : -1.0,
            p.done ? 1 : 0};
        fn(&c, user);
    };
}

} // namespace pct::capi
