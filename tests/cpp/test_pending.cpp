// SPDX-License-Identifier: AGPL-3.0-or-later
// The pending engine on real config files of stopped containers (config-format §8): changes
// applied at once, Proxmox's refusals with their texts, cleanup of no-op pending entries,
// --revert, netN re-printed, replaced and deleted volumes kept as the lowest free unusedN, an
// owned unused volume freed, value normalization and equivalence, the plan agreeing with the
// real run, and the CLI (`pct set --dry-run`, `pct pending`). Running containers are in
// test_pending_running.cpp.
#include "shell.hpp"
#include "storage_host.hpp"
#include "temp_dir.hpp"

#include <pct/parse/config.hpp>
#include <pct/runtime/pending.hpp>
#include <pct/storage/storages.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <regex>

using namespace pct;
using runtime::ChangeEffect;
using runtime::ConfigChange;

namespace {

const char* const dir_storage = "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images\n";
constexpr Vmid ct100{100};

struct Env {
    test::StorageHost sh{dir_storage, "pct-pending"};
    const storage::Host& host() const { return sh.host(); }
    void write(const std::string& text, Vmid vmid = ct100) const {
        std::filesystem::create_directories(host().config_dir());
        test::write_text(host().config_path(vmid), text);
    }
    std::string text(Vmid vmid = ct100) const { return test::read_text(host().config_path(vmid)); }
    Result<runtime::ChangeReport> set(const ConfigChange& change) const {
        return runtime::update_config(host(), ct100, change);
    }
};

const char* const base = "arch: amd64\nhostname: ct\nmemory: 512\nostype: debian\n"
                         "rootfs: local:100/subvol-100-disk-0.subvol,size=8G\nswap: 512\n";

std::string pct_cli() { return PCT_CLI; }

} // namespace

TEST_CASE("pending: a stopped CT gets every change at once in canonical form") {
    Env env;
    env.write(base);
    ConfigChange c;
    c.set = {{"memory", "1024"}, {"onboot", "yes"}, {"cmode", "shell"}};
    c.deletes = {"swap"};
    auto r = env.set(c);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(env.text() == "arch: amd64\ncmode: shell\nhostname: ct\nmemory: 1024\nonboot: 1\n"
                        "ostype: debian\nrootfs: local:100/subvol-100-disk-0.subvol,size=8G\n");
    REQUIRE(r->keys.size() == 4);
    // Deletes first, then sets, each sorted.
    CHECK(r->keys[0].key == "swap");
    CHECK(r->keys[0].action == "delete");
    CHECK(r->keys[0].effect == ChangeEffect::applied);
    CHECK(r->keys[0].current == "512");
    CHECK_FALSE(r->keys[0].next);
    CHECK(r->keys[1].key == "cmode");
    CHECK(r->keys[2].key == "memory");
    CHECK(r->keys[2].current == "512");
    CHECK(r->keys[2].next == "1024");
    CHECK(r->keys[3].key == "onboot");
    CHECK(r->keys[3].next == "1");
    for (const auto& k : r->keys)
        CHECK(k.effect == ChangeEffect::applied);
}

