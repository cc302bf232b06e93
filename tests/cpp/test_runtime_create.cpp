// SPDX-License-Identifier: AGPL-3.0-or-later
// `create` with real templates: unprivileged extraction inside the id map (a setuid-root file
// of a template is not setuid root on the host; root owns its files inside), the files libpct
// writes at start owned by the mapped root, privileged extraction with host ids, and what a
// failed or killed create leaves (a `lock: create` config that `destroy` removes; nothing
// after a failure).
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <csignal>
#include <filesystem>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pct;
using pct::test::CtHost;
using pct::test::sh;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t mapped_root = 100000;

// A tar of the busybox test rootfs plus `extra` (a shell snippet run in the copied tree),
// members sorted by name.
std::string make_template(const test::TempDir& dir, const std::string& name,
                          const std::string& extra) {
    const std::string& zst = test::busybox_template();
    std::string rootfs = zst.substr(0, zst.size() - std::string(".tar.zst").size()) + ".rootfs";
    std::string tree = dir.sub(name + ".tree");
    std::string out = dir.sub(name + ".tar");
    fs::create_directories(tree);
    auto r = sh(fmt::format("set -e; cp -a '{}/.' '{}/'; cd '{}'; {}; tar --numeric-owner "
                            "--sort=name -C '{}' -cf '{}' .; rm -rf '{}'",
                            rootfs, tree, tree, extra, tree, out, tree));
    if (r.status != 0)
        throw std::runtime_error("cannot make template " + out + ": " + r.out);
    return out;
}

struct stat stat_of(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        throw std::runtime_error("cannot stat " + path);
    return st;
}

std::string volume_dir(const CtHost& env, Vmid id) {
    return fmt::format("{}/var/lib/vz/images/{}/subvol-{}-disk-0.subvol", env.root(), id.value,
                       id.value);
}

std::string images_dir(const CtHost& env, Vmid id) {
    return fmt::format("{}/var/lib/vz/images/{}", env.root(), id.value);
}

std::string pct_binary() { return std::string(PCT_BINARY_DIR) + "/bin/pct"; }

} // namespace

TEST_CASE("runtime create: unprivileged by default and unpacked inside the id map") {
    if (test::skip_containers("runtime create"))
        return;
    CtHost env;
    test::TempDir tpl("pct-tpl");
    // A setuid-root program (a copy of busybox, owned by 0) and a file of uid/gid 1000.
    std::string archive =
        make_template(tpl, "suid",
                      "cp bin/busybox usr/bin/suidtool; chown 0:0 usr/bin/suidtool; "
                      "chmod 4755 usr/bin/suidtool; echo x > home/user-file; "
                      "chown 1000:1000 home/user-file");
    Vmid id = test::unique_vmid(80);
    env.guard(id);
    runtime::CreateOptions o;
    o.ostemplate = archive;
    // A host directory as rootfs: start reaches it as the mapped root (a storage's images
    // folder is 0740 as under Proxmox, whose start mounts the volumes first).
    o.options = {{"ostype", "debian"}, {"hostname", "unpriv-ct"}, {"rootfs", "/srv/unpriv-ct"}};
    auto ct = runtime::create(env.host(), id, o);
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));

    auto conf = env.host().read_config(id);
    REQUIRE(conf.has_value());
    CHECK(conf->config.main.get("unprivileged") == "1");
    CHECK_FALSE(conf->config.main.get("lock").has_value());

    std::string rootfs = env.root() + "/srv/unpriv-ct";
    auto root_st = stat_of(rootfs);
    CHECK(root_st.st_uid == mapped_root);
    CHECK(root_st.st_gid == mapped_root);
    auto suid = stat_of(rootfs + "/usr/bin/suidtool");
    CHECK(suid.st_uid == mapped_root); // setuid to the CT's root, not to the host's
    CHECK(suid.st_gid == mapped_root);
    CHECK((suid.st_mode & S_ISUID) != 0);
    CHECK(stat_of(rootfs + "/home/user-file").st_uid == mapped_root + 1000);
    CHECK(stat_of(rootfs + "/etc").st_uid == mapped_root);

    auto started = ct->start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error())));
    REQUIRE(test::wait_boot(*ct));
    // Written by libpct at start: the mapped root's, so the CT's root can change them.
    for (const char* file : {"/etc/hostname", "/etc/hosts"}) {
        auto st = stat_of(rootfs + file);
        CHECK_MESSAGE(st.st_uid == mapped_root, file);
        CHECK_MESSAGE(st.st_gid == mapped_root, file);
    }
    CHECK(test::read_text(rootfs + "/etc/hostname") == "unpriv-ct\n");

    runtime::ExecOptions e;
    e.argv = {"sh", "-c",
              "stat -c '%u %g' /etc /root /usr/bin/suidtool /etc/hostname && "
              "echo w > /etc/pct-written && echo w > /root/pct-written && echo h > /etc/hostname"};
    auto r = ct->exec(e);
    REQUIRE(r.has_value());
    CHECK_MESSAGE(r->exit_code == 0, r->err);
    CHECK(r->out == "0 0\n0 0\n0 0\n0 0\n");
    CHECK(stat_of(rootfs + "/etc/pct-written").st_uid == mapped_root);
    CHECK(stat_of(rootfs + "/root/pct-written").st_uid == mapped_root);
    REQUIRE(ct->stop().has_value());
}

