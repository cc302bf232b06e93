// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct template` and `pct clone` on real containers: a full clone from a dir storage to btrfs
// and two linked clones of a btrfs template start, and what one side writes the other never
// sees; new MACs, the machine-id cleared, no lock left behind; Proxmox's refusals, and a clone
// that fails half way leaves neither volumes, nor a config, nor the source's lock.
#include "bridge.hpp"
#include "btrfs_loop.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "ct_guard.hpp"
#include "ct_setup.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

#include <pct/parse/properties.hpp>
#include <pct/runtime/clone.hpp>
#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>
#include <pct/runtime/snapshots.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/storages.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <future>
#include <memory>

using namespace pct;
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t mapped_root = 100000;

// A host root with the storages `local` (dir) and `bt` (btrfs on a loop file at R/mnt/bt).
// Destruction: containers (guard), then the btrfs, then the tree.
class CloneHost {
  public:
    explicit CloneHost(bool with_btrfs)
        : m_btrfs(with_btrfs ? std::make_unique<test::BtrfsLoop>(m_dir.path() + "/mnt/bt", 3072)
                             : nullptr),
          m_host(m_dir.path()), m_guard(m_host, {}) {
        test::write_text(m_dir.path() + "/etc/pve/storage.cfg",
                         "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images,vztmpl\n\n"
                         "dir: nort\n\tpath /srv/nort\n\tcontent images\n" +
                             std::string(with_btrfs ? "\nbtrfs: bt\n\tpath /mnt/bt\n\tcontent "
                                                      "rootdir,images\n"
                                                    : ""));
    }
    [[nodiscard]] bool btrfs_missing() const { return m_btrfs && !m_btrfs->available(); }
    [[nodiscard]] std::string why() const { return m_btrfs ? m_btrfs->why() : ""; }
    [[nodiscard]] const storage::Host& host() const { return m_host; }
    /// `pct --root R ARGS` with stdout and stderr.
    [[nodiscard]] test::CommandResult pct(const std::string& args) const {
        return test::sh(fmt::format("{} --root '{}' {} 2>&1", PCT_CLI, m_dir.path(), args));
    }
    [[nodiscard]] std::string path(const std::string& abs) const { return m_host.host_path(abs); }
    void guard(Vmid id) { m_guard.add(id); }

    runtime::Container create(Vmid id, std::map<std::string, std::string> options) {
        m_guard.add(id);
        options.emplace("ostype", "debian");
        runtime::CreateOptions co;
        co.ostemplate = test::busybox_template();
        co.options = std::move(options);
        auto ct = runtime::create(m_host, id, co);
        REQUIRE_MESSAGE(ct, (ct ? "" : to_string(ct.error())));
        return std::move(*ct);
    }
    [[nodiscard]] ContainerConfig config(Vmid id) const {
        auto c = m_host.read_config(id);
        REQUIRE_MESSAGE(c, (c ? "" : c.error().message));
        return c->config;
    }
    [[nodiscard]] std::string get(Vmid id, std::string_view key) const {
        return std::string(config(id).main.get(key).value_or(""));
    }
    void set(Vmid id, const std::string& key, const std::string& value) const {
        auto doc = storage::ConfigDocument::load(m_host, id);
        REQUIRE(doc);
        REQUIRE(doc->set("", key, value));
        REQUIRE(doc->commit());
    }
    void remove(Vmid id, const std::string& key) const {
        auto doc = storage::ConfigDocument::load(m_host, id);
        REQUIRE(doc);
        REQUIRE(doc->remove("", key));
        REQUIRE(doc->commit());
    }

  private:
    test::TempDir m_dir{"pct-rt"};
    std::unique_ptr<test::BtrfsLoop> m_btrfs;
    storage::Host m_host;
    test::CtGuard m_guard;
};

// Runs `sh -c script` in the container; returns its exit code.
int in_ct(runtime::Container& ct, const std::string& script) {
    runtime::ExecOptions o;
    o.argv = {"sh", "-c", script};
    auto r = ct.exec(o);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return r->exit_code;
}

