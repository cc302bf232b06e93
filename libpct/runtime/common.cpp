// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cgroups.hpp"
#include "impl.hpp"
#include "unique_fd.hpp"

#include "pct/internal/open_regular.hpp"

#include <pct/model/split_list.hpp>
#include <pct/parse/properties.hpp>
#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::runtime {

Result<lxc_container*> Container::Impl::lxc() {
    if (!handle) {
        // Stamped before liblxc reads it: a change in between shows as a mismatch later.
        auto stamp = detail::file_stamp(host.ct_dir(vmid) + "/config");
        auto h = detail::LxcHandle::open(name, host.lxcpath());
        if (!h)
            return std::unexpected(std::move(h).error());
        handle = std::move(*h);
        handle_config = stamp;
        handle_opened = std::chrono::steady_clock::now();
    }
    return handle.get();
}

void Container::Impl::reload_if_changed() {
    constexpr auto fresh = std::chrono::seconds(2);
    if (handle && handle_config && std::chrono::steady_clock::now() - handle_opened < fresh &&
        detail::file_stamp(host.ct_dir(vmid) + "/config") == handle_config)
        return;
    reload();
}

const char* to_string(State state) noexcept {
    switch (state) {
    case State::stopped:
        return "STOPPED";
    case State::starting:
        return "STARTING";
    case State::running:
        return "RUNNING";
    case State::stopping:
        return "STOPPING";
    case State::aborting:
        return "ABORTING";
    case State::freezing:
        return "FREEZING";
    case State::frozen:
        return "FROZEN";
    case State::thawed:
        return "THAWED";
    }
    return "STOPPED";
}

const char* status_word(State state) noexcept {
    return detail::is_live(state) ? "running" : "stopped";
}

