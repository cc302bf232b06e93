// SPDX-License-Identifier: AGPL-3.0-or-later
// runtime::push / runtime::pull and `pct push|pull` on a running unprivileged busybox CT:
// sizes 0, 1 byte and a sparse 80 MiB file round-trip byte-exact; --user/--group by name from
// the CT's /etc/passwd land as the CT's ids (host ids mapped); symlinks planted in the CT never
// lead a copy to a host file; FIFOs are refused; a stopped CT is refused with Proxmox's text.
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/files.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace pct;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const std::string& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << data;
}

/// `sh -c SCRIPT` inside; its stdout (REQUIREd to exit 0).
std::string in_ct(runtime::Container& ct, const std::string& script) {
    runtime::ExecOptions o;
    o.argv = {"sh", "-c", script};
    auto r = ct.exec(o);
    REQUIRE(r.has_value());
    REQUIRE_MESSAGE(r->exit_code == 0, script, ": ", r->err);
    return r->out;
}

std::string pct_cli(const std::string& root, const std::string& args) {
    auto r = test::sh(fmt::format("'{}/bin/pct' --root '{}' {}", PCT_BINARY_DIR, root, args));
    return fmt::format("{}|{}", r.status, r.out);
}

} // namespace

TEST_CASE("files: push and pull round-trip sizes and owners and refuse symlinks and FIFOs") {
    if (pct::test::skip_containers("files"))
        return;
    test::CtHost env;
    test::TempDir work("pct-files");
    Vmid id = test::unique_vmid(57);
    auto ct = env.create(id, {{"unprivileged", "1"}});
    std::string src = work.path() + "/src";
    std::string back = work.path() + "/back";

    spit(src, "x");
    auto refused = runtime::push(ct, src, "/tmp/x");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == Errc::bad_state);
    CHECK(refused.error().message == "can only push files to a running CT");
    refused = runtime::pull(ct, "/etc/hostname", back);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message == "can only pull files from a running CT");
    CHECK_FALSE(fs::exists(back));

    REQUIRE(ct.start().has_value());
    REQUIRE(test::wait_boot(ct));

    SUBCASE("sizes 0 and 1 and a sparse 80 MiB file round-trip byte-exact and stay sparse") {
        std::string big(80u << 20, '\0');
        big.replace(0, 5, "start");
        big.replace(big.size() - 3, 3, "end");
        for (const std::string& data : {std::string(), std::string("1"), big}) {
            if (data.size() == big.size()) { // written with a hole in the middle
                spit(src, "start");
                fs::resize_file(src, big.size() - 3);
                std::ofstream(src, std::ios::binary | std::ios::app) << "end";
            } else
                spit(src, data);
            REQUIRE(runtime::push(ct, src, "/root/f").has_value());
            CHECK(in_ct(ct, "stat -c '%s %u:%g %a' /root/f") ==
                  fmt::format("{} 0:0 644\n", data.size()));
            fs::remove(back);
            REQUIRE(runtime::pull(ct, "/root/f", back).has_value());
            CHECK(fs::file_size(back) == data.size());
            CHECK((slurp(back) == data));
            // Only the data extents were copied, both ways: the hole stayed a hole.
            struct stat in_ct_st {
            }, back_st{};
            std::string pushed = fmt::format("/proc/{}/root/root/f", ct.init_pid());
            REQUIRE(::stat(pushed.c_str(), &in_ct_st) == 0);
            REQUIRE(::stat(back.c_str(), &back_st) == 0);
            CHECK(in_ct_st.st_blocks * 512 < (4 << 20));
            CHECK(back_st.st_blocks * 512 < (4 << 20));
        }
        // A shorter push over a longer file leaves nothing of the old content.
        spit(src, "ab");
        REQUIRE(runtime::push(ct, src, "/root/f").has_value());
        CHECK(in_ct(ct, "cat /root/f") == "ab");
    }

    SUBCASE("user and group by name from the CT are mapped to the host ids") {
        in_ct(ct, "echo 'alice:x:1000:1001::/home:/bin/sh' >> /etc/passwd; "
                  "echo 'staff2:x:1001:' >> /etc/group");
        spit(src, "secret");
        REQUIRE(runtime::push(ct, src, "/tmp/owned",
                              {.user = "alice", .group = "staff2", .perms = 04750})
                    .has_value());
        // Inside, the CT's own ids and the mode asked for (setuid kept: set after the chown).
        CHECK(in_ct(ct, "stat -c '%u:%g %a' /tmp/owned") == "1000:1001 4750\n");
        struct stat st {};
        std::string on_host = fmt::format("/proc/{}/root/tmp/owned", ct.init_pid());
        REQUIRE(::stat(on_host.c_str(), &st) == 0);
        CHECK(st.st_uid == 101000);
        CHECK(st.st_gid == 101001);
        auto unknown =
            runtime::push(ct, src, "/tmp/o2", {.user = "nobody-here", .group = {}, .perms = {}});
        REQUIRE_FALSE(unknown.has_value());
        CHECK(unknown.error().code == Errc::not_found);
        CHECK(unknown.error().message == "unknown user 'nobody-here'");
        auto unmapped =
            runtime::push(ct, src, "/tmp/o2", {.user = "70000", .group = {}, .perms = {}});
        REQUIRE_FALSE(unmapped.has_value());
        CHECK(unmapped.error().message == "user id 70000 is not mapped in the container");
        CHECK(in_ct(ct, "test -e /tmp/o2 || echo absent") == "absent\n");
    }

    SUBCASE("symlinks in the CT never lead to a host file") {
        std::string secret = work.path() + "/host-secret";
        spit(secret, "host data");
        in_ct(ct, fmt::format("ln -s '{}' /tmp/evil; ln -s ../../../../../../../../'{}' /tmp/up",
                              secret, work.path()));
        spit(src, "overwrite");
        // The last component is never followed.
        auto r = runtime::push(ct, src, "/tmp/evil");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().message == "'/tmp/evil' is a symlink: refusing to write through it");
        // A directory link is resolved inside the CT: the host folder does not exist there.
        r = runtime::push(ct, src, "/tmp/up/planted");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::not_found);
        CHECK_FALSE(fs::exists(work.path() + "/planted"));
        CHECK(slurp(secret) == "host data");
        // Reading follows the link inside the CT only: the CT has no such file.
        r = runtime::pull(ct, "/tmp/evil", back);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::not_found);
        CHECK_FALSE(fs::exists(back));
        // A FIFO (or device) inside is never read; a host symlink as destination is refused.
        in_ct(ct, "mkfifo /tmp/fifo");
        r = runtime::pull(ct, "/tmp/fifo", back);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message == "'/tmp/fifo' is not a regular file");
        fs::create_symlink(secret, back);
        r = runtime::pull(ct, "/etc/hostname", back);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(slurp(secret) == "host data");
    }

    SUBCASE("pct push and pull with Proxmox's flags") {
        std::string ctid = std::to_string(id.value);
        spit(src, "via cli\n");
        CHECK(pct_cli(env.root(),
                      fmt::format("push {} '{}' /root/cli -perms 600 -user 0", ctid, src)) == "0|");
        CHECK(in_ct(ct, "stat -c '%a' /root/cli; cat /root/cli") == "600\nvia cli\n");
        CHECK(pct_cli(env.root(), fmt::format("pull {} /root/cli '{}' --perms 0640", ctid, back)) ==
              "0|");
        CHECK(slurp(back) == "via cli\n");
        CHECK((fs::status(back).permissions() & fs::perms::mask) ==
              (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
        CHECK(pct_cli(env.root(), fmt::format("push {} '{}' /root/x --perms 9", ctid, src)) ==
              "255|invalid perms '9': expected an octal (or 0x hexadecimal) mode up to 07777\n");
        CHECK(pct_cli(env.root(), fmt::format("pull {} /nonexistent '{}'", ctid, back))
                  .starts_with("255|"));
        REQUIRE(ct.stop().has_value());
        CHECK(pct_cli(env.root(), fmt::format("push {} '{}' /root/cli", ctid, src)) ==
              "255|can only push files to a running CT\n");
    }
}

TEST_CASE("files: in a privileged CT the owner asked for is the host id itself") {
    if (pct::test::skip_containers("files"))
        return;
    test::CtHost env;
    test::TempDir work("pct-files");
    Vmid id = test::unique_vmid(58);
    auto ct = env.create(id, {{"unprivileged", "0"}});
    REQUIRE(ct.start().has_value());
    REQUIRE(test::wait_boot(ct));
    std::string src = work.path() + "/src";
    spit(src, "p");
    REQUIRE(runtime::push(ct, src, "/tmp/p", {.user = "1000", .group = "1001", .perms = 0600})
                .has_value());
    CHECK(in_ct(ct, "stat -c '%u:%g %a' /tmp/p") == "1000:1001 600\n");
    struct stat st {};
    std::string on_host = fmt::format("/proc/{}/root/tmp/p", ct.init_pid());
    REQUIRE(::stat(on_host.c_str(), &st) == 0);
    CHECK(st.st_uid == 1000);
    CHECK(st.st_gid == 1001);
    // Without --user/--group: the container's root, which is the host's root here.
    REQUIRE(runtime::push(ct, src, "/tmp/q").has_value());
    CHECK(in_ct(ct, "stat -c '%u:%g %a' /tmp/q") == "0:0 644\n");
}

TEST_CASE("files: perms text is octal with an optional 0 or hexadecimal after 0x") {
    CHECK(runtime::parse_perms("644").value() == 0644);
    CHECK(runtime::parse_perms("0755").value() == 0755);
    CHECK(runtime::parse_perms("04750").value() == 04750);
    CHECK(runtime::parse_perms("0x1ed").value() == 0755);
    for (const char* bad : {"", "9", "0x", "10000", "rwx", "644 ", "-1", "0x1000"}) {
        auto r = runtime::parse_perms(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().key == "perms");
    }
}