runtime::Container started(const storage::Host& host, Vmid id) {
    auto ct = runtime::Container::open(host, id);
    REQUIRE(ct);
    auto s = ct->start();
    REQUIRE_MESSAGE(s, (s ? "" : to_string(s.error())));
    REQUIRE(test::wait_boot(*ct));
    return std::move(*ct);
}

std::string hwaddr(std::string_view net) {
    auto n = parse::net(net);
    REQUIRE(n);
    return n->hwaddr.value_or("");
}

bool skip(const CloneHost& h) {
    if (h.btrfs_missing()) {
        MESSAGE("SKIP clone: no btrfs loop file system: " << h.why());
        return true;
    }
    return false;
}

} // namespace

TEST_CASE("clone: full clone from dir to btrfs starts and is independent of its source") {
    if (test::skip_containers("clone"))
        return;
    CloneHost h(true);
    if (skip(h))
        return;
    test::TestBridge bridge;
    Vmid src = test::unique_vmid(60), dst = test::unique_vmid(61);
    h.guard(dst);
    auto ct = h.create(src, {{"rootfs", "local:0"},
                             {"hostname", "source"},
                             {"net0", fmt::format("name=eth0,bridge={}", bridge.name())}});
    // A raw mp0 and an unused volume on `local`, a file in each volume, a machine-id.
    auto storages = storage::Storages::load(h.host());
    REQUIRE(storages);
    auto data =
        storage::alloc_ct_disk(*storages, src, "local", 64 * 1024, mapped_root, mapped_root);
    REQUIRE(data);
    auto spare = storage::alloc_ct_disk(*storages, src, "local", 0, mapped_root, mapped_root);
    REQUIRE(spare);
    h.set(src, "mp0", *data + ",mp=/data,size=64M");
    h.set(src, "unused0", *spare);
    {
        auto s = started(h.host(), src);
        CHECK(in_ct(s, "echo before > /before && echo before > /data/before && "
                       "echo 0123456789abcdef0123456789abcdef > /etc/machine-id") == 0);
        REQUIRE(s.stop());
    }

    runtime::CloneOptions o;
    o.storage = "bt";
    o.hostname = "copy";
    auto made = runtime::clone(h.host(), src, dst, o);
    REQUIRE_MESSAGE(made, (made ? "" : to_string(made.error())));
    CHECK(made->full);
    REQUIRE(made->volumes.size() == 2);
    CHECK(made->volumes[0] ==
          std::pair<std::string, std::string>(
              "rootfs", fmt::format("bt:{0}/subvol-{0}-disk-0.subvol", dst.value)));
    CHECK(made->volumes[1] == std::pair<std::string, std::string>(
                                  "mp0", fmt::format("bt:{0}/vm-{0}-disk-1.raw", dst.value)));
    CHECK(made->messages.at(0) ==
          fmt::format("create full clone of mountpoint rootfs ({})",
                      h.get(src, "rootfs").substr(0, h.get(src, "rootfs").find(','))));
    // The new config: new volumes, a new MAC, the new hostname, no unused volume, no lock.
    CHECK(h.get(dst, "rootfs").starts_with(made->volumes[0].second));
    CHECK(h.get(dst, "mp0") == made->volumes[1].second + ",mp=/data,size=64M");
    CHECK(h.get(dst, "hostname") == "copy");
    CHECK(h.get(dst, "unused0").empty());
    CHECK(h.get(dst, "lock").empty());
    CHECK(h.get(src, "lock").empty());
    CHECK(hwaddr(h.get(dst, "net0")) != hwaddr(h.get(src, "net0")));
    CHECK(hwaddr(h.get(dst, "net0")).starts_with("BC:24:11:"));
    CHECK(h.get(dst, "net0").find(bridge.name()) != std::string::npos);
    // The machine-id goes in the clone (busybox has no systemd: removed), stays in the source.
    std::string dst_root =
        h.path(fmt::format("/mnt/bt/images/{0}/subvol-{0}-disk-0.subvol", dst.value));
    CHECK(fs::exists(dst_root + "/before"));
    CHECK_FALSE(fs::exists(dst_root + "/etc/machine-id"));

    auto s = started(h.host(), src);
    auto d = started(h.host(), dst);
    CHECK(in_ct(d, "test \"$(cat /before /data/before)\" = \"$(printf 'before\\nbefore')\"") == 0);
    CHECK(in_ct(s, "test -s /etc/machine-id") == 0);
    CHECK(in_ct(d, "echo clone > /from-clone && echo clone > /data/from-clone") == 0);
    CHECK(in_ct(s, "echo source > /from-source && echo source > /data/from-source") == 0);
    CHECK(in_ct(s, "test ! -e /from-clone && test ! -e /data/from-clone") == 0);
    CHECK(in_ct(d, "test ! -e /from-source && test ! -e /data/from-source") == 0);
    CHECK(in_ct(d, "hostname") == 0);
    REQUIRE(d.stop());
    REQUIRE(s.stop());
}

