// SPDX-License-Identifier: AGPL-3.0-or-later
// `create` made to fail, or killed, at each of its steps (allocate, mkfs, mount, extract,
// setup, config write; libpct/runtime/create_steps.hpp is the seam): a failed create leaves
// nothing, a killed one leaves at most a `lock: create` config that `destroy` removes with
// everything else. "Nothing" is checked on the host: no config, no volume or image folder, no
// lxc folder, no mount and no loop device under the test's host root.
#include "create_steps.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <csignal>
#include <filesystem>
#include <poll.h>
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
    o.options = {{"ostype", "debian"}, {"hostname", "faulty"}};
    return o;
}

// What a create or destroy of `id` may have left under the host root: each item says what.
std::vector<std::string> leftovers(const CtHost& env, Vmid id) {
    std::vector<std::string> left;
    if (env.host().exists(id))
        left.push_back("config " + env.host().config_path(id));
    for (const std::string& dir :
         {fmt::format("{}/var/lib/vz/images/{}", env.root(), id.value), env.host().ct_dir(id)})
        if (fs::exists(dir))
            left.push_back("folder " + dir);
    std::string mounts = test::read_text("/proc/self/mountinfo");
    std::istringstream lines(mounts);
    for (std::string line; std::getline(lines, line);)
        if (line.find(env.root()) != std::string::npos)
            left.push_back("mount " + line);
    auto loops = sh("losetup -a -l -n -O NAME,BACK-FILE 2>/dev/null");
    std::istringstream loop_lines(loops.out);
    for (std::string line; std::getline(loop_lines, line);)
        if (line.find(env.root()) != std::string::npos)
            left.push_back("loop " + line);
    return left;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += i + "\n";
    return out;
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
        auto hook = [&](CreateStep at) -> Result<void> {
            if (at == step)
                return fail(Errc::io, "injected failure at " + name);
            return {};
        };
        auto r = runtime::detail::create_with_hook(env.host(), id, busybox_options(), hook);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::io);
        CHECK(r.error().message ==
              fmt::format("unable to create CT {} - injected failure at {}", id.value, name));
        CHECK_MESSAGE(leftovers(env, id).empty(), joined(leftovers(env, id)));
    }
    // Nothing was in the way of the next create either.
    auto ok = runtime::create(env.host(), id, busybox_options());
    REQUIRE_MESSAGE(ok.has_value(), (ok ? "" : to_string(ok.error())));
    REQUIRE(ok->destroy({}).has_value());
    CHECK_MESSAGE(leftovers(env, id).empty(), joined(leftovers(env, id)));
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
            auto hook = [&](CreateStep at) -> Result<void> {
                if (at == step) {
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

        // The half-made container is marked; destroy removes all of it.
        if (env.host().exists(id)) {
            std::string conf = test::read_text(env.host().config_path(id));
            CHECK(conf.find("lock: create\n") != std::string::npos);
            auto ct = runtime::Container::open(env.host(), id);
            REQUIRE(ct.has_value());
            auto destroyed = ct->destroy({});
            CHECK_MESSAGE(destroyed.has_value(), (destroyed ? "" : to_string(destroyed.error())));
        }
        CHECK_MESSAGE(leftovers(env, id).empty(), joined(leftovers(env, id)));
    }
}