TEST_CASE("pending: refusals carry Proxmox's texts and leave the file alone") {
    Env env;
    const std::string text = std::string(base) + "mp0: local:100/vm-100-disk-1.raw,mp=/data\n"
                                                 "protection: 1\nunprivileged: 1\n";
    env.write(text);
    auto refused = [&](ConfigChange c, Errc code, std::string_view key, std::string_view msg) {
        auto r = env.set(c);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == code);
        CHECK(r.error().key == key);
        CHECK(r.error().message == msg);
        CHECK(env.text() == text);
    };
    for (const char* key : {"memory", "rootfs", "ostype"})
        refused({.deletes = {key}}, Errc::invalid_argument, key,
                fmt::format("unable to delete required option '{}'", key));
    refused({.deletes = {"unprivileged"}}, Errc::invalid_argument, "unprivileged",
            "unable to delete read-only option: 'unprivileged'");
    refused({.set = {{"unprivileged", "0"}}}, Errc::invalid_argument, "unprivileged",
            "unable to modify read-only option: 'unprivileged'");
    refused({.deletes = {"mp0"}}, Errc::bad_state, "mp0",
            "can't remove CT 100 drive - protection mode enabled");
    refused({.set = {{"mp0", "local:100/vm-100-disk-2.raw,mp=/data"}}}, Errc::bad_state, "mp0",
            "can't update CT 100 drive 'mp0' - protection mode enabled");
    refused({.set = {{"swap", "1"}}, .deletes = {"swap"}}, Errc::invalid_argument, "swap",
            "you can't use '-swap' and -delete swap' at the same time");
    refused({.set = {{"swap", "1"}}, .reverts = {"swap"}}, Errc::invalid_argument, "swap",
            "you can't use '-swap' and '-revert swap' at the same time");
    refused({.set = {{"bogus", "1"}}}, Errc::invalid_argument, "bogus", "unknown option 'bogus'");
    refused({.set = {{"parent", "x"}}}, Errc::invalid_argument, "parent",
            "unknown option 'parent'");
    refused({.deletes = {"!bogus"}}, Errc::invalid_argument, "bogus", "unknown option 'bogus'");
    refused({}, Errc::invalid_argument, "", "no options specified");
    // The API's parameter verification: ranges, enums and formats of the schema.
    refused({.set = {{"cores", "0"}}}, Errc::invalid_argument, "cores",
            "value must have a minimum value of 1");
    refused({.set = {{"memory", "8"}}}, Errc::invalid_argument, "memory",
            "value must have a minimum value of 16");
    refused({.set = {{"hostname", "bad_name!"}}}, Errc::invalid_argument, "hostname",
            "invalid format - value does not look like a valid DNS name");
    refused({.set = {{"cmode", "serial"}}}, Errc::invalid_argument, "cmode",
            "value 'serial' does not have a value in the enumeration 'shell, console, tty'");
    refused({.set = {{"swap", "1"}}, .digest = std::string(40, '0')}, Errc::digest_mismatch,
            "digest", "detected modified configuration - file changed by other user? Try again.");

    auto hook = env.set({.set = {{"hookscript", "local:snippets/nosuch.sh"}}});
    REQUIRE_FALSE(hook);
    CHECK(hook.error().key == "hookscript");
    CHECK(hook.error().message == "script 'local:snippets/nosuch.sh' does not exist");

    auto bad = env.set({.set = {{"net0", "name=eth0,bridge=vmbr0,hwaddr=nope"}}});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::invalid_argument);
    CHECK(bad.error().key == "net0");
    CHECK(bad.error().subkey == "hwaddr");

    const std::string locked = std::string(base) + "lock: backup\n";
    env.write(locked);
    auto l = env.set({.set = {{"swap", "1"}}});
    REQUIRE_FALSE(l);
    CHECK(l.error().code == Errc::bad_state);
    CHECK(l.error().key == "lock");
    CHECK(l.error().message == "CT is locked (backup)");
    CHECK(env.text() == locked);
    auto missing = runtime::update_config(env.host(), Vmid{101}, {.set = {{"swap", "1"}}});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
}

TEST_CASE("pending: deleting a key that is not set warns and writes nothing") {
    Env env;
    env.write(base);
    auto r = env.set({.deletes = {"onboot", "onboot"}});
    REQUIRE(r);
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0] == "cannot delete 'onboot' - not set in current configuration!");
    REQUIRE(r->keys.size() == 1);
    CHECK(r->keys[0].effect == ChangeEffect::unchanged);
    CHECK(env.text() == base);
}

TEST_CASE("pending: cleanup drops no-op pending values and deletions of unset keys") {
    Env env;
    // memory is pending with its current value, `cores` is pending deletion but not set,
    // hostname is a real pending change (kept: only the keys of this change are applied).
    env.write(std::string(base) + "\n[pve:pending]\ndelete: cores,swap\nhostname: other\n"
                                  "memory: 512\n");
    auto r = env.set({.set = {{"onboot", "1"}}});
    REQUIRE(r);
    CHECK(env.text() == std::string(base).insert(std::string(base).find("ostype"), "onboot: 1\n") +
                            "\n[pve:pending]\ndelete: swap\nhostname: other\n");
    // A value equal to the current one after normalization is unchanged, nothing written.
    std::string before = env.text();
    auto same = env.set({.set = {{"rootfs", "local:100/subvol-100-disk-0.subvol,size=8192M"}}});
    REQUIRE(same);
    REQUIRE(same->keys.size() == 1);
    CHECK(same->keys[0].effect == ChangeEffect::unchanged);
    CHECK(same->keys[0].reason == "equal to the current value");
    CHECK(env.text() == before);
}