TEST_CASE("clone: a full clone on a host root that has no lxcpath yet") {
    if (test::skip_containers("clone"))
        return;
    CloneHost h(true);
    if (skip(h))
        return;
    Vmid src = test::unique_vmid(70), dst = test::unique_vmid(71);
    h.guard(dst);
    (void)h.create(src, {{"rootfs", "bt:0"}});
    // As on a host whose storages live elsewhere and that never started a container: no
    // R/var/lib at all (the copy's mount dirs are made below R/var/lib/lxc/<NEWID>).
    fs::remove_all(h.path("/var/lib"));
    runtime::CloneOptions o;
    o.full = true;
    auto made = runtime::clone(h.host(), src, dst, o);
    CHECK_MESSAGE(made, (made ? "" : to_string(made.error())));
}

TEST_CASE("clone: linked clones of a btrfs template start and are independent") {
    if (test::skip_containers("clone"))
        return;
    CloneHost h(true);
    if (skip(h))
        return;
    Vmid tpl = test::unique_vmid(62), a = test::unique_vmid(63), b = test::unique_vmid(64),
         sub = test::unique_vmid(65), c = test::unique_vmid(66);
    for (Vmid id : {a, b, c})
        h.guard(id);
    auto ct = h.create(tpl, {{"rootfs", "bt:1"}});
    {
        auto s = started(h.host(), tpl);
        CHECK(in_ct(s, "echo template > /from-template") == 0);
        REQUIRE(s.stop());
    }
    REQUIRE(fs::exists(h.host().ct_dir(tpl) + "/config"));
    auto made = runtime::make_template(h.host(), tpl);
    REQUIRE_MESSAGE(made, (made ? "" : to_string(made.error())));
    std::string base = fmt::format("bt:{0}/base-{0}-disk-0.raw", tpl.value);
    CHECK(h.get(tpl, "rootfs") == base + ",size=1G");
    CHECK(h.get(tpl, "template") == "1");
    CHECK_FALSE(fs::exists(h.host().ct_dir(tpl) + "/config"));
    std::string base_dir = h.path(fmt::format("/mnt/bt/images/{0}/base-{0}-disk-0", tpl.value));
    CHECK(test::sh("btrfs property get '" + base_dir + "' ro").out == "ro=true\n");
    auto sum = [&] { return test::sh("sha256sum < '" + base_dir + "/disk.raw'").out; };
    const std::string base_sum = sum();

    auto again = runtime::make_template(h.host(), tpl);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == Errc::bad_state);
    CHECK(again.error().message == "you can't convert a template to a template");
    auto stored = runtime::clone(h.host(), tpl, a, {.full = false, .storage = "bt"});
    REQUIRE_FALSE(stored);
    CHECK(stored.error().message == "parameter 'storage' not allowed for linked clones");
    CHECK(stored.error().key == "storage");

    auto la = runtime::clone(h.host(), tpl, a); // linked: the default for a template
    REQUIRE_MESSAGE(la, (la ? "" : to_string(la.error())));
    CHECK_FALSE(la->full);
    CHECK(la->messages.at(0) == "create linked clone of mount point rootfs (" + base + ")");
    CHECK(h.get(a, "rootfs") == fmt::format("bt:{0}/vm-{0}-disk-0.raw,size=1G", a.value));
    CHECK(h.get(a, "template").empty());
    auto lb =
        runtime::clone(h.host(), tpl, b, {.hostname = "second", .description = "made by a test\n"});
    REQUIRE_MESSAGE(lb, (lb ? "" : to_string(lb.error())));
    CHECK(h.get(b, "hostname") == "second");
    CHECK(h.config(b).main.description == "made by a test\n");
    CHECK(h.get(tpl, "lock").empty());

    auto sa = started(h.host(), a);
    auto sb = started(h.host(), b);
    CHECK(in_ct(sa, "test \"$(cat /from-template)\" = template") == 0);
    CHECK(in_ct(sb, "test \"$(cat /from-template)\" = template") == 0);
    CHECK(in_ct(sa, "echo a > /from-a && rm /from-template && sync") == 0);
    CHECK(in_ct(sb, "test ! -e /from-a && test -e /from-template") == 0);
    CHECK(in_ct(sb, "echo b > /from-b && sync") == 0);
    CHECK(in_ct(sa, "test ! -e /from-b") == 0);
    REQUIRE(sa.stop());
    REQUIRE(sb.stop());
    CHECK(sum() == base_sum); // the template's base volume never changed

    // A full clone of the template to dir is a plain container.
    auto fc = runtime::clone(h.host(), tpl, c, {.full = true, .storage = "local"});
    REQUIRE_MESSAGE(fc, (fc ? "" : to_string(fc.error())));
    CHECK(h.get(c, "rootfs") == fmt::format("local:{0}/vm-{0}-disk-0.raw,size=1G", c.value));
    auto sc = started(h.host(), c);
    CHECK(in_ct(sc, "test \"$(cat /from-template)\" = template") == 0);
    REQUIRE(sc.stop());

    // A subvol template keeps its name; linked clones of it are refused (storage.md §7.1).
    h.create(sub, {{"rootfs", "bt:0"}});
    REQUIRE(runtime::make_template(h.host(), sub));
    std::string subvol = fmt::format("bt:{0}/subvol-{0}-disk-0.subvol", sub.value);
    CHECK(h.get(sub, "rootfs").starts_with(subvol + ","));
    auto linked = runtime::clone(h.host(), sub, test::unique_vmid(67));
    REQUIRE_FALSE(linked);
    CHECK(linked.error().code == Errc::unsupported);
    CHECK(linked.error().message == "Linked clone feature for '" + subvol + "' is not available");
    CHECK(linked.error().key == "rootfs");
    CHECK_FALSE(h.host().exists(test::unique_vmid(67)));
    CHECK(h.get(sub, "lock").empty());
}

