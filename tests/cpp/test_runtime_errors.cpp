// SPDX-License-Identifier: AGPL-3.0-or-later
// Bad input never half-starts a container: each refusal is a clear error with a stable code
// (and key/file where there is one), and the host is left as it was.
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "temp_dir.hpp"

#include <pct/storage/atomic_file.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>

using namespace pct;
using namespace std::chrono_literals;
using pct::test::CtHost;
namespace fs = std::filesystem;

namespace {

void set_option(const storage::Host& host, Vmid id, const std::string& key,
                const std::string& value) {
    auto lock = host.lock(id).value();
    auto cfg = host.read_config(id).value().config;
    cfg.main.options[key] = value;
    REQUIRE(host.write_config(lock, cfg).has_value());
}

void check_clean(const runtime::Container& ct, Vmid id) {
    CHECK(ct.state() == runtime::State::stopped);
    CHECK(pct::test::eventually([&] { return pct::test::leftovers(id).empty(); }, 2s));
    for (const auto& l : pct::test::leftovers(id))
        MESSAGE("leftover: " << l);
}

} // namespace

TEST_CASE("runtime: a config failing validation does not start") {
    if (pct::test::skip_containers("runtime errors"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(30);
    auto ct = env.create(id);
    set_option(env.host(), id, "hostname", "not_a_valid_hostname!");
    auto r = ct.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::invalid_argument);
    CHECK(r.error().key == "hostname");
    CHECK(r.error().context == env.host().config_path(id));
    CHECK_FALSE(fs::exists(env.host().ct_dir(id) + "/config"));
    check_clean(ct, id);

    set_option(env.host(), id, "hostname", "fine");
    set_option(env.host(), id, "memory", "8"); // below the schema minimum of 16
    r = ct.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::invalid_argument);
    CHECK(r.error().key == "memory");
    check_clean(ct, id);
}

TEST_CASE("runtime: a missing rootfs is reported with its path") {
    if (pct::test::skip_containers("runtime errors"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(31);
    auto ct = env.create(id);
    std::string vol = fmt::format("local:{0}/subvol-{0}-disk-7.subvol", id.value);
    set_option(env.host(), id, "rootfs", vol);
    auto r = ct.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::not_found);
    CHECK(r.error().key == "rootfs");
    // Proxmox's activate_volumes before the start (pve-storage's activate_volume).
    CHECK(r.error().message == "volume '" + vol + "' does not exist");
    check_clean(ct, id);

    set_option(env.host(), id, "rootfs", "nosuchstorage:subvol-1");
    r = ct.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::not_found);
    CHECK(r.error().message == "storage 'nosuchstorage' does not exist");
    check_clean(ct, id);
}