TEST_CASE("runtime create: unprivileged 0 unpacks with host ids") {
    if (test::skip_containers("runtime create"))
        return;
    CtHost env;
    test::TempDir tpl("pct-tpl");
    std::string archive =
        make_template(tpl, "suid",
                      "cp bin/busybox usr/bin/suidtool; chown 0:0 usr/bin/suidtool; "
                      "chmod 4755 usr/bin/suidtool");
    Vmid id = test::unique_vmid(81);
    env.guard(id);
    runtime::CreateOptions o;
    o.ostemplate = archive;
    o.options = {{"ostype", "debian"}, {"unprivileged", "0"}, {"rootfs", "local:0"}};
    auto ct = runtime::create(env.host(), id, o);
    REQUIRE_MESSAGE(ct.has_value(), (ct ? "" : to_string(ct.error())));
    auto conf = env.host().read_config(id);
    REQUIRE(conf.has_value());
    CHECK(conf->config.main.get("unprivileged") == "0");
    std::string rootfs = volume_dir(env, id);
    CHECK(stat_of(rootfs).st_uid == 0);
    auto suid = stat_of(rootfs + "/usr/bin/suidtool");
    CHECK(suid.st_uid == 0);
    CHECK((suid.st_mode & S_ISUID) != 0);

    auto started = ct->start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error())));
    CHECK(stat_of(rootfs + "/etc/hostname").st_uid == 0);
    REQUIRE(ct->stop().has_value());
}

TEST_CASE("runtime create: a failed create leaves no config volume or folder") {
    if (test::skip_containers("runtime create"))
        return;
    CtHost env;
    Vmid id = test::unique_vmid(82);
    env.guard(id);
    std::string broken = env.root() + "/broken.tar";
    test::write_text(broken, "this is not a tar archive\n");
    for (const char* unprivileged : {"1", "0"}) {
        CAPTURE(unprivileged);
        runtime::CreateOptions o;
        o.ostemplate = broken;
        o.options = {{"unprivileged", unprivileged}};
        auto r = runtime::create(env.host(), id, o);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::io);
        CHECK(r.error().message.find("tar exit code 2") != std::string::npos);
        CHECK_FALSE(env.host().exists(id));
        CHECK_FALSE(fs::exists(images_dir(env, id)));
        CHECK(fs::is_directory(env.root() + "/var/lib/vz/images"));
    }
    // A rootfs volume named by the caller and made by this create goes with its folder.
    runtime::CreateOptions named;
    named.ostemplate = broken;
    named.options = {
        {"rootfs", fmt::format("local:{}/subvol-{}-disk-5.subvol", id.value, id.value)}};
    CHECK_FALSE(runtime::create(env.host(), id, named).has_value());
    CHECK_FALSE(env.host().exists(id));
    CHECK_FALSE(fs::exists(images_dir(env, id)));
    // A caller's empty directory stays, empty and with its owner.
    fs::create_directories(env.root() + "/srv/given");
    runtime::CreateOptions given;
    given.ostemplate = broken;
    given.options = {{"rootfs", "/srv/given"}};
    CHECK_FALSE(runtime::create(env.host(), id, given).has_value());
    CHECK(fs::is_empty(env.root() + "/srv/given"));
    CHECK(stat_of(env.root() + "/srv/given").st_uid == 0);
    CHECK_FALSE(env.host().exists(id));

    // --force into a non-empty directory: never for an unprivileged container, whose rootfs
    // would keep the host-owned files already there (a setuid-root binary stays one).
    test::write_text(env.root() + "/srv/given/host-file", "host\n");
    ::chmod((env.root() + "/srv/given/host-file").c_str(), 04755);
    runtime::CreateOptions forced;
    forced.ostemplate = test::busybox_template();
    forced.force = true;
    forced.options = {{"rootfs", "/srv/given"}};
    auto refused = runtime::create(env.host(), id, forced);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == Errc::already_exists);
    CHECK(refused.error().key == "rootfs");
    CHECK(refused.error().message.find("unpacked into an empty directory only") !=
          std::string::npos);
    CHECK_FALSE(env.host().exists(id));
    CHECK(stat_of(env.root() + "/srv/given").st_uid == 0);
    CHECK(stat_of(env.root() + "/srv/given/host-file").st_uid == 0);
    CHECK(std::distance(fs::directory_iterator(env.root() + "/srv/given"),
                        fs::directory_iterator{}) == 1);
    fs::remove(env.root() + "/srv/given/host-file");

    // A folder that was there before is not this create's to remove, nor what is in it (an
    // empty one goes with the last volume freed in it, as Proxmox's free_image does).
    fs::create_directories(images_dir(env, id));
    test::write_text(images_dir(env, id) + "/keep", "mine\n");
    runtime::CreateOptions o;
    o.ostemplate = broken;
    CHECK_FALSE(runtime::create(env.host(), id, o).has_value());
    CHECK(fs::is_directory(images_dir(env, id)));
    CHECK(test::read_text(images_dir(env, id) + "/keep") == "mine\n");
    CHECK(std::distance(fs::directory_iterator(images_dir(env, id)), fs::directory_iterator{}) ==
          1);
    fs::remove(images_dir(env, id) + "/keep");
}

