// SPDX-License-Identifier: AGPL-3.0-or-later
// `create` made to fail, or killed, at each of its steps (allocate, mkfs, mount, extract,
// setup, config write; libpct/runtime/create_steps.hpp is the seam): a failed create leaves
// nothing, a killed one leaves at most a `lock: create` config that `destroy` removes with
// everything else. "Nothing" is checked on the host: no config, no volume or image folder, no
// lxc folder, no mount and no loop device under the test's host root.
#include "create_leftovers.hpp"
#include "create_steps.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pct;
using pct::runtime::detail::CreateStep;
using pct::test::CtHost;
using pct::test::sh;
namespace fs = std::filesystem;

namespace {

constexpr CreateStep all_steps[] = {CreateStep::allocate, CreateStep::mount, CreateStep::extract,
                                    CreateStep::setup, CreateStep::config};

// The options every case uses: the busybox template and the volumes create can make.
runtime::CreateOptions busybox_options() {
    runtime::CreateOptions o;
    o.ostemplate = test::busybox_template();
    o.options = {{"ostype", "debian"},
                 {"hostname", "faulty"},
                 {"rootfs", "local:0.25"},
                 {"mp0", "local:0.25,mp=/srv/data"},
                 {"mp1", "local:0,mp=/srv/sub"}};
    return o;
}

} // namespace

TEST_CASE("runtime create: a failure at each step leaves nothing") {
    if (test::skip_containers("runtime create faults"))
        return;
    CtHost env;
    Vmid id = test::unique_vmid(86);
    env.guard(id);
    for (CreateStep step : all_steps) {
        std::string name(runtime::detail::step_name(step));
        CAPTURE(name);
        int allocations = 0;
        auto hook = [&](CreateStep at) -> Result<void> {
            // allocate: at the last of the three volumes, the first two made already.
            if (at == step && (at != CreateStep::allocate || ++allocations == 3))
                return fail(Errc::io, "injected failure at " + name);
            return {};
        };
        auto r = runtime::detail::create_with_hook(env.host(), id, busybox_options(), hook);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::io);
        CHECK(r.error().message ==
              fmt::format("unable to create CT {} - injected failure at {}", id.value, name));
        CHECK_MESSAGE(test::create_leftovers(env, id).empty(),
                      test::joined(test::create_leftovers(env, id)));
    }
    // Nothing was in the way of the next create either.
    auto ok = runtime::create(env.host(), id, busybox_options());
    REQUIRE_MESSAGE(ok.has_value(), (ok ? "" : to_string(ok.error())));
    REQUIRE(ok->destroy({}).has_value());
    CHECK_MESSAGE(test::create_leftovers(env, id).empty(),
                  test::joined(test::create_leftovers(env, id)));
}

TEST_CASE("runtime create: a create killed at each step leaves nothing destroy cannot remove") {
    if (test::skip_containers("runtime create faults"))
        return;
    CtHost env;
    Vmid id = test::unique_vmid(87);
    env.guard(id);
    (void)test::busybox_template(); // built before the fork, not in the child
    for (CreateStep step : all_steps) {
        std::string name(runtime::detail::step_name(step));
        CAPTURE(name);
        int ready[2];
        REQUIRE(::pipe(ready) == 0);
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::close(ready[0]);
            int allocations = 0;
            auto hook = [&](CreateStep at) -> Result<void> {
                if (at == step && (at != CreateStep::allocate || ++allocations == 3)) {
                    (void)!::write(ready[1], "x", 1);
                    for (;;)
                        ::pause(); // killed here
                }
                return {};
            };
            auto r = runtime::detail::create_with_hook(env.host(), id, busybox_options(), hook);
            ::_exit(r ? 3 : 4); // never reached the step: the parent sees no byte
        }
        ::close(ready[1]);
        pollfd p{ready[0], POLLIN, 0};
        bool reached = ::poll(&p, 1, 60000) == 1 && (p.revents & POLLIN);
        char byte = 0;
        reached = reached && ::read(ready[0], &byte, 1) == 1;
        ::close(ready[0]);
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        REQUIRE(reached);
        REQUIRE(WIFSIGNALED(status));

        // The half-made container is marked and names what was made; destroy removes it.
        REQUIRE(env.host().exists(id));
        {
            std::string conf = test::read_text(env.host().config_path(id));
            CHECK(conf.find("lock: create\n") != std::string::npos);
            std::string ctid = std::to_string(id.value);
            CHECK(conf.find(fmt::format("rootfs: local:{0}/vm-{0}-disk-0.raw,size=256M\n", ctid)) !=
                  std::string::npos);
            CHECK(conf.find(fmt::format("mp0: local:{0}/vm-{0}-disk-1.raw,mp=/srv/data,size=256M\n",
                                        ctid)) != std::string::npos);
            auto ct = runtime::Container::open(env.host(), id);
            REQUIRE(ct.has_value());
            auto destroyed = ct->destroy({});
            CHECK_MESSAGE(destroyed.has_value(), (destroyed ? "" : to_string(destroyed.error())));
        }
        CHECK_MESSAGE(test::create_leftovers(env, id).empty(),
                      test::joined(test::create_leftovers(env, id)));
    }
}

