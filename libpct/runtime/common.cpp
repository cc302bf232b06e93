// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cgroups.hpp"
#include "impl.hpp"

#include <pct/parse/properties.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace pct::runtime {

Result<lxc_container*> Container::Impl::lxc() {
    if (!handle) {
        auto h = detail::LxcHandle::open(name, host.lxcpath());
        if (!h)
            return std::unexpected(std::move(h).error());
        handle = std::move(*h);
    }
    return handle.get();
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

Error make_error(Errc code, std::string message, std::string context) {
    Error e;
    e.code = code;
    e.message = std::move(message);
    e.context = std::move(context);
    return e;
}

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

std::string log_path(const storage::Host& host, Vmid vmid) {
    return host.ct_dir(vmid) + "/lxc.log";
}

std::string log_errors(const std::string& path) {
    std::ifstream in(path);
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

bool apply_pending(ContainerConfig& config) {
    Section& pending = config.pending;
    if (pending.empty())
        return false;
    if (auto del = pending.get("delete")) {
        std::string list(*del);
        std::replace_if(
            list.begin(), list.end(), [](char c) { return c == ',' || c == ';'; }, ' ');
        std::istringstream words(list);
        std::string key;
        while (words >> key) {
            if (!key.empty() && key.front() == '!')
                key.erase(0, 1);
            if (key == "description")
                config.main.description.clear();
            else
                config.main.options.erase(key);
        }
    }
    for (const auto& [key, value] : pending.options)
        if (key != "delete")
            config.main.options[key] = value;
    if (!pending.description.empty())
        config.main.description = pending.description;
    pending = Section{};
    return true;
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
        Error e = make_error(Errc::invalid_argument, "missing 'rootfs' configuration",
                             host.config_path(vmid));
        e.key = "rootfs";
        return std::unexpected(std::move(e));
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

Result<void> check_lock(const ContainerConfig& config, bool allow_mounted) {
    auto lock = config.main.get("lock");
    if (!lock || (allow_mounted && *lock == "mounted"))
        return {};
    Error e = make_error(Errc::bad_state, fmt::format("CT is locked ({})", *lock));
    e.key = "lock";
    return std::unexpected(std::move(e));
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