TEST_CASE("runtime create: a create killed during extraction is locked and destroy removes it") {
    if (test::skip_containers("runtime create"))
        return;
    CtHost env;
    test::TempDir tpl("pct-tpl");
    // 256 MiB of random data, last in the archive: tar is still writing it when it appears.
    std::string archive = make_template(tpl, "big", "head -c 256M /dev/urandom > zz-big-file");
    Vmid id = test::unique_vmid(83);
    env.guard(id);
    std::string ctid = std::to_string(id.value);
    std::string rootfs = volume_dir(env, id);

    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::execl(pct_binary().c_str(), "pct", "--root", env.root().c_str(), "create", ctid.c_str(),
                archive.c_str(), "--rootfs", "local:0", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    // Polled every millisecond: the big file takes a few hundred of them to write.
    bool seen = false;
    for (auto end = std::chrono::steady_clock::now() + 60s;
         !seen && std::chrono::steady_clock::now() < end; ::usleep(1000))
        seen = fs::exists(env.host().ct_dir(id) + "/rootfs/zz-big-file");
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(seen);
    REQUIRE(WIFSIGNALED(status)); // killed, not finished

    std::string conf = test::read_text(env.host().config_path(id));
    CHECK(conf.find("lock: create\n") != std::string::npos);
    CHECK(conf.find("unprivileged: 1\n") != std::string::npos); // the CLI's default too
    CHECK(conf.find("rootfs: local:" + ctid + "/subvol-" + ctid + "-disk-0.subvol,size=0T\n") !=
          std::string::npos);
    // Mounted for the extraction when it was killed; destroy unmounts it first.
    CHECK(test::read_text("/proc/self/mountinfo").find(env.host().ct_dir(id) + "/rootfs") !=
          std::string::npos);
    auto pct = [&](const std::string& args) {
        return sh(fmt::format("'{}' --root '{}' {} 2>&1", pct_binary(), env.root(), args));
    };
    auto list = pct("list");
    CHECK(list.out.find(fmt::format("{:<10} {:<10} {:<12}", ctid, "stopped", "create")) !=
          std::string::npos);
    auto start = pct("start " + ctid);
    CHECK(start.status == 255);
    CHECK(start.out == "CT is locked (create)\n");

    auto destroy = pct("destroy " + ctid);
    CHECK_MESSAGE(destroy.status == 0, destroy.out);
    CHECK_FALSE(env.host().exists(id));
    CHECK_FALSE(fs::exists(rootfs));
    CHECK_FALSE(fs::exists(images_dir(env, id)));
    CHECK_FALSE(fs::exists(env.host().ct_dir(id)));
    CHECK(pct("list").out.empty());
    CHECK(test::read_text("/proc/self/mountinfo").find(env.root()) == std::string::npos);
}

TEST_CASE("runtime create: pct create takes every schema key as a flag and pct's own options") {
    if (test::skip_containers("runtime create"))
        return;
    CtHost env;
    Vmid id = test::unique_vmid(88);
    env.guard(id);
    std::string ctid = std::to_string(id.value);
    auto pct = [&](const std::string& args) {
        return sh(fmt::format("'{}' --root '{}' create {} {} 2>&1", pct_binary(), env.root(), ctid,
                              args));
    };
    std::string missing = env.root() + "/missing.tar.zst";
    // The last member of each family is a flag; past the schema's range it is not.
    auto families = pct(fmt::format("'{}' --rootfs 1 --net31 name=eth0,bridge=vmbr0 "
                                    "--mp255 local:1,mp=/x "
                                    "--dev255 /dev/null --description hi",
                                    missing));
    CHECK(families.status == 255);
    CHECK(families.out == fmt::format("can't find file '{}'\n", missing));
    for (const char* refused : {"--net32 name=eth0", "--mp256 local:1,mp=/x", "--unused256 local:1",
                                "--lock create", "--parent snap"}) {
        CAPTURE(refused);
        auto r = pct(fmt::format("'{}' {}", missing, refused));
        CHECK(r.status != 0);
        CHECK(r.out.find("can't find file") == std::string::npos); // refused by the parser
    }
    auto unused = pct(fmt::format("'{}' --unused0 local:1", missing));
    CHECK(unused.out == fmt::format("ignoring 'unused0', cannot create/restore with unused "
                                    "volume\ncan't find file '{}'\n",
                                    missing));
    auto pool = pct(fmt::format("'{}' --pool pool1", test::busybox_template()));
    CHECK(pool.status == 255);
    CHECK(pool.out == "pools are not supported by libpct\n");
    CHECK_FALSE(env.host().exists(id));
    auto keys = pct(
        fmt::format("'{}' --ssh-public-keys '{}/no-keys'", test::busybox_template(), env.root()));
    CHECK(keys.status == 255);
    CHECK(keys.out == fmt::format("unable to open file '{}/no-keys' - No such file or directory\n",
                                  env.root()));
    CHECK_FALSE(env.host().exists(id));
}

TEST_CASE("runtime create: pct create --password and --ssh-public-keys set up root") {
    if (test::skip_containers("runtime create"))
        return;
    CtHost env;
    Vmid id = test::unique_vmid(92);
    env.guard(id);
    std::string ctid = std::to_string(id.value);
    test::TempDir tpl("pct-tpl");
    std::string archive =
        make_template(tpl, "machine-id", "echo 0123456789abcdef > etc/machine-id");
    std::string keys = env.root() + "/keys.pub";
    test::write_text(keys, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPctTestKey user@host\n");
    auto r = sh(fmt::format("'{}' --root '{}' create {} '{}' --rootfs local:0 --password 'pw "
                            "with space' --ssh-public-keys '{}' 2>&1",
                            pct_binary(), env.root(), ctid, archive, keys));
    REQUIRE_MESSAGE(r.status == 0, r.out);
    std::string rootfs = volume_dir(env, id);
    // SHA-512 crypt of the password, as Proxmox's set_user_password.
    std::string shadow = test::read_text(rootfs + "/etc/shadow");
    REQUIRE(shadow.starts_with("root:$6$"));
    std::string hash = shadow.substr(5, shadow.find(':', 5) - 5);
    std::string salt = hash.substr(3, hash.find('$', 3) - 3);
    auto again = sh(fmt::format("openssl passwd -6 -salt '{}' 'pw with space'", salt));
    CHECK(again.out == hash + "\n");
    CHECK(test::read_text(rootfs + "/root/.ssh/authorized_keys")
              .find("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPctTestKey user@host\n") !=
          std::string::npos);
    CHECK(stat_of(rootfs + "/root/.ssh/authorized_keys").st_uid == mapped_root);
    // The template's machine-id is not kept: each container gets its own.
    CHECK((!fs::exists(rootfs + "/etc/machine-id") ||
           test::read_text(rootfs + "/etc/machine-id") != "0123456789abcdef\n"));
    auto destroy =
        sh(fmt::format("'{}' --root '{}' destroy {} 2>&1", pct_binary(), env.root(), ctid));
    CHECK_MESSAGE(destroy.status == 0, destroy.out);
}
