// SPDX-License-Identifier: AGPL-3.0-or-later
// How `pct` shows the progress of long work (create's extraction, clone, move-volume, resize,
// backup, restore): on a terminal one line redrawn in place with bytes, rate and ETA; when
// stderr is not a terminal a plain line every `plain_interval` and at the end, so logs stay
// readable; nothing with `--quiet`.
#pragma once

#include <pct/runtime/progress.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <string>

namespace pct::cli {

/// Adds `--quiet` ("no progress output") to `cmd`, stored in `quiet`.
void add_quiet_option(CLI::App* cmd, bool& quiet);

/// One report as a line without its end: "extract: 120.5 MiB of 512.0 MiB (23%), 48.2 MiB/s,
/// ETA 0:08" (without total: "backup: 1.2 GiB, 60.0 MiB/s"; at the end: "extract: 512.0 MiB
/// in 10.6 s, 48.3 MiB/s").
[[nodiscard]] std::string progress_text(const runtime::Progress& p);

/// The progress function for a command: empty with `quiet`; writes to `out` (stderr by
/// default), redrawing one line on a terminal, else a line every `plain_interval`.
[[nodiscard]] runtime::ProgressFn
progress_printer(bool quiet, std::FILE* out = stderr,
                 std::chrono::seconds plain_interval = std::chrono::seconds(10));

} // namespace pct::cli
