// SPDX-License-Identifier: AGPL-3.0-or-later
// The lock table on a running busybox container: stop, shutdown, suspend and reboot refuse a
// `backup` lock by name and leave the container running, exec does not look at the lock (as in
// Proxmox); with `mounted`, shutdown and suspend still refuse while reboot and stop go through
// (Proxmox's vm_stop and the pre-start hook let `mounted` pass), and the lock stays.
#include "ct_env.hpp"
#include "ct_fixture.hpp"

#include <pct/runtime/locks.hpp>

#include <doctest/doctest.h>

using namespace pct;
using namespace std::chrono_literals;

namespace {

void check_locked(const Result<void>& r, std::string_view lock) {
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::bad_state);
    CHECK(r.error().key == "lock");
    CHECK(r.error().message == "CT is locked (" + std::string(lock) + ")");
}

template <class T> Result<void> as_void(const Result<T>& r) {
    if (!r)
        return std::unexpected(r.error());
    return {};
}

} // namespace

TEST_CASE("locks: a running CT refuses stop shutdown suspend and reboot by the lock's name") {
    if (pct::test::skip_containers("locks running"))
        return;
    test::CtHost env;
    Vmid id = test::unique_vmid(41);
    auto ct = env.create(id);
    const auto& host = env.host();
    auto set_lock = [&](const char* value) {
        auto lock = host.lock(id).value();
        auto cfg = host.read_config(id).value().config;
        cfg.main.options["lock"] = value;
        REQUIRE(host.write_config(lock, cfg).has_value());
    };
    REQUIRE(ct.start().has_value());
    REQUIRE(test::wait_boot(ct));

    set_lock("backup");
    check_locked(ct.stop(), "backup");
    check_locked(ct.shutdown({.timeout = 5s}), "backup");
    check_locked(ct.suspend(), "backup"); // before: suspend did not look at the lock
    check_locked(as_void(ct.reboot({.timeout = 5s})), "backup");
    CHECK(ct.state() == runtime::State::running); // nothing was stopped or frozen
    runtime::ExecOptions t;
    t.argv = {"true"};
    auto ran = ct.exec(t); // exec never looks at the lock
    REQUIRE(ran.has_value());
    CHECK(ran->exit_code == 0);

    set_lock("mounted");
    check_locked(ct.shutdown({.timeout = 5s}), "mounted");
    check_locked(ct.suspend(), "mounted");
    auto rebooted = ct.reboot({.timeout = 20s, .force = true}); // before: refused (mounted)
    REQUIRE_MESSAGE(rebooted.has_value(), (rebooted ? "" : rebooted.error().message));
    REQUIRE(test::wait_boot(ct));
    CHECK(host.read_config(id).value().config.main.get("lock") ==
          std::optional<std::string_view>("mounted")); // start does not clear it
    REQUIRE(ct.stop().has_value());
    CHECK(ct.state() == runtime::State::stopped);
    CHECK(runtime::unlock(host, id) == std::string("mounted"));
}
