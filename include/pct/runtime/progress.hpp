// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Progress of long work (template extraction, clone and move-volume copies, backup, restore):
/// the bytes done so far, the total when it is known, the rate and the time left. The library
/// calls a caller's function object with a `Progress`; the C ABI passes the same fields to a
/// callback (`pct_progress_fn`), pypct to a callable (`pypct.Progress`), and `pct` prints a
/// progress line on a terminal, periodic plain lines otherwise, nothing with `--quiet`.
///
/// Threading: the function is called on the thread that does the work, never concurrently with
/// itself for one operation; it must not call back into the same operation.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace pct::runtime {

/// One report of a phase of work.
struct Progress {
    /// What is being done: "extract", "backup", "restore", "copy", ... (stable words, for
    /// callers that show one line per phase).
    std::string phase;
    std::uint64_t bytes = 0; ///< done so far (archive bytes read or written, bytes copied)
    std::uint64_t total = 0; ///< the expected end of `bytes`; 0 when unknown
    double rate = 0;         ///< bytes per second since the phase began
    /// Seconds left at `rate`; nullopt when the total or the rate is unknown.
    std::optional<double> eta_seconds;
    bool done = false; ///< the last report of this phase
};

/// The caller's function; empty: no reports.
using ProgressFn = std::function<void(const Progress&)>;

/// Turns byte counts into `Progress` reports: at most one per `interval` while work goes on,
/// and always a final one (`done`) from `finish()`. Cheap to call per buffer.
class ProgressMeter {
  public:
    using Clock = std::chrono::steady_clock;

    ProgressMeter(ProgressFn fn, std::string phase, std::uint64_t total = 0,
                  Clock::duration interval = std::chrono::milliseconds(250));

    /// Counts `bytes` more done; reports when `interval` has passed since the last report.
    void add(std::uint64_t bytes);
    /// Sets the count done so far (for work measured from outside, e.g. a file's size).
    void set(std::uint64_t bytes);
    /// Sets the expected total (0: unknown).
    void set_total(std::uint64_t total) { m_report.total = total; }
    /// Reports the final state once (later calls do nothing).
    void finish();

    [[nodiscard]] std::uint64_t bytes() const noexcept { return m_report.bytes; }
    [[nodiscard]] bool active() const noexcept { return static_cast<bool>(m_fn); }

  private:
    void report(Clock::time_point now);

    ProgressFn m_fn;
    Progress m_report;
    Clock::duration m_interval;
    Clock::time_point m_start;
    Clock::time_point m_last;
    bool m_finished = false;
};

} // namespace pct::runtime