TEST_CASE("pending: revert drops a pending value and a pending deletion") {
    Env env;
    const std::string pending = "\n[pve:pending]\ndelete: !swap\nhostname: other\n";
    env.write(std::string(base) + pending);
    auto r = env.set({.reverts = {"hostname", "swap", "onboot"}});
    REQUIRE(r);
    CHECK(env.text() == base);
    REQUIRE(r->keys.size() == 3);
    CHECK(r->keys[0].key == "hostname");
    CHECK(r->keys[0].effect == ChangeEffect::applied);
    CHECK(r->keys[1].key == "onboot");
    CHECK(r->keys[1].effect == ChangeEffect::unchanged);
    CHECK(r->keys[2].key == "swap");
    CHECK(r->keys[2].effect == ChangeEffect::applied);
}

TEST_CASE("pending: netN is re-printed with type veth and a hwaddr and compared by MAC") {
    Env env;
    env.write(base);
    auto r = env.set({.set = {{"net0", "bridge=vmbr0,name=eth0"}}});
    REQUIRE(r);
    auto parsed = parse::config(env.text());
    REQUIRE(parsed);
    auto net0 = parsed->config.main.get("net0");
    REQUIRE(net0);
    CHECK(std::regex_match(std::string(*net0),
                           std::regex("name=eth0,bridge=vmbr0,hwaddr=BC:24:11:[0-9A-F:]{8},"
                                      "type=veth")));
    std::string lower = std::string(*net0);
    for (char& ch : lower)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto same = env.set({.set = {{"net0", lower}}});
    REQUIRE(same);
    CHECK(same->keys[0].effect == ChangeEffect::unchanged);
}

TEST_CASE("pending: replaced and deleted volume mps become the lowest free unusedN once") {
    Env env;
    env.write(std::string(base) +
              "mp0: local:100/vm-100-disk-1.raw,mp=/a\nmp1: local:100/vm-100-disk-2.raw,mp=/b\n"
              "mp2: /srv/bind,mp=/c\nmp3: local:100/vm-100-disk-4.raw,mp=/d\n"
              "unused0: local:100/vm-100-disk-9.raw\nunused2: local:100/vm-100-disk-4.raw\n");
    auto r = env.set(
        {.set = {{"mp0", "local:100/vm-100-disk-3.raw,mp=/a"}}, .deletes = {"mp1", "mp2", "mp3"}});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    auto parsed = parse::config(env.text());
    REQUIRE(parsed);
    const Section& main = parsed->config.main;
    // Deletes first: mp1's volume takes unused1 (the lowest free), the bind mount leaves
    // nothing, mp3's volume is already unused2; then mp0's old volume takes unused3.
    CHECK(main.get("unused0") == "local:100/vm-100-disk-9.raw");
    CHECK(main.get("unused1") == "local:100/vm-100-disk-2.raw");
    CHECK(main.get("unused2") == "local:100/vm-100-disk-4.raw");
    CHECK(main.get("unused3") == "local:100/vm-100-disk-1.raw");
    CHECK_FALSE(main.get("unused4"));
    CHECK(main.get("mp0") == "local:100/vm-100-disk-3.raw,mp=/a");
    CHECK_FALSE(main.get("mp1"));
    CHECK_FALSE(main.get("mp2"));
}

TEST_CASE("pending: deleting unusedN frees the volume the CT owns and nothing else") {
    Env env;
    auto storages = storage::Storages::load(env.host());
    REQUIRE(storages);
    // base's rootfs is subvol-100-disk-0: allocated first, so the others are new volumes.
    auto rootfs = storage::alloc_ct_disk(*storages, ct100, "local", 0, 0, 0);
    REQUIRE(rootfs == "local:100/subvol-100-disk-0.subvol");
    auto own = storage::alloc_ct_disk(*storages, ct100, "local", 0, 0, 0);
    auto used = storage::alloc_ct_disk(*storages, ct100, "local", 0, 0, 0);
    auto other = storage::alloc_ct_disk(*storages, Vmid{101}, "local", 0, 0, 0);
    REQUIRE_MESSAGE(own, (own ? "" : own.error().message));
    REQUIRE(used);
    REQUIRE(other);
    env.write(std::string(base) + fmt::format("mp0: {},mp=/x\nunused0: {}\nunused1: {}\n"
                                              "unused2: {}\n",
                                              *used, *own, *used, *other));
    auto path = [&](const std::string& v) {
        auto p = storages->path(v);
        REQUIRE(p);
        return *p;
    };
    const std::string own_path = path(*own), used_path = path(*used), other_path = path(*other);
    // The plan frees nothing.
    auto plan = runtime::plan_config_change(env.host(), ct100,
                                            {.deletes = {"unused0", "unused1", "unused2"}});
    REQUIRE(plan);
    CHECK(std::filesystem::exists(own_path));
    auto r = env.set({.deletes = {"unused0", "unused1", "unused2"}});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(plan->keys == r->keys);
    CHECK_FALSE(std::filesystem::exists(own_path));
    CHECK(std::filesystem::exists(used_path)); // mp0 still uses it
    CHECK(std::filesystem::exists(other_path));
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0] ==
          fmt::format("ignore deletion of '{}', CT 100 isn't the owner!", *other));
    auto parsed = parse::config(env.text());
    REQUIRE(parsed);
    CHECK_FALSE(parsed->config.main.get("unused0"));
    CHECK_FALSE(parsed->config.main.get("unused2"));
}

