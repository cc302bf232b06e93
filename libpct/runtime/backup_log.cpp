// SPDX-License-Identifier: AGPL-3.0-or-later
// The task log of a backup (backup_log.hpp).
#include "backup_log.hpp"

#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace pct::runtime::detail {

Result<BackupLog> BackupLog::open(const storage::Host& host, Vmid vmid, Sink sink) {
    std::string dir = host.host_path("/var/log/vzdump");
    if (auto ok = storage::make_dirs(dir, 0755); !ok)
        return std::unexpected(std::move(ok).error());
    std::string path = fmt::format("{}/lxc-{}.log", dir, vmid.value);
    UniqueFd fd(::open(path.c_str(),
                       O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (fd.get() < 0)
        return std::unexpected(storage::io_error("open", path, errno));
    return BackupLog(std::move(path), std::move(fd), std::move(sink));
}

void BackupLog::warn(std::string_view text) {
    m_warnings.emplace_back(text);
    line("WARN", text);
}

void BackupLog::line(std::string_view level, std::string_view text) {
    // One log line per line of text: a message never breaks the `STAMP LEVEL: ` layout.
    std::size_t start = 0;
    do {
        auto end = text.find('\n', start);
        std::string_view part = text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        std::string shown = fmt::format("{}: {}", level, part);
        std::string out = fmt::format("{} {}\n", stamp(std::time(nullptr)), shown);
        // The log is best effort: a full disk must not turn a good backup into a failed one.
        (void)!::write(m_fd.get(), out.data(), out.size());
        if (m_sink)
            m_sink(shown);
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    } while (start < text.size());
}

Result<void> BackupLog::copy_to(const std::string& target) const {
    auto text = storage::read_file(m_path);
    if (!text)
        return std::unexpected(std::move(text).error());
    return storage::write_file_atomic(target, *text, 0644);
}

std::string BackupLog::stamp(std::time_t t) {
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

std::string BackupLog::node_name() {
    utsname u{};
    if (::uname(&u) != 0)
        return "localhost";
    std::string name = u.nodename;
    return name.substr(0, name.find('.'));
}

} // namespace pct::runtime::detail