TEST_CASE("runtime create: a failing mkfs leaves nothing") {
    if (test::skip_containers("runtime create faults"))
        return;
    CtHost env;
    Vmid id = test::unique_vmid(89);
    env.guard(id);
    // A mkfs.ext4 first in PATH that fails for the second volume (disk-1) only, so that the
    // rootfs is made and formatted first and must be freed again.
    test::TempDir bin("pct-fake-mkfs");
    test::write_text(bin.sub("mkfs.ext4"),
                     "#!/bin/sh\n"
                     "case \"$*\" in *disk-1*) echo 'mkfs: injected failure' >&2; exit 1;; esac\n"
                     "exec /usr/sbin/mkfs.ext4 \"$@\"\n");
    REQUIRE(::chmod(bin.sub("mkfs.ext4").c_str(), 0755) == 0);
    std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
    ::setenv("PATH", (bin.path() + ":" + old_path).c_str(), 1);
    auto r = runtime::create(env.host(), id, busybox_options());
    ::setenv("PATH", old_path.c_str(), 1);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::io);
    CHECK(r.error().key == "mp0");
    CHECK(r.error().message.starts_with(fmt::format("unable to create CT {} - ", id.value)));
    CHECK_MESSAGE(
        r.error().message.find("command 'mkfs.ext4 -O mmp -E root_owner=100000:100000 ") !=
            std::string::npos,
        r.error().message);
    CHECK(r.error().message.ends_with("-disk-1.raw' failed: exit code 1"));
    CHECK_MESSAGE(test::create_leftovers(env, id).empty(),
                  test::joined(test::create_leftovers(env, id)));
}

TEST_CASE("runtime create: a create killed during mkfs leaves nothing destroy cannot remove") {
    if (test::skip_containers("runtime create faults"))
        return;
    CtHost env;
    Vmid id = test::unique_vmid(93);
    env.guard(id);
    (void)test::busybox_template();
    // A mkfs.ext4 first in PATH that, for the second volume, says where it is and waits: the
    // image file exists, the config does not name it yet.
    test::TempDir bin("pct-slow-mkfs");
    std::string marker = bin.sub("mkfs-running");
    test::write_text(bin.sub("mkfs.ext4"),
                     fmt::format("#!/bin/sh\n"
                                 "case \"$*\" in *disk-1*) echo $$ > '{}'; exec sleep 600;; esac\n"
                                 "exec /usr/sbin/mkfs.ext4 \"$@\"\n",
                                 marker));
    REQUIRE(::chmod(bin.sub("mkfs.ext4").c_str(), 0755) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        std::string path = bin.path() + ":" + (std::getenv("PATH") ? std::getenv("PATH") : "");
        ::setenv("PATH", path.c_str(), 1);
        auto r = runtime::create(env.host(), id, busybox_options());
        ::_exit(r ? 3 : 4);
    }
    bool running = test::eventually([&] { return fs::exists(marker); }, std::chrono::seconds(60));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (running) // the sleeping mkfs, the child of the killed create
        (void)sh(fmt::format("kill -9 $(cat '{}')", marker));
    REQUIRE(running);
    REQUIRE(WIFSIGNALED(status));
    std::string image =
        fmt::format("{0}/var/lib/vz/images/{1}/vm-{1}-disk-1.raw", env.root(), id.value);
    CHECK(fs::exists(image));
    std::string conf = test::read_text(env.host().config_path(id));
    CHECK(conf.find("lock: create\n") != std::string::npos);
    CHECK(conf.find("vm-" + std::to_string(id.value) + "-disk-1.raw") == std::string::npos);
    auto ct = runtime::Container::open(env.host(), id);
    REQUIRE(ct.has_value());
    auto destroyed = ct->destroy({});
    CHECK_MESSAGE(destroyed.has_value(), (destroyed ? "" : to_string(destroyed.error())));
    CHECK_MESSAGE(test::create_leftovers(env, id).empty(),
                  test::joined(test::create_leftovers(env, id)));
}
