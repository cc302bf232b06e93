// SPDX-License-Identifier: AGPL-3.0-or-later
// The task log of a backup (vzdump-format.md §1.2): `R/var/log/vzdump/lxc-<CTID>.log` written
// line by line (`YYYY-MM-DD HH:MM:SS LEVEL: text`, local time) while the run goes on, every
// line also handed to the caller as `LEVEL: text`, and copied beside the archive at the end,
// whether the backup succeeded or failed.
#pragma once

#include "unique_fd.hpp"

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/host.hpp>

#include <ctime>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail {

class BackupLog {
  public:
    using Sink = std::function<void(std::string_view)>;

    /// Creates (truncates) `R/var/log/vzdump/lxc-<vmid>.log`.
    [[nodiscard]] static Result<BackupLog> open(const storage::Host& host, Vmid vmid, Sink sink);

    void info(std::string_view text) { line("INFO", text); }
    void warn(std::string_view text); ///< also kept for `warnings()`
    void err(std::string_view text) { line("ERROR", text); }

    [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return m_warnings; }
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }

    /// Copies the log so far to `target` (0644, replaced atomically).
    [[nodiscard]] Result<void> copy_to(const std::string& target) const;

    /// `YYYY-MM-DD HH:MM:SS` in local time.
    [[nodiscard]] static std::string stamp(std::time_t t);
    /// This host's node name (the short host name), for `{{node}}`.
    [[nodiscard]] static std::string node_name();

  private:
    BackupLog(std::string path, UniqueFd fd, Sink sink)
        : m_path(std::move(path)), m_fd(std::move(fd)), m_sink(std::move(sink)) {}
    void line(std::string_view level, std::string_view text);

    std::string m_path;
    UniqueFd m_fd;
    Sink m_sink;
    std::vector<std::string> m_warnings;
};

} // namespace pct::runtime::detail
