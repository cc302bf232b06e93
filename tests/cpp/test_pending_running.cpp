// SPDX-License-Identifier: AGPL-3.0-or-later
// The pending engine on real running containers: fast-plug keys live at once, a key that needs
// a restart pending with its reason (a forced deletion kept as `!KEY`), `pct pending` showing
// both, the next start applying them; and every `--dry-run` plan compared with what the real
// change then does.
#include "ct_env.hpp"
#include "ct_fixture.hpp"

#include <pct/parse/config.hpp>
#include <pct/runtime/pending.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace pct;
using pct::test::CtHost;
using runtime::ChangeEffect;
using runtime::ConfigChange;

namespace {

ContainerConfig read_config(const storage::Host& host, Vmid id) {
    auto parsed = host.read_config(id);
    REQUIRE_MESSAGE(parsed, (parsed ? "" : parsed.error().message));
    return parsed->config;
}

// The plan of `change`, then the change itself: both reports must agree key by key (effect
// and reason; the values too unless a MAC is generated).
runtime::ChangeReport plan_and_apply(const storage::Host& host, Vmid id,
                                     const ConfigChange& change) {
    auto plan = runtime::plan_config_change(host, id, change);
    REQUIRE_MESSAGE(plan, (plan ? "" : plan.error().message));
    auto done = runtime::update_config(host, id, change);
    REQUIRE_MESSAGE(done, (done ? "" : done.error().message));
    REQUIRE(plan->keys.size() == done->keys.size());
    for (std::size_t i = 0; i < plan->keys.size(); ++i) {
        INFO("key ", done->keys[i].key);
        CHECK(plan->keys[i].key == done->keys[i].key);
        CHECK(plan->keys[i].action == done->keys[i].action);
        CHECK(runtime::effect_name(plan->keys[i].effect) ==
              runtime::effect_name(done->keys[i].effect));
        CHECK(plan->keys[i].reason == done->keys[i].reason);
    }
    return *done;
}

const runtime::KeyChange& key_of(const runtime::ChangeReport& r, std::string_view key) {
    for (const auto& k : r.keys)
        if (k.key == key)
            return k;
    FAIL("no report entry for ", key);
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("pending running: fast-plug keys live and restart keys pending until the next start") {
    if (pct::test::skip_containers("pending running"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(94);
    auto ct = env.create(id, {{"hostname", "before"}, {"cmode", "tty"}, {"tty", "3"}});
    auto started = ct.start();
    REQUIRE_MESSAGE(started, (started ? "" : to_string(started.error())));
    REQUIRE(ct.running());

    ConfigChange change;
    change.set = {{"hostname", "after"}, {"cmode", "console"}, {"onboot", "1"}};
    change.deletes = {"!tty"};
    auto r = plan_and_apply(env.host(), id, change);
    CHECK(key_of(r, "hostname").effect == ChangeEffect::live);
    CHECK(key_of(r, "onboot").effect == ChangeEffect::live);
    CHECK(key_of(r, "cmode").effect == ChangeEffect::pending);
    CHECK(key_of(r, "cmode").reason == "needs a restart");
    CHECK(key_of(r, "tty").effect == ChangeEffect::pending);
    CHECK(key_of(r, "tty").reason == "needs a restart");

    ContainerConfig conf = read_config(env.host(), id);
    CHECK(conf.main.get("hostname") == "after");
    CHECK(conf.main.get("onboot") == "1");
    CHECK(conf.main.get("cmode") == "tty");
    CHECK(conf.pending.get("cmode") == "console");
    CHECK(conf.pending.get("delete") == "!tty");
    std::string shown = runtime::format_pending(runtime::pending_entries(conf));
    CHECK(shown.find("cur cmode: tty\nnew cmode: console\n") != std::string::npos);
    CHECK(shown.find("del tty: 3\n") != std::string::npos);

    // Setting a pending key back to its current value drops the pending entry (cleanup).
    auto back = plan_and_apply(env.host(), id, {.set = {{"cmode", "tty"}}});
    CHECK(key_of(back, "cmode").effect == ChangeEffect::unchanged);
    CHECK_FALSE(read_config(env.host(), id).pending.get("cmode"));
    REQUIRE(plan_and_apply(env.host(), id, {.set = {{"cmode", "console"}}}).keys.size() == 1);

    // The next start applies what was pending: deletions, then values.
    REQUIRE(ct.stop());
    auto again = ct.start();
    REQUIRE_MESSAGE(again, (again ? "" : to_string(again.error())));
    conf = read_config(env.host(), id);
    CHECK(conf.pending.empty());
    CHECK(conf.main.get("cmode") == "console");
    CHECK_FALSE(conf.main.get("tty"));
    CHECK(conf.main.get("hostname") == "after");
    REQUIRE(ct.stop());
}
