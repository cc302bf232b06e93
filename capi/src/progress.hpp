// SPDX-License-Identifier: AGPL-3.0-or-later
// The C progress and log callbacks as the C++ function objects of long operations.
#pragma once

#include <pct/pct.h>
#include <pct/runtime/progress.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace pct::capi {

/// `fn` as a ProgressFn (empty for NULL); `user` passed back on each call.
inline runtime::ProgressFn progress_of(pct_progress_fn fn, void* user) {
    if (!fn)
        return {};
    return [fn, user](const runtime::Progress& p) {
        pct_progress c{};
        c.phase = p.phase.c_str();
        c.bytes = p.bytes;
        c.total = p.total;
        c.rate = p.rate;
        c.eta_seconds = p.eta_seconds.value_or(-1.0);
        c.done = p.done ? 1 : 0;
        fn(&c, user);
    };
}

/// `fn` as a log line function (empty for NULL).
inline std::function<void(std::string_view)> log_of(pct_log_fn fn, void* user) {
    if (!fn)
        return {};
    return [fn, user](std::string_view line) { fn(std::string(line).c_str(), user); };
}

} // namespace pct::capi