TEST_CASE("clone: refusals of template and clone with Proxmox's texts") {
    if (test::skip_containers("clone"))
        return;
    CloneHost h(false);
    Vmid src = test::unique_vmid(70), other = test::unique_vmid(71), dst = test::unique_vmid(72);
    h.guard(dst);
    auto ct = h.create(src, {{"rootfs", "local:0"}});
    h.create(other, {{"rootfs", "local:0"}});
    std::string rootfs = h.get(src, "rootfs");
    std::string volid = rootfs.substr(0, rootfs.find(','));
    auto refused = [&](const Result<runtime::CloneReport>& r, Errc code, const std::string& text) {
        REQUIRE_FALSE(r);
        CHECK(r.error().code == code);
        CHECK(r.error().message == text);
        CHECK_FALSE(h.host().exists(dst));
        CHECK(h.get(src, "lock") == (text.starts_with("CT is locked") ? "backup" : ""));
    };

    refused(runtime::clone(h.host(), src, dst, {.full = false}), Errc::unsupported,
            "Linked clone feature for '" + volid + "' is not available");
    refused(runtime::clone(h.host(), src, other), Errc::already_exists,
            fmt::format("CT {} already exists", other.value));
    refused(runtime::clone(h.host(), src, dst, {.snapname = "nope"}), Errc::not_found,
            "snapshot 'nope' does not exist");
    refused(runtime::clone(h.host(), src, dst, {.hostname = "bad\nname"}), Errc::invalid_argument,
            runtime::clone(h.host(), src, dst, {.hostname = "bad\nname"}).error().message);

    // A bind mount point: neither cloned nor templated (a clone never shares a host folder).
    fs::create_directories(h.path("/srv/shared"));
    h.set(src, "mp0", "/srv/shared,mp=/shared");
    refused(runtime::clone(h.host(), src, dst), Errc::unsupported,
            "unable to clone mountpoint 'mp0' (type bind)");
    auto tb = runtime::make_template(h.host(), src);
    REQUIRE_FALSE(tb);
    CHECK(tb.error().message == "Template feature is not available for '/srv/shared'");
    CHECK(tb.error().key == "mp0");
    CHECK(h.get(src, "rootfs") == rootfs); // nothing converted
    h.remove(src, "mp0");

    h.set(src, "lock", "backup");
    refused(runtime::clone(h.host(), src, dst), Errc::bad_state, "CT is locked (backup)");
    auto tl = runtime::make_template(h.host(), src);
    REQUIRE_FALSE(tl);
    CHECK(tl.error().message == "CT is locked (backup)");
    CHECK(tl.error().key == "lock");
    h.remove(src, "lock");

    {
        const std::string path = h.host().config_path(src);
        const std::string text = test::read_text(path);
        test::write_text(path, "parent: before\n" + text + "\n[before]\nhostname: x\n");
        auto ts = runtime::make_template(h.host(), src);
        REQUIRE_FALSE(ts);
        CHECK(ts.error().message == "unable to create template, because CT contains snapshots");
        test::write_text(path, text);
    }

    // A failure half way (mp0's volume is gone): the copied rootfs is freed again, the new
    // config removed, the source unlocked.
    h.set(src, "mp0", fmt::format("local:{0}/vm-{0}-disk-9.raw,mp=/gone,size=64M", src.value));
    auto half = runtime::clone(h.host(), src, dst);
    REQUIRE_FALSE(half);
    CHECK(half.error().message.starts_with("clone failed: "));
    CHECK_FALSE(h.host().exists(dst));
    CHECK(h.get(src, "lock").empty());
    CHECK_FALSE(fs::exists(
        h.path(fmt::format("/var/lib/vz/images/{0}/subvol-{0}-disk-0.subvol", dst.value))));
    CHECK_FALSE(fs::exists(h.host().ct_dir(dst)));
    h.remove(src, "mp0");
    // A target storage without `rootdir`: refused when the volume is made, undone the same way.
    auto nort = runtime::clone(h.host(), src, dst, {.storage = "nort"});
    REQUIRE_FALSE(nort);
    CHECK(nort.error().message ==
          "clone failed: content type 'rootdir' is not available or configured on storage 'nort'");
    CHECK_FALSE(h.host().exists(dst));
    CHECK(h.get(src, "lock").empty());

    // The CLI: Proxmox's message and exit status 255, or the progress lines.
    auto linked = h.pct(fmt::format("clone {} {} --full 0", src.value, dst.value));
    CHECK(linked.status == 255);
    CHECK(linked.out == "rootfs: Linked clone feature for '" + volid + "' is not available\n");
    Vmid cli = test::unique_vmid(76);
    h.guard(cli);
    auto copied = h.pct(fmt::format("clone {} {} --hostname cli-copy", src.value, cli.value));
    CHECK(copied.status == 0);
    // stderr is no terminal here: the copy's progress is one plain line at its end.
    CHECK(copied.out.starts_with("copy: "));
    CHECK(copied.out.find(" in ") < copied.out.find('\n'));
    CHECK(copied.out.ends_with("\ncreate full clone of mountpoint rootfs (" + volid + ")\n"));
    CHECK(h.get(cli, "hostname") == "cli-copy");
    auto templated = h.pct(fmt::format("template {}", cli.value));
    CHECK(templated.status == 0);
    CHECK(templated.out.empty());
    CHECK(h.get(cli, "template") == "1");
    auto twice = h.pct(fmt::format("template {}", cli.value));
    CHECK(twice.status == 255);
    CHECK(twice.out == "you can't convert a template to a template\n");

    // Running: no template, no full clone without a snapshot.
    auto s = started(h.host(), src);
    auto tr = runtime::make_template(h.host(), src);
    REQUIRE_FALSE(tr);
    CHECK(tr.error().message == "you can't convert a CT to template if the CT is running");
    refused(runtime::clone(h.host(), src, dst), Errc::bad_state,
            "Full clone of a running container is only possible from a snapshot");
    REQUIRE(s.stop());
}

