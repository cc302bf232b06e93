// SPDX-License-Identifier: AGPL-3.0-or-later
// The `pct` runtime commands end to end on a temporary root ($PCT_ROOT and --root): Proxmox's
// flags, output formats and exit codes.
#include "ct_env.hpp"
#include "ct_guard.hpp"
#include "temp_dir.hpp"

#include <pct/storage/host.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace pct;
using pct::test::sh;

namespace {

struct Cli {
    std::string root;
    test::CommandResult operator()(const std::string& args) const {
        return sh(fmt::format("PCT_ROOT='{}' '{}/bin/pct' {}", root, PCT_BINARY_DIR, args));
    }
};

} // namespace

TEST_CASE("runtime cli: create then start and status and exec and list and shutdown and destroy") {
    if (pct::test::skip_containers("runtime cli"))
        return;
    test::TempDir dir("pct-cli");
    Vmid id = pct::test::unique_vmid(70);
    test::CtGuard guard(storage::Host(dir.path()), {id});
    Cli pct{dir.path()};
    std::string ctid = std::to_string(id.value);

    auto r =
        pct(fmt::format("create {} '{}' --hostname cli-ct --memory 96 --ostype debian --start 1",
                        ctid, pct::test::busybox_template()));
    REQUIRE_MESSAGE(r.status == 0, r.out);
    CHECK(pct("status " + ctid).out == "status: running\n");
    auto verbose = pct("status " + ctid + " --verbose").out;
    CHECK(verbose.find("maxmem: 100663296\n") != std::string::npos);
    CHECK(verbose.find("name: cli-ct\n") != std::string::npos);
    CHECK(verbose.find("type: lxc\n") != std::string::npos);

    // stdout/stderr pass through; the command's exit code is pct's.
    r = pct("exec " + ctid + " -- sh -c 'hostname; echo err >&2; exit 4'");
    CHECK(r.status == 4);
    CHECK(r.out == "cli-ct\nerr\n");
    CHECK(pct("exec " + ctid).status == 255); // missing command

    r = pct("list");
    CHECK(r.out == fmt::format("{:<10} {:<10} {:<12} {:<20}\n{:<10} {:<10} {:<12} {:<20}\n", "VMID",
                               "Status", "Lock", "Name", ctid, "running", "", "cli-ct"));

    r = pct("start " + ctid);
    CHECK(r.status == 255);
    CHECK(r.out == "CT " + ctid + " already running\n");

    CHECK(pct("suspend " + ctid).status == 0);
    CHECK(pct("resume " + ctid).status == 0);
    CHECK(pct("shutdown " + ctid + " --timeout 20 --forceStop 1").status == 0);
    CHECK(pct("status " + ctid).out == "status: stopped\n");
    r = pct("stop " + ctid + " --skiplock");
    CHECK(r.status == 255);
    CHECK(r.out == "CT " + ctid + " not running\n");

    // --root overrides $PCT_ROOT
    r = sh(fmt::format("PCT_ROOT=/nonexistent '{}/bin/pct' --root '{}' status {}", PCT_BINARY_DIR,
                       dir.path(), ctid));
    CHECK(r.out == "status: stopped\n");

    CHECK(pct("start " + ctid).status == 0);
    r = pct("destroy " + ctid);
    CHECK(r.status == 255);
    CHECK(r.out == "CT " + ctid + " is running - destroy failed\n");
    CHECK(pct("destroy " + ctid + " --force --purge").status == 0);
    CHECK(pct("list").out.empty());
    r = pct("status " + ctid);
    CHECK(r.status == 255);
    CHECK(r.out == fmt::format("Configuration file '{}/etc/pve/lxc/{}.conf' does not exist\n",
                               dir.path(), ctid));
    CHECK(pct::test::leftovers(id).empty());
}
