// SPDX-License-Identifier: AGPL-3.0-or-later
// A real privileged container on this host (no AppArmor): its root can neither mount (seccomp
// denies the mount syscalls) nor write host-wide sysctls (/proc/sys read-only), and asking
// for mounts with features: nesting=1 starts it with a warning saying so.
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "ct_guard.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

#include <pct/lxcconf.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

using namespace pct;
using pct::test::CtHost;

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

runtime::ExecResult sh(runtime::Container& ct, const std::string& script) {
    runtime::ExecOptions o;
    o.argv = {"sh", "-c", script};
    auto r = ct.exec(o);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : to_string(r.error())));
    return *r;
}

bool host_has_apparmor() {
    auto facts = lxcconf::detect_host("/var/lib/lxc");
    return facts && facts->apparmor;
}

} // namespace

TEST_CASE("runtime confine: a privileged container cannot mount or write host sysctls") {
    if (pct::test::skip_containers("runtime confine"))
        return;
    const std::string core_before = read_text("/proc/sys/kernel/core_pattern");
    CtHost env;
    Vmid id = pct::test::unique_vmid(1);
    auto ct = env.create(id, {{"unprivileged", "0"}, {"hostname", "confine-ct"}});
    // The caller's log level goes into the LXC config: a line break in it is refused.
    runtime::StartOptions injected;
    injected.log_level = "WARN\nlxc.apparmor.profile = unconfined";
    auto refused = ct.start(injected);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == Errc::invalid_argument);
    CHECK(refused.error().key == "log_level");
    CHECK(ct.state() != runtime::State::running);

    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error()))
                                             << "\n"
                                             << ct.lxc_log());
    CHECK(started->warnings.empty());
    REQUIRE(pct::test::wait_boot(ct));

    // The container really is privileged: its root is the host's uid 0.
    CHECK(sh(ct, "cat /proc/self/uid_map").out.find("0          0 4294967295") !=
          std::string::npos);

    auto mount = sh(ct, "mkdir -p /mnt/p && mount -t proc proc /mnt/p");
    CHECK(mount.exit_code != 0);
    // EPERM from seccomp (busybox words it "permission denied (are you root?)").
    CHECK_MESSAGE(mount.err.find("permission denied") != std::string::npos, mount.err);
    CHECK(sh(ct, "test -e /mnt/p/sys/kernel/core_pattern").exit_code != 0);
    auto remount = sh(ct, "mount -o remount,rw /proc/sys");
    CHECK(remount.exit_code != 0);
    auto umount = sh(ct, "umount /proc/sys");
    CHECK(umount.exit_code != 0);
    CHECK(sh(ct, "grep -q ' /proc/sys proc ro,' /proc/mounts").exit_code == 0);

    auto write = sh(ct, "echo '|/bin/false %p' > /proc/sys/kernel/core_pattern");
    CHECK(write.exit_code != 0);
    CHECK_MESSAGE(write.err.find("Read-only file system") != std::string::npos, write.err);
    CHECK(read_text("/proc/sys/kernel/core_pattern") == core_before);
    // /sys is read-only too.
    CHECK(sh(ct, "echo 1 > /sys/kernel/mm/ksm/run").exit_code != 0);

    REQUIRE(ct.stop().has_value());
}

TEST_CASE("runtime confine: nesting=1 on a privileged container starts with a warning") {
    if (pct::test::skip_containers("runtime confine"))
        return;
    if (host_has_apparmor()) {
        MESSAGE("SKIP: this host has AppArmor, which confines nesting containers itself");
        return;
    }
    CtHost env;
    Vmid id = pct::test::unique_vmid(2);
    auto ct = env.create(id, {{"unprivileged", "0"}, {"features", "nesting=1"}});
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error())));
    REQUIRE(started->warnings.size() == 1);
    CHECK(started->warnings[0].starts_with("CT " + std::to_string(id.value) +
                                           " is privileged on a host without AppArmor, and "
                                           "features: nesting=1 allows it to mount"));
    REQUIRE(ct.stop().has_value());
}

TEST_CASE("runtime confine: pct start prints the nesting warning") {
    if (pct::test::skip_containers("runtime confine"))
        return;
    if (host_has_apparmor()) {
        MESSAGE("SKIP: this host has AppArmor, which confines nesting containers itself");
        return;
    }
    test::TempDir dir("pct-confine");
    Vmid id = pct::test::unique_vmid(3);
    test::CtGuard guard(storage::Host(dir.path()), {id});
    auto pct = [&](const std::string& args) {
        return test::sh(
            fmt::format("PCT_ROOT='{}' '{}/bin/pct' {} 2>&1", dir.path(), PCT_BINARY_DIR, args));
    };
    std::string ctid = std::to_string(id.value);
    auto r = pct(fmt::format("create {} '{}' --ostype debian --unprivileged 0 --features nesting=1",
                             ctid, pct::test::busybox_template()));
    REQUIRE_MESSAGE(r.status == 0, r.out);
    r = pct("start " + ctid);
    CHECK(r.status == 0);
    CHECK_MESSAGE(r.out.find("WARN: CT " + ctid +
                             " is privileged on a host without AppArmor, and features: "
                             "nesting=1 allows it to mount") != std::string::npos,
                  r.out);
    CHECK(pct("stop " + ctid).status == 0);
}