TEST_CASE("runtime: liblxc refusing to start reports its reason and cleans up") {
    if (pct::test::skip_containers("runtime errors"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(32);
    auto ct = env.create(id);
    // An empty rootfs: liblxc cannot exec /sbin/init.
    std::string rootfs = env.root() + "/srv/empty-rootfs";
    fs::create_directories(rootfs);
    set_option(env.host(), id, "rootfs", "/srv/empty-rootfs");
    std::string cgroups_before = pct::test::own_cgroups();
    auto r = ct.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::lxc);
    CHECK(r.error().message.starts_with(
        fmt::format("startup for container '{}' failed: ", id.value)));
    MESSAGE("liblxc said: " << r.error().message);
    CHECK(r.error().context == env.host().ct_dir(id) + "/lxc.log");
    CHECK(ct.lxc_log().find("ERROR") != std::string::npos);
    CHECK(pct::test::own_cgroups() == cgroups_before);
    check_clean(ct, id);
}

TEST_CASE("runtime: starting a running CT is refused and leaves it running") {
    if (pct::test::skip_containers("runtime errors"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(33);
    auto ct = env.create(id);
    REQUIRE(ct.start().has_value());
    int pid = ct.init_pid();
    // A second handle (as another process would have) sees the same.
    auto other = runtime::Container::open(env.host(), id).value();
    auto r = other.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::bad_state);
    CHECK(r.error().message == fmt::format("CT {} already running", id.value));
    CHECK(ct.running());
    CHECK(ct.init_pid() == pid);
    REQUIRE(ct.stop().has_value());
    check_clean(ct, id);
}

TEST_CASE("runtime: the config lock serialises operations") {
    if (pct::test::skip_containers("runtime errors"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(34);
    auto ct = env.create(id);
    auto held = env.host().lock(id).value();
    // start waits for the lock (Proxmox: 10 s) and then reports the timeout.
    auto fast = storage::Host(env.root()).lock(id, 50ms);
    REQUIRE_FALSE(fast.has_value());
    CHECK(fast.error().message ==
          "can't lock file '" + env.host().lock_path(id) + "' - got timeout");
    held.release();
    auto r = ct.start();
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : to_string(r.error())));
    REQUIRE(ct.stop().has_value());
}

TEST_CASE("runtime: create refuses bad input and leaves nothing") {
    if (pct::test::skip_containers("runtime errors"))
        return;
    CtHost env;
    const auto& host = env.host();
    Vmid id = pct::test::unique_vmid(35);
    env.guard(id);
    auto attempt = [&](runtime::CreateOptions o) {
        if (o.ostemplate.empty())
            o.ostemplate = pct::test::busybox_template();
        return runtime::create(host, id, o);
    };
    auto code_of = [](const Result<runtime::Container>& r) {
        return r ? Errc::internal : r.error().code;
    };

    runtime::CreateOptions bad_value;
    bad_value.options = {{"memory", "lots"}};
    auto r = attempt(bad_value);
    CHECK(code_of(r) == Errc::invalid_argument);
    if (!r)
        CHECK(r.error().key == "memory");

    runtime::CreateOptions no_template;
    no_template.ostemplate = env.root() + "/nope.tar.zst";
    r = attempt(no_template);
    CHECK(code_of(r) == Errc::not_found);
    if (!r)
        CHECK(r.error().message == "can't find file '" + env.root() + "/nope.tar.zst'");

    std::string broken = env.root() + "/broken.tar.gz";
    pct::test::write_text(broken, "this is not gzip");
    runtime::CreateOptions bad_archive;
    bad_archive.ostemplate = broken;
    r = attempt(bad_archive);
    CHECK(code_of(r) == Errc::io);
    if (!r)
        CHECK(r.error().message.find("tar exit code") != std::string::npos);
    CHECK_FALSE(host.exists(id));
    CHECK_FALSE(fs::exists(fmt::format("{}/var/lib/vz/images/{}/subvol-{}-disk-0.subvol",
                                       env.root(), id.value, id.value)));

    runtime::CreateOptions bad_storage;
    bad_storage.options = {{"rootfs", "nosuch:4"}};
    CHECK(code_of(attempt(bad_storage)) == Errc::not_found);

    CHECK(code_of(runtime::create(host, Vmid{99}, {})) == Errc::invalid_argument);

    auto ok = attempt({});
    REQUIRE(ok.has_value());
    auto dup = attempt({});
    CHECK(code_of(dup) == Errc::already_exists);
    if (!dup)
        CHECK(dup.error().message == fmt::format("CT {} already exists", id.value));
    runtime::CreateOptions replace;
    replace.force = true;
    replace.options = {{"hostname", "replaced"}};
    auto forced = attempt(replace);
    REQUIRE(forced.has_value());
    CHECK(host.read_config(id).value().config.main.options.at("hostname") == "replaced");

    auto missing = runtime::Container::open(host, pct::test::unique_vmid(36));
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == Errc::not_found);
}

TEST_CASE("runtime: create refuses malformed volumes as Proxmox and makes no folder") {
    if (pct::test::skip_containers("runtime errors"))
        return;
    CtHost env;
    const auto& host = env.host();
    Vmid id = pct::test::unique_vmid(37);
    env.guard(id);
    auto attempt = [&](std::map<std::string, std::string> options) {
        runtime::CreateOptions o;
        o.ostemplate = pct::test::busybox_template();
        o.options = std::move(options);
        return runtime::create(host, id, o);
    };
    std::string images = fmt::format("{}/var/lib/vz/images", env.root());
    for (const char* name : {"-1", "1e3", "abc", "1.", "-0.5"}) {
        CAPTURE(name);
        auto r = attempt({{"rootfs", fmt::format("local:{}", name)}});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().key == "rootfs");
        CHECK(r.error().message == fmt::format("unable to parse directory volume name '{}'", name));
    }
    auto r = attempt({{"rootfs", "local:100/vm-100-disk-0"}}); // no extension
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "unable to parse volume filename 'vm-100-disk-0'");
    r = attempt({{"rootfs", "local:vztmpl/x.tar.gz"}});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message ==
          "volume name 'vztmpl/x.tar.gz' is not a container volume (content type 'vztmpl')");
    r = attempt({{"rootfs", "local:2"}, {"mp0", "local:abc,mp=/data"}});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::invalid_argument);
    CHECK(r.error().key == "mp0");
    CHECK(r.error().message == "unable to parse directory volume name 'abc'");
    for (const char* key : {"lock", "unused0", "parent"}) {
        CAPTURE(key);
        r = attempt({{key, key == std::string("lock") ? "backup" : "local:1"}});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().key == key);
    }
    CHECK_FALSE(host.exists(id));
    CHECK_FALSE(fs::exists(images));

    // The forms Proxmox allocates: a fractional size (truncated to MiB) and a bare size.
    r = attempt({{"rootfs", "local:0.5"}, {"description", "first line\nsecond: line"}});
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    auto text = storage::read_file(host.config_path(id)).value();
    CHECK(text.starts_with("#first line\n#second%3A line\n")); // encode_text escapes ":"
    CHECK(text.find(fmt::format("rootfs: local:{0}/subvol-{0}-disk-0.subvol,size=512M\n",
                                id.value)) != std::string::npos);
    CHECK(host.read_config(id).value().config.main.description == "first line\nsecond: line\n");
    runtime::CreateOptions bare;
    bare.ostemplate = pct::test::busybox_template();
    bare.force = true;
    bare.options = {{"rootfs", "2"}};
    REQUIRE(runtime::create(host, id, bare).has_value());
    CHECK(host.read_config(id).value().config.main.options.at("rootfs") ==
          fmt::format("local:{0}/subvol-{0}-disk-0.subvol,size=2G", id.value));
}