namespace detail {

State parse_state(const char* text) noexcept {
    if (!text)
        return State::stopped;
    std::string_view s = text;
    if (s == "RUNNING")
        return State::running;
    if (s == "STARTING")
        return State::starting;
    if (s == "STOPPING")
        return State::stopping;
    if (s == "ABORTING")
        return State::aborting;
    if (s == "FREEZING")
        return State::freezing;
    if (s == "FROZEN")
        return State::frozen;
    if (s == "THAWED")
        return State::thawed;
    return State::stopped;
}

bool is_live(State s) noexcept { return s != State::stopped && s != State::aborting; }

std::optional<FileStamp> file_stamp(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    auto ns = [](const timespec& t) {
        return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
    };
    return FileStamp{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                     static_cast<std::uint64_t>(st.st_size), ns(st.st_mtim), ns(st.st_ctim)};
}

bool holds_exactly(int dirfd, const std::string& name, std::string_view content, unsigned mode,
                   std::optional<Owner> owner) {
    // Looked at before it is opened: a device node or FIFO planted under the name is never
    // opened (open_regular.hpp).
    UniqueFd path_fd(::openat(dirfd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (path_fd.get() < 0)
        return false;
    struct stat st {};
    UniqueFd file(storage::detail::reopen_if_regular(path_fd.get(), st));
    int fd = file.get();
    if (fd < 0)
        return false;
    bool same =
        st.st_nlink == 1 && (st.st_mode & 07777) == mode &&
        (owner ? st.st_uid == owner->uid && st.st_gid == owner->gid : st.st_uid == ::geteuid()) &&
        static_cast<std::size_t>(st.st_size) == content.size();
    if (same) {
        // One byte more than expected, so a file that grew since fstat does not compare equal.
        std::string have(content.size() + 1, '\0');
        std::size_t got = 0;
        while (got < have.size()) {
            ssize_t n = ::read(fd, have.data() + got, have.size() - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += static_cast<std::size_t>(n);
        }
        same = std::string_view(have.data(), got) == content;
    }
    return same;
}

Result<void> write_derived_file(const std::string& path, std::string_view content, unsigned mode) {
    if (holds_exactly(AT_FDCWD, path, content, mode))
        return {};
    return storage::write_file_atomic(path, content, static_cast<mode_t>(mode),
                                      storage::Durability::atomic_only);
}

std::string log_path(const storage::Host& host, Vmid vmid) {
    return host.ct_dir(vmid) + "/lxc.log";
}

namespace {

// In liblxc's line format ("lxc NAME TIMESTAMP LEVEL ..."), so readers of the log see one more
// line.
constexpr std::string_view log_marker = " INFO     libpct - start of container ";

} // namespace

void begin_log_section(const std::string& path, Vmid vmid) {
    int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && static_cast<std::size_t>(st.st_size) > max_log_size)
        flags |= O_TRUNC;
    int fd = ::open(path.c_str(), flags, 0600);
    if (fd < 0)
        return; // liblxc creates it; the error text just loses its section
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    std::tm utc{};
    ::gmtime_r(&now.tv_sec, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &utc);
    std::string line = fmt::format("lxc {} {}.{:03}{}{}\n", vmid.value, stamp,
                                   now.tv_nsec / 1000000, log_marker, vmid.value);
    (void)!::write(fd, line.data(), line.size());
    ::close(fd);
}

std::string_view last_log_section(std::string_view text) {
    auto at = text.rfind(log_marker);
    if (at == std::string_view::npos)
        return text;
    auto nl = text.find('\n', at);
    return nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
}

std::string log_errors(const std::string& path) {
    std::string text = read_text_file(path).value_or("");
    std::istringstream in{std::string(last_log_section(text))};
    std::string line;
    std::vector<std::string> messages;
    while (std::getline(in, line)) {
        // "lxc 100 20240101120000.123 ERROR start - ../src/lxc/start.c:fn:123 - Message"
        if (line.find(" ERROR ") == std::string::npos)
            continue;
        auto dash = line.rfind(" - ");
        std::string msg = dash == std::string::npos ? line : line.substr(dash + 3);
        if (std::find(messages.begin(), messages.end(), msg) == messages.end())
            messages.push_back(std::move(msg));
    }
    if (messages.size() > 6)
        messages.erase(messages.begin() + 3, messages.end() - 3);
    return fmt::format("{}", fmt::join(messages, "; "));
}

Result<ContainerSettings> settings_of(const ContainerConfig& config, const std::string& path) {
    auto s = parse::settings(config.main);
    if (!s) {
        Error e = std::move(s).error();
        if (e.context.empty())
            e.context = path;
        return std::unexpected(std::move(e));
    }
    return std::move(*s);
}

Result<std::string> rootfs_dir(const storage::Host& host, Vmid vmid,
                               const ContainerSettings& settings) {
    if (!settings.rootfs) {
        return fail(Errc::invalid_argument, "missing 'rootfs' configuration",
                    {.context = host.config_path(vmid), .key = "rootfs"});
    }
    auto dir = host.volume_path(vmid, settings.rootfs->volume);
    if (!dir) {
        Error e = std::move(dir).error();
        e.key = "rootfs";
        if (e.context.empty())
            e.context = host.config_path(vmid);
        return std::unexpected(std::move(e));
    }
    return std::move(*dir);
}

bool wait_state(lxc_container* c, const char* state, std::chrono::milliseconds timeout) {
    // liblxc's wait() takes whole seconds; round up so short timeouts still wait.
    auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(timeout + std::chrono::milliseconds(999));
    return c->wait(c, state, static_cast<int>(std::max<std::int64_t>(secs.count(), 1)));
}

void cleanup_cgroups(Vmid vmid) { remove_leftover_cgroups(read_cgroup_mounts(), vmid); }

std::string set_lxc_key(std::string_view text, std::string_view key, std::string_view value) {
    std::string out;
    bool done = false;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        std::string_view k = line.substr(0, line.find('='));
        while (!k.empty() && (k.back() == ' ' || k.back() == '\t'))
            k.remove_suffix(1);
        if (k == key && line.find('=') != std::string_view::npos) {
            if (!done)
                out += fmt::format("{} = {}\n", key, value);
            done = true;
            continue;
        }
        out += line;
        out += '\n';
    }
    if (!done)
        out += fmt::format("{} = {}\n", key, value);
    return out;
}

std::string get_lxc_key(std::string_view text, std::string_view key) {
    std::string found;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        auto eq = line.find('=');
        if (eq == std::string_view::npos)
            continue;
        std::string_view k = line.substr(0, eq);
        while (!k.empty() && (k.back() == ' ' || k.back() == '\t'))
            k.remove_suffix(1);
        if (k != key)
            continue;
        std::string_view v = line.substr(eq + 1);
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
            v.remove_prefix(1);
        found = std::string(v);
    }
    return found;
}

} // namespace detail
} // namespace pct::runtime