TEST_CASE("pending: values are normalized on set and compared as equivalent") {
    using runtime::equivalent_values;
    CHECK(equivalent_values("net0", "name=eth0,hwaddr=bc:24:11:aa:bb:cc",
                            "hwaddr=BC:24:11:AA:BB:CC,name=eth0"));
    CHECK_FALSE(equivalent_values("net0", "name=eth0,hwaddr=BC:24:11:AA:BB:CC",
                                  "name=eth0,hwaddr=BC:24:11:AA:BB:CD"));
    CHECK(
        equivalent_values("mp0", "local:1/a.raw,mp=/x,size=8G", "local:1/a.raw,size=8192M,mp=/x"));
    CHECK_FALSE(equivalent_values("mp0", "local:1/a.raw,mp=/x,size=8G", "local:1/a.raw,mp=/x"));
    CHECK(equivalent_values("tags", "b;A", "a,b"));
    CHECK(equivalent_values("nameserver", "1.1.1.1  8.8.8.8", "1.1.1.1 8.8.8.8"));
    CHECK(equivalent_values("onboot", "yes", "1"));
    CHECK(equivalent_values("cpulimit", "1.50", "1.5"));
    CHECK_FALSE(equivalent_values("memory", "512", "1024"));
    CHECK(equivalent_values("description", "x\n", "x"));

    Env env;
    env.write(base);
    auto r = env.set({.set = {{"tags", "zeta,Alpha;beta alpha"},
                              {"nameserver", " 1.1.1.1   8.8.8.8 "},
                              {"searchdomain", "a.example  b.example"}}});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    auto parsed = parse::config(env.text());
    REQUIRE(parsed);
    CHECK(parsed->config.main.get("tags") == "alpha;beta;zeta");
    CHECK(parsed->config.main.get("nameserver") == "1.1.1.1 8.8.8.8");
    CHECK(parsed->config.main.get("searchdomain") == "a.example b.example");
}

TEST_CASE("pending: pending_entries and format_pending print cur new del lines") {
    auto parsed = parse::config("#note\nmemory: 512\nswap: 0\ncores: 2\n\n[pve:pending]\n"
                                "#new note\ndelete: !swap\nhostname: h\nmemory: 1024\n");
    REQUIRE(parsed);
    auto entries = runtime::pending_entries(parsed->config);
    REQUIRE(entries.size() == 5);
    CHECK(entries[4].key == "swap");
    CHECK(entries[4].delete_mark == 2);
    CHECK(runtime::format_pending(entries) == "cur cores: 2\n"
                                              "cur description: note%0A\n"
                                              "new description: new note%0A\n"
                                              "new hostname: h\n"
                                              "cur memory: 512\nnew memory: 1024\n"
                                              "del swap: 0\n");
}