TEST_CASE("runtime: start refuses a missing bind source and a missing hookscript") {
    if (pct::test::skip_containers("runtime errors"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(38);
    auto ct = env.create(id);
    struct Case {
        const char* key;
        const char* value;
        Errc code;
        std::string message;
    };
    for (const auto& c : {Case{"mp0", "/srv/data,mp=/data", Errc::not_found,
                               "directory '" + env.root() + "/srv/data' does not exist"},
                          Case{"hookscript", "local:snippets/hook.pl", Errc::bad_state,
                               fmt::format("hookscript error for {} on pre-start: script "
                                           "'local:snippets/hook.pl' does not exist",
                                           id.value)}}) {
        CAPTURE(c.key);
        auto cfg = env.host().read_config(id).value().config;
        cfg.main.options.erase("mp0");
        cfg.main.options.erase("hookscript");
        cfg.main.options[c.key] = c.value;
        {
            auto lock = env.host().lock(id).value();
            REQUIRE(env.host().write_config(lock, cfg).has_value());
        }
        auto r = ct.start();
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == c.code);
        CHECK(r.error().key == c.key);
        CHECK(r.error().message == c.message);
        check_clean(ct, id);
    }

    // A pending deletion of the mount point is applied first: then the CT starts.
    auto cfg = env.host().read_config(id).value().config;
    cfg.main.options.erase("hookscript");
    cfg.main.options["mp1"] = "/srv/data,mp=/data";
    cfg.pending.options["delete"] = "mp1";
    {
        auto lock = env.host().lock(id).value();
        REQUIRE(env.host().write_config(lock, cfg).has_value());
    }
    runtime::StartOptions bad_level;
    bad_level.log_level = "WARN\nlxc.apparmor.profile = unconfined";
    auto r = ct.start(bad_level);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::invalid_argument);
    CHECK(r.error().key == "log_level");
    runtime::StartOptions info;
    info.log_level = "info";
    auto started = ct.start(info);
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message));
    auto lxc_conf = storage::read_file(env.host().ct_dir(id) + "/config").value();
    CHECK(lxc_conf.find("lxc.log.level = INFO\n") != std::string::npos);
    CHECK_FALSE(env.host().read_config(id).value().config.main.options.contains("mp1"));
    runtime::StopOptions stop;
    stop.timeout = 20s;
    CHECK(ct.stop(stop).has_value());
}