TEST_CASE("clone: full and linked clones of a running btrfs container from its snapshot") {
    if (test::skip_containers("clone"))
        return;
    CloneHost h(true);
    if (skip(h))
        return;
    Vmid src = test::unique_vmid(73), full = test::unique_vmid(74), linked = test::unique_vmid(75),
         current = test::unique_vmid(83);
    for (Vmid id : {full, linked, current})
        h.guard(id);
    h.create(src, {{"rootfs", "bt:1"}, {"hostname", "now"}});
    {
        // Written and unmounted before the snapshot, so the image holds it without its journal.
        auto s = started(h.host(), src);
        CHECK(in_ct(s, "echo one > /v1") == 0);
        REQUIRE(s.stop());
    }
    auto s = started(h.host(), src);
    // The snapshot `s1` as `pct snapshot` leaves it: the volume's btrfs snapshot and a section.
    std::string rootfs = h.get(src, "rootfs");
    std::string volid = rootfs.substr(0, rootfs.find(','));
    auto storages = storage::Storages::load(h.host());
    REQUIRE(storages);
    REQUIRE(storages->snapshot(volid, "s1"));
    const std::string path = h.host().config_path(src);
    const std::string text = test::read_text(path);
    std::string snapshot = text;
    snapshot.replace(snapshot.find("hostname: now"), 13, "hostname: then");
    test::write_text(path,
                     "parent: s1\n" + text + "\n[s1]\n" + snapshot + "snaptime: 1700000000\n");
    CHECK(in_ct(s, "echo two > /v2 && sync") == 0);

    auto copy = runtime::clone(h.host(), src, full, {.snapname = "s1"});
    REQUIRE_MESSAGE(copy, (copy ? "" : to_string(copy.error())));
    CHECK(copy->full);
    CHECK(h.get(full, "rootfs") == fmt::format("bt:{0}/vm-{0}-disk-0.raw,size=1G", full.value));
    CHECK(h.get(full, "hostname") == "then");
    CHECK(h.get(full, "parent").empty());
    CHECK(h.get(full, "snaptime").empty());
    CHECK(h.config(full).snapshots.empty());
    auto link = runtime::clone(h.host(), src, linked, {.full = false, .snapname = "s1"});
    REQUIRE_MESSAGE(link, (link ? "" : to_string(link.error())));
    CHECK_FALSE(link->full);
    // btrfs also links the current state of a raw volume, even of a running CT (§7.6).
    auto now = runtime::clone(h.host(), src, current, {.full = false});
    REQUIRE_MESSAGE(now, (now ? "" : to_string(now.error())));
    CHECK(h.get(current, "hostname") == "now");
    CHECK(h.get(src, "lock").empty());

    auto f = started(h.host(), full);
    auto l = started(h.host(), linked);
    auto c = started(h.host(), current);
    for (auto* ct : {&f, &l}) {
        CHECK(in_ct(*ct, "test \"$(cat /v1)\" = one && test ! -e /v2") == 0);
        CHECK(in_ct(*ct, "echo mine > /v3 && sync") == 0);
    }
    CHECK(in_ct(c, "test \"$(cat /v1)\" = one && echo mine > /v3") == 0);
    CHECK(in_ct(s, "test ! -e /v3 && test \"$(cat /v2)\" = two") == 0);
    REQUIRE(c.stop());
    REQUIRE(l.stop());
    REQUIRE(f.stop());
    REQUIRE(s.stop());
}

