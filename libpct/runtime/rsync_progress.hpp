// SPDX-License-Identifier: AGPL-3.0-or-later
// The progress rsync reports with `--info=progress2 --no-inc-recursive` (one line for the whole
// transfer, redrawn with '\r': "  1,234,567  42%   12.34MB/s    0:00:03 (xfr#2, to-chk=0/5)"),
// turned into `Progress` reports of phase "copy" for copy_volume.
#pragma once

#include <pct/runtime/progress.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pct::runtime::detail {

/// One progress line: the bytes sent so far and the percentage of the whole transfer.
struct RsyncProgress {
    std::uint64_t bytes = 0;
    unsigned percent = 0;
    friend bool operator==(const RsyncProgress&, const RsyncProgress&) = default;
};

/// The numbers of one progress line (digit grouping of any locale ignored); nullopt for
/// anything else rsync prints (its `--stats` lines, blank lines).
[[nodiscard]] std::optional<RsyncProgress> parse_rsync_progress(std::string_view line);

/// Feeds rsync's stdout, in chunks as read, to a meter: each complete line (ended by '\r' or
/// '\n') that is a progress line sets the bytes and, from the percentage, the expected total
/// (rsync knows it once its file list is complete; the estimate's error is below 1/(2p+1)).
class RsyncProgressFeed {
  public:
    explicit RsyncProgressFeed(ProgressMeter& meter) : m_meter(meter) {}
    void operator()(std::string_view chunk);

  private:
    void line(std::string_view text);

    ProgressMeter& m_meter;
    std::string m_partial;
};

} // namespace pct::runtime::detail