TEST_CASE(
    "pending: pct set --dry-run prints the plan and writes nothing and pct pending shows it") {
    Env env;
    env.write(std::string(base) + "\n[pve:pending]\nhostname: other\n");
    const std::string before = env.text();
    const std::string dry_run = fmt::format("'{}' --root '{}' set 100 --dry-run --memory 1024 "
                                            "--swap 512 --delete onboot --revert hostname",
                                            pct_cli(), env.sh.root());
    auto dry = test::sh("{ " + dry_run + " 2>/dev/null; }");
    CHECK(dry.status == 0);
    CHECK(dry.out == "onboot: unchanged (not set)\nmemory: applied\n"
                     "swap: unchanged (equal to the current value)\nhostname: applied\n");
    auto json = test::sh("{ " + dry_run + " --output-format json 2>/dev/null; }");
    CHECK(json.status == 0);
    CHECK(json.out ==
          R"([{"action":"delete","effect":"unchanged","key":"onboot","reason":"not set"},)"
          R"({"action":"set","current":"512","effect":"applied","key":"memory","next":"1024"},)"
          R"({"action":"set","current":"512","effect":"unchanged","key":"swap",)"
          R"("next":"512","reason":"equal to the current value"},)"
          R"({"action":"revert","current":"ct","effect":"applied","key":"hostname","next":"ct"}])"
          "\n");
    auto warned = test::sh("{ " + dry_run + " >/dev/null; }");
    CHECK(warned.out == "cannot delete 'onboot' - not set in current configuration!\n");
    CHECK(env.text() == before);
    auto pending = test::sh(fmt::format("'{}' --root '{}' pending 100", pct_cli(), env.sh.root()));
    CHECK(pending.status == 0);
    CHECK(pending.out == "cur arch: amd64\ncur hostname: ct\nnew hostname: other\n"
                         "cur memory: 512\ncur ostype: debian\n"
                         "cur rootfs: local:100/subvol-100-disk-0.subvol,size=8G\ncur swap: 512\n");
    auto real = test::sh(fmt::format("'{}' --root '{}' set 100 --memory 1024 --revert hostname",
                                     pct_cli(), env.sh.root()));
    CHECK(real.status == 0);
    CHECK(env.text() == "arch: amd64\nhostname: ct\nmemory: 1024\nostype: debian\n"
                        "rootfs: local:100/subvol-100-disk-0.subvol,size=8G\nswap: 512\n");
    auto bad =
        test::sh(fmt::format("'{}' --root '{}' set 100 --delete memory", pct_cli(), env.sh.root()));
    CHECK(bad.status == 255);
    CHECK(bad.out.find("unable to delete required option 'memory'") != std::string::npos);
}

TEST_CASE("pending: an mpN allocation request gets a new volume when it is applied") {
    Env env;
    auto storages = storage::Storages::load(env.host());
    REQUIRE(storages);
    REQUIRE(storage::alloc_ct_disk(*storages, ct100, "local", 0, 0, 0)); // base's rootfs
    env.write(base);
    ConfigChange c{.set = {{"mp0", "local:0,mp=/data"}}};
    auto plan = runtime::plan_config_change(env.host(), ct100, c);
    REQUIRE(plan);
    REQUIRE(plan->keys.size() == 1);
    CHECK(plan->keys[0].effect == ChangeEffect::applied);
    CHECK(plan->keys[0].next == "local:0,mp=/data"); // the plan allocates nothing
    auto listed = storages->list("local", ct100);
    REQUIRE(listed);
    CHECK(listed->size() == 1);

    auto r = env.set(c);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(r->keys[0].next == "local:100/subvol-100-disk-1.subvol,mp=/data,size=0T");
    auto parsed = parse::config(env.text());
    REQUIRE(parsed);
    CHECK(parsed->config.main.get("mp0") == "local:100/subvol-100-disk-1.subvol,mp=/data,size=0T");
    auto path = storages->path("local:100/subvol-100-disk-1.subvol");
    REQUIRE(path);
    CHECK(std::filesystem::is_directory(*path));

    // An existing volume is re-printed with its real size (apply_pending_mountpoint's rescan).
    auto rescanned =
        env.set({.set = {{"mp0", "local:100/subvol-100-disk-1.subvol,size=5G,mp=/d"}}});
    REQUIRE(rescanned);
    CHECK(rescanned->warnings.empty());
    CHECK(rescanned->keys[0].next == "local:100/subvol-100-disk-1.subvol,mp=/d,size=0T");

    // A request for a storage that does not exist allocates nothing and writes nothing.
    auto bad = env.set({.set = {{"mp1", "nosuch:1,mp=/x"}}});
    REQUIRE(bad);
    CHECK(bad->keys[0].effect == ChangeEffect::pending);
    CHECK(bad->keys[0].reason ==
          "unable to apply pending change mp1 : storage 'nosuch' does not exist");
    CHECK(bad->warnings.empty());
    CHECK(bad->errors == std::vector<std::string>{bad->keys[0].reason});
    // As Proxmox's update_vm: the change is written (mp1 stays pending), the call fails.
    auto parsed_bad = parse::config(env.text());
    REQUIRE(parsed_bad);
    CHECK(parsed_bad->config.pending.get("mp1") == "nosuch:1,mp=/x");
    auto cli = test::sh(
        fmt::format("'{}' --root '{}' set 100 --mp2 nosuch:1,mp=/y", pct_cli(), env.sh.root()));
    CHECK(cli.status == 255);
    CHECK(cli.out == "unable to apply pending change mp2 : storage 'nosuch' does not exist\n");
}