TEST_CASE("clone: the post-clone setup clears the machine-id as Proxmox's post_clone_hook") {
    // A Debian rootfs; with systemd /etc/machine-id is emptied (unless `uninitialized`) and
    // the dbus copy removed, without systemd the file is removed (Base.pm clear_machine_id).
    auto rootfs_with = [](const test::TempDir& dir, bool systemd, const std::string& id) {
        const std::string& r = dir.path();
        test::write_text(r + "/etc/os-release", "ID=debian\nVERSION_ID=12\n");
        test::write_text(r + "/etc/debian_version", "12.5\n");
        test::write_text(r + "/etc/machine-id", id);
        test::write_text(r + "/var/lib/dbus/machine-id", id);
        if (systemd) {
            test::write_text(r + "/lib/systemd/systemd", "#!/bin/sh\n");
            fs::permissions(r + "/lib/systemd/systemd", fs::perms::owner_all);
        }
    };
    ContainerSettings settings;
    settings.ostype = "debian";
    std::vector<std::string> warnings;
    {
        test::TempDir dir("pct-clone-setup");
        rootfs_with(dir, true, "0123456789abcdef0123456789abcdef\n");
        auto ok = runtime::detail::post_clone_setup(dir.path(), settings, std::nullopt, warnings);
        REQUIRE_MESSAGE(ok, (ok ? "" : ok.error().message));
        CHECK(test::read_text(dir.path() + "/etc/machine-id") == "\n");
        CHECK_FALSE(fs::exists(dir.path() + "/var/lib/dbus/machine-id"));
    }
    {
        test::TempDir dir("pct-clone-setup");
        rootfs_with(dir, true, "uninitialized\n");
        REQUIRE(runtime::detail::post_clone_setup(dir.path(), settings, std::nullopt, warnings));
        CHECK(test::read_text(dir.path() + "/etc/machine-id") == "uninitialized\n");
    }
    {
        test::TempDir dir("pct-clone-setup");
        rootfs_with(dir, false, "0123456789abcdef0123456789abcdef\n");
        REQUIRE(runtime::detail::post_clone_setup(dir.path(), settings, std::nullopt, warnings));
        CHECK_FALSE(fs::exists(dir.path() + "/etc/machine-id"));
        CHECK(fs::exists(dir.path() + "/var/lib/dbus/machine-id")); // kept without systemd
    }
    {
        test::TempDir dir("pct-clone-setup");
        rootfs_with(dir, true, "0123456789abcdef0123456789abcdef\n");
        ContainerSettings unmanaged;
        unmanaged.ostype = "unmanaged";
        REQUIRE(runtime::detail::post_clone_setup(dir.path(), unmanaged, std::nullopt, warnings));
        CHECK(test::read_text(dir.path() + "/etc/machine-id") ==
              "0123456789abcdef0123456789abcdef\n");
    }
}

