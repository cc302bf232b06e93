// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cgroups.hpp"
#include "hookscript.hpp"
#include "impl.hpp"
#include "mount.hpp"
#include "volume_rules.hpp"

#include <pct/parse/properties.hpp>
#include <pct/runtime/volumes.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

namespace pct::runtime {

Container::Container(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Container::Container(Container&&) noexcept = default;
Container& Container::operator=(Container&&) noexcept = default;
Container::~Container() = default;

Result<Container> Container::open(const storage::Host& host, Vmid vmid) {
    if (auto ok = storage::Host::check_vmid(vmid.value); !ok)
        return std::unexpected(std::move(ok).error());
    if (!host.exists(vmid))
        return fail(Errc::not_found,
                    fmt::format("Configuration file '{}' does not exist", host.config_path(vmid)),
                    {.context = host.config_path(vmid)});
    auto impl = std::make_unique<Impl>(Impl{host, vmid, std::to_string(vmid.value), {}, {}, {}});
    if (auto c = impl->lxc(); !c)
        return std::unexpected(std::move(c).error());
    return Container(std::move(impl));
}

Vmid Container::vmid() const noexcept { return m_impl->vmid; }
const storage::Host& Container::host() const noexcept { return m_impl->host; }

State Container::state() const {
    auto c = m_impl->lxc();
    if (!c)
        return State::stopped;
    return detail::parse_state((*c)->state(*c));
}

bool Container::running() const { return detail::is_live(state()); }

int Container::init_pid() const {
    auto c = m_impl->lxc();
    if (!c || !(*c)->is_running(*c))
        return 0;
    pid_t pid = (*c)->init_pid(*c);
    return pid > 0 ? pid : 0;
}

namespace {

Error not_running(Vmid vmid) {
    return error(Errc::bad_state, fmt::format("CT {} not running", vmid.value));
}

// liblxc's hard stop, waited for.
Result<void> hard_stop(lxc_container* c) {
    c->stop(c);
    if (!detail::wait_state(c, "STOPPED", std::chrono::seconds(30)))
        return fail(Errc::lxc, "container did not stop");
    return {};
}

} // namespace

// What stop and shutdown hold while they act: the config lock, taken before the container is
// found running and its config's `lock` is checked, and the liblxc handle.
struct Container::Impl::RunningOp {
    storage::ConfigLock lock;
    lxc_container* c = nullptr;
    Section main; ///< the config's main section (for the hookscript)
};

Result<Container::Impl::RunningOp> Container::Impl::begin_running_op(LockedOp op, bool skiplock) {
    auto lock = host.lock(vmid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    auto c = lxc();
    if (!c)
        return std::unexpected(std::move(c).error());
    if (!detail::is_live(detail::parse_state((*c)->state(*c))))
        return std::unexpected(not_running(vmid));
    auto conf = host.read_config(vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    if (auto ok = check_lock(conf->config, op, skiplock); !ok)
        return std::unexpected(std::move(ok).error());
    return RunningOp{std::move(*lock), *c, std::move(conf->config.main)};
}

Result<void> Container::stop(const StopOptions& options) {
    auto op = m_impl->begin_running_op(LockedOp::stop, options.skiplock);
    if (!op)
        return std::unexpected(std::move(op).error());
    lxc_container* c = op->c;
    // pre-stop and post-stop hook failures are only warnings in Proxmox; stop has no channel
    // for warnings, so they are not reported.
    (void)detail::run_hookscript(m_impl->host, m_impl->vmid, op->main, "pre-stop");
    if (!c->stop(c) && running())
        return fail(Errc::lxc, fmt::format("failed to stop CT {}", m_impl->vmid.value));
    if (!detail::wait_state(c, "STOPPED", options.timeout))
        return fail(Errc::lxc, "container did not stop");
    detail::cleanup_cgroups(m_impl->vmid);
    (void)detail::run_hookscript(m_impl->host, m_impl->vmid, op->main, "post-stop");
    return {};
}

Result<void> Container::shutdown(const ShutdownOptions& options) {
    return m_impl->shutdown(*this, options, LockedOp::shutdown);
}

Result<void> Container::Impl::shutdown(const Container& self, const ShutdownOptions& options,
                                       LockedOp rule) {
    auto op = begin_running_op(rule, options.skiplock);
    if (!op)
        return std::unexpected(std::move(op).error());
    lxc_container* c = op->c;
    (void)detail::run_hookscript(host, vmid, op->main, "pre-stop");
    // liblxc sends the halt signal once. An init that has not installed its handler yet (a
    // shutdown right after start) ignores it, as PID 1 ignores default-action signals, so
    // the signal is sent again every second until the container stops or time runs out.
    // A repeat reaches an init that is already halting: busybox has reset its handlers by then
    // (ignored), systemd and sysvinit treat it as the same request.
    bool down = false;
    auto deadline = std::chrono::steady_clock::now() + options.timeout;
    do {
        c->shutdown(c, 0);
        if (options.timeout.count() <= 0)
            break; // a zero timeout only sends the signal
        down = detail::wait_state(c, "STOPPED", std::chrono::seconds(1));
    } while (!down && std::chrono::steady_clock::now() < deadline);
    if (!down && !self.running())
        down = true;
    if (!down) {
        if (!options.force)
            return fail(Errc::bad_state, "container did not stop");
        if (auto ok = hard_stop(c); !ok)
            return ok;
    }
    detail::cleanup_cgroups(vmid);
    (void)detail::run_hookscript(host, vmid, op->main, "post-stop");
    return {};
}

Result<StartReport> Container::reboot(const ShutdownOptions& options) {
    if (!running())
        return std::unexpected(not_running(m_impl->vmid));
    if (auto ok = m_impl->shutdown(*this, options, LockedOp::reboot); !ok)
        return std::unexpected(std::move(ok).error());
    return start();
}

Result<void> Container::suspend() {
    auto op = m_impl->begin_running_op(LockedOp::suspend);
    if (!op)
        return std::unexpected(std::move(op).error());
    if (state() == State::frozen)
        return {};
    if (!op->c->freeze(op->c))
        return fail(Errc::lxc, fmt::format("failed to freeze CT {}", m_impl->vmid.value));
    return {};
}

Result<void> Container::resume() {
    auto c = m_impl->lxc();
    if (!c)
        return std::unexpected(std::move(c).error());
    State s = state();
    if (!detail::is_live(s))
        return std::unexpected(not_running(m_impl->vmid));
    if (s != State::frozen && s != State::freezing)
        return fail(Errc::bad_state, fmt::format("CT {} is not suspended", m_impl->vmid.value));
    if (!(*c)->unfreeze(*c))
        return fail(Errc::lxc, fmt::format("failed to thaw CT {}", m_impl->vmid.value));
    return {};
}

namespace {

// The CT's folder of a storage (`.../images/<CTID>`) goes with its last volume; anything else
// (a folder still holding volumes, another CT's) stays, as rmdir removes only empty folders.
void remove_empty_owner_dir(const std::string& volume_path, Vmid vmid) {
    std::filesystem::path dir = std::filesystem::path(volume_path).parent_path();
    for (; !dir.empty() && dir != dir.root_path(); dir = dir.parent_path())
        if (dir.filename() == std::to_string(vmid.value)) {
            ::rmdir(dir.c_str());
            return;
        }
}

} // namespace

Result<void> Container::destroy(const DestroyOptions& options) {
    auto& host = m_impl->host;
    Vmid vmid = m_impl->vmid;
    auto lock = host.lock(vmid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    auto conf = host.read_config(vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    const auto& main = conf->config.main;
    if (auto p = main.get("protection"); p && *p == "1")
        return fail(Errc::bad_state,
                    fmt::format("can't remove CT {} - protection mode enabled", vmid.value));
    // A `create` lock under the config lock is a create that died half-way (a live create
    // holds the config lock until it is done): what it made is removed like any container.
    if (auto ok = check_lock(conf->config, LockedOp::destroy); !ok)
        return ok;
    if (running()) {
        if (!options.force)
            return fail(Errc::bad_state,
                        fmt::format("CT {} is running - destroy failed", vmid.value));
        auto c = m_impl->lxc();
        if (!c)
            return std::unexpected(std::move(c).error());
        if (auto ok = hard_stop(*c); !ok)
            return ok;
    }
    // Whatever is still mounted under the rootfs mount path (a killed create's mount_all):
    // unmounted before any volume is freed or the CT directory removed, so that neither
    // reaches into a volume or a bind-mounted host directory.
    if (auto ok = detail::umount_below(detail::rootfs_mount_path(host, vmid)); !ok)
        return ok;
    // Volumes first: each storage volume of rootfs, mpN and unusedN (also pending ones) that
    // the CT owns (storage.md §7.8); bind sources, devices and other CTs' volumes stay.
    auto storages = storage::Storages::load(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    auto owner_of = [&](std::string_view volid) -> std::optional<Vmid> {
        auto ref = storages->parse_volume(volid);
        return ref ? ref->owner : std::nullopt;
    };
    auto plan = detail::plan_destroy_volumes(conf->config, vmid, owner_of);
    // A create killed while it allocated a volume (mkfs running) left one its config does not
    // name yet: every volume of this CTID on the storages its volumes are on is its own.
    if (main.get("lock") == "create") {
        std::vector<std::string> named = plan.free;
        for (const auto& vol : named) {
            auto ref = storages->parse_volume(vol);
            if (!ref)
                continue;
            auto owned = storages->list(ref->storage, vmid);
            if (!owned)
                continue;
            for (const auto& info : *owned)
                if (std::ranges::find(plan.free, info.volid) == plan.free.end())
                    plan.free.push_back(info.volid);
        }
    }
    for (const auto& volid : plan.free) {
        auto path = storages->path(volid);
        if (auto ok = storages->free(volid); !ok)
            return ok;
        if (path)
            remove_empty_owner_dir(*path, vmid);
    }
    m_impl->reload();
    std::error_code ec;
    std::filesystem::remove_all(host.ct_dir(vmid), ec);
    if (ec)
        return std::unexpected(storage::io_error("remove", host.ct_dir(vmid), ec.value()));
    if (auto ok = host.remove_config(*lock); !ok)
        return ok;
    detail::cleanup_cgroups(vmid);
    return {};
}

std::string Container::lxc_log() const {
    auto text = detail::read_text_file(detail::log_path(m_impl->host, m_impl->vmid));
    return text ? std::string(detail::last_log_section(*text)) : std::string();
}

ConsoleFd::ConsoleFd(ConsoleFd&& o) noexcept
    : m_tty(std::exchange(o.m_tty, -1)), m_fd(std::exchange(o.m_fd, -1)),
      m_hold(std::exchange(o.m_hold, -1)) {}

ConsoleFd& ConsoleFd::operator=(ConsoleFd&& o) noexcept {
    if (this != &o) {
        close();
        m_tty = std::exchange(o.m_tty, -1);
        m_fd = std::exchange(o.m_fd, -1);
        m_hold = std::exchange(o.m_hold, -1);
    }
    return *this;
}

ConsoleFd::~ConsoleFd() { close(); }

void ConsoleFd::close() noexcept {
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_hold >= 0 && m_hold != m_fd)
        ::close(m_hold);
    m_fd = m_hold = -1;
}

Result<std::vector<ListEntry>> list(const storage::Host& host) {
    auto ids = host.list();
    if (!ids)
        return std::unexpected(std::move(ids).error());
    std::vector<ListEntry> out;
    for (Vmid id : *ids) {
        ListEntry e;
        e.vmid = id;
        auto handle = detail::LxcHandle::open(std::to_string(id.value), host.lxcpath());
        if (handle)
            e.state = detail::parse_state((*handle)->state(handle->get()));
        e.status = status_word(e.state);
        std::string name = fmt::format("CT{}", id.value);
        if (auto conf = host.read_config(id)) {
            if (auto h = conf->config.main.get("hostname"); h && !h->empty())
                name = std::string(*h);
            if (auto l = conf->config.main.get("lock"))
                e.lock = std::string(*l);
        }
        std::erase_if(name, [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
        e.name = std::move(name);
        out.push_back(std::move(e));
    }
    return out;
}

std::string format_list(const std::vector<ListEntry>& entries) {
    if (entries.empty())
        return {};
    std::string out =
        fmt::format("{:<10} {:<10} {:<12} {:<20}\n", "VMID", "Status", "Lock", "Name");
    for (const auto& e : entries)
        out += fmt::format("{:<10} {:<10} {:<12} {:<20}\n", e.vmid.value, e.status, e.lock, e.name);
    return out;
}

} // namespace pct::runtime