TEST_CASE("clone: the source is locked disk and the clone create only while the copy runs") {
    if (test::skip_containers("clone"))
        return;
    CloneHost h(false);
    Vmid src = test::unique_vmid(77), dst = test::unique_vmid(78), other = test::unique_vmid(79);
    h.guard(dst);
    h.guard(other);
    h.create(src, {{"rootfs", "local:0"}});
    std::string rootfs = h.get(src, "rootfs");
    auto dir = h.host().volume_path(src, rootfs.substr(0, rootfs.find(',')));
    REQUIRE(dir);
    // 3 MiB at 1 MiB/s: the copy takes about three seconds.
    REQUIRE(test::sh("head -c 3145728 /dev/urandom > '" + *dir + "/big'").status == 0);
    auto running = std::async(std::launch::async, [&] {
        return runtime::clone(h.host(), src, dst, {.bwlimit_kib = 1024});
    });
    REQUIRE(test::eventually([&] { return h.host().exists(dst); }, std::chrono::seconds(10)));
    // During the copy: both lock properties are set, and no config flock is held.
    CHECK(h.get(src, "lock") == "disk");
    CHECK(h.get(dst, "lock") == "create");
    CHECK(h.host().lock(src, std::chrono::milliseconds(200)));
    CHECK(h.host().lock(dst, std::chrono::milliseconds(200)));
    auto second = runtime::clone(h.host(), src, other);
    REQUIRE_FALSE(second);
    CHECK(second.error().message == "CT is locked (disk)");
    CHECK(second.error().key == "lock");
    auto tpl = runtime::make_template(h.host(), src);
    REQUIRE_FALSE(tpl);
    CHECK(tpl.error().message == "CT is locked (disk)");
    CHECK(running.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready);

    auto done = running.get();
    REQUIRE_MESSAGE(done, (done ? "" : to_string(done.error())));
    CHECK(h.get(src, "lock").empty());
    CHECK(h.get(dst, "lock").empty());
    auto copy = h.host().volume_path(dst, done->volumes.at(0).second);
    REQUIRE(copy);
    CHECK(test::sh("cmp '" + *dir + "/big' '" + *copy + "/big'").status == 0);
}

TEST_CASE("clone: pct clone --snapname of a snapshot pct snapshot took") {
    if (test::skip_containers("clone"))
        return;
    CloneHost h(true);
    if (skip(h))
        return;
    Vmid src = test::unique_vmid(80), linked = test::unique_vmid(81), full = test::unique_vmid(82);
    for (Vmid id : {linked, full})
        h.guard(id);
    h.create(src, {{"rootfs", "bt:1"}});
    {
        auto s = started(h.host(), src);
        CHECK(in_ct(s, "echo one > /v1") == 0);
        REQUIRE(s.stop());
    }
    auto snap = runtime::snapshot_create(h.host(), src, "s1", {.description = "before two"});
    REQUIRE_MESSAGE(snap, (snap ? "" : to_string(snap.error())));
    {
        auto s = started(h.host(), src);
        CHECK(in_ct(s, "echo two > /v2") == 0);
        REQUIRE(s.stop());
    }
    auto l = h.pct(fmt::format("clone {} {} --full 0 --snapname s1", src.value, linked.value));
    CHECK(l.status == 0);
    CHECK(l.out == fmt::format("create linked clone of mount point rootfs "
                               "(bt:{0}/vm-{0}-disk-0.raw)\n",
                               src.value));
    auto f = h.pct(fmt::format("clone {} {} --snapname s1 --storage local", src.value, full.value));
    CHECK(f.status == 0);
    CHECK(
        h.get(full, "rootfs").starts_with(fmt::format("local:{0}/vm-{0}-disk-0.raw", full.value)));
    for (Vmid id : {linked, full}) {
        CHECK(h.config(id).snapshots.empty());
        CHECK(h.get(id, "parent").empty());
        auto c = started(h.host(), id);
        CHECK(in_ct(c, "test \"$(cat /v1)\" = one && test ! -e /v2") == 0);
        REQUIRE(c.stop());
    }
    CHECK(h.get(src, "lock").empty());
    CHECK(h.get(src, "parent") == "s1");
}
