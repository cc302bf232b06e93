// SPDX-License-Identifier: AGPL-3.0-or-later
// The runtime's pure logic, without containers (runs as any user): LXC config text edits,
// pending application, liblxc log reading, cgroup discovery and leftover removal, the start
// helper's lookup and failures, the pty proxy with a plain child process as the command.
#include "cgroups.hpp"
#include "helpers.hpp"
#include "id_map.hpp"
#include "pending_rules.hpp"
#include "pty_proxy.hpp"
#include "start_helper.hpp"
#include "temp_dir.hpp"
#include "unpack.hpp"

#include <pct/model/schema.hpp>
#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>
#include <pct/runtime/progress.hpp>
#include <pct/storage/storage_cfg.hpp>

#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <thread>
#include <unistd.h>

using namespace pct;
using namespace pct::runtime::detail;
using pct::test::read_text;
using pct::test::TempDir;
using pct::test::write_text;
namespace fs = std::filesystem;

TEST_CASE("runtime unit: LXC config key edits") {
    std::string text =
        "lxc.arch = amd64\nlxc.rootfs.path = /a\nlxc.net.0.type = veth\nlxc.rootfs.path=/b\n";
    std::string out = set_lxc_key(text, "lxc.rootfs.path", "/srv/x");
    CHECK(out == "lxc.arch = amd64\nlxc.rootfs.path = /srv/x\nlxc.net.0.type = veth\n");
    CHECK(set_lxc_key("lxc.arch = amd64", "lxc.log.level", "WARN") ==
          "lxc.arch = amd64\nlxc.log.level = WARN\n");
    CHECK(get_lxc_key(text, "lxc.rootfs.path") == "/b");
    CHECK(get_lxc_key(text, "lxc.rootfs") == "");
    CHECK(get_lxc_key("lxc.cgroup.dir.container.inner = ns\n", "lxc.cgroup.dir.container.inner") ==
          "ns");
}

TEST_CASE("runtime unit: pending values and deletions are applied") {
    ContainerConfig cfg;
    cfg.main.options = {{"memory", "512"}, {"cores", "2"}, {"tags", "a"}, {"swap", "0"}};
    cfg.main.description = "old\n";
    TempDir tmp;
    pct::storage::Host host(tmp.path());
    std::vector<std::string> warnings;
    auto apply = [&] {
        return pct::runtime::detail::apply_all_pending(host, Vmid{100}, cfg, warnings);
    };
    CHECK(apply() == false);
    cfg.pending.options = {
        {"memory", "1024"}, {"hostname", "new"}, {"delete", "cores;!tags, description"}};
    CHECK(apply() == true);
    CHECK(warnings.empty());
    CHECK(cfg.main.options == std::map<std::string, std::string, std::less<>>{
                                  {"hostname", "new"}, {"memory", "1024"}, {"swap", "0"}});
    CHECK(cfg.main.description.empty());
    CHECK(cfg.pending.empty());

    // As vm_start's vmconfig_apply_pending: a deleted or replaced volume mp is kept as the
    // lowest free unusedN, a new netN gets type and hwaddr, an apply error keeps the key pending.
    cfg.main.options = {{"mp0", "local:100/vm-100-disk-1.raw,mp=/a"},
                        {"mp1", "local:100/vm-100-disk-2.raw,mp=/b"},
                        {"unused1", "local:100/vm-100-disk-9.raw"}};
    cfg.pending.options = {{"delete", "mp0"},
                           {"mp1", "local:100/vm-100-disk-3.raw,mp=/b"},
                           {"net0", "name=eth0,bridge=vmbr0"},
                           {"mp2", "nosuch:1,mp=/c"}};
    CHECK(apply() == true);
    CHECK(cfg.main.get("unused0") == "local:100/vm-100-disk-1.raw");
    CHECK(cfg.main.get("unused2") == "local:100/vm-100-disk-2.raw");
    CHECK(cfg.main.get("mp1") == "local:100/vm-100-disk-3.raw,mp=/b");
    CHECK_FALSE(cfg.main.get("mp0"));
    REQUIRE(cfg.main.get("net0"));
    CHECK(cfg.main.get("net0")->starts_with("name=eth0,bridge=vmbr0,hwaddr=BC:24:11:"));
    CHECK(cfg.main.get("net0")->ends_with(",type=veth"));
    CHECK(cfg.pending.get("mp2") == "nosuch:1,mp=/c");
    // (the volumes of this host cannot be sized: "Could not rescan volume size - ..." each)
    CHECK(std::ranges::count_if(warnings, [](const std::string& w) {
              return w.starts_with("unable to apply pending change mp2 : ");
          }) == 1);
}

TEST_CASE("runtime unit: the pending delete list is read and printed as Proxmox does") {
    Section pending;
    pending.options["delete"] = "swap; !cores,  tags swap";
    auto deletes = pending_deletes_of(pending);
    CHECK(deletes == PendingDeletes{{"cores", true}, {"swap", false}, {"tags", false}});
    deletes.emplace("arch", true);
    store_pending_deletes(pending, deletes);
    CHECK(pending.get("delete") == "!arch,!cores,swap,tags");
    store_pending_deletes(pending, {});
    CHECK_FALSE(pending.get("delete"));

    // cleanup_pending: values equivalent to the main ones and deletions of unset keys go.
    ContainerConfig cfg;
    cfg.main.options = {{"net0", "name=eth0,hwaddr=BC:24:11:00:00:01"}, {"memory", "512"}};
    cfg.pending.options = {{"net0", "hwaddr=bc:24:11:00:00:01,name=eth0"},
                           {"memory", "1024"},
                           {"delete", "swap,memory"}};
    CHECK(cleanup_pending(cfg) == std::vector<std::string>{"net0"});
    CHECK(cfg.pending.options == OptionMap{{"delete", "memory"}, {"memory", "1024"}});
}

TEST_CASE("runtime unit: liblxc log errors are condensed") {
    TempDir tmp;
    write_text(
        tmp.sub("lxc.log"),
        "lxc 100 20240101120000.100 WARN cgfsng - a.c:f:1 - Ignoring cgroup2 limits\n"
        "lxc 100 20240101120000.200 ERROR start - b.c:g:2 - Failed to exec \"/sbin/init\"\n"
        "lxc 100 20240101120000.300 ERROR sync - c.c:h:3 - An error occurred\n"
        "lxc 100 20240101120000.400 ERROR start - b.c:g:2 - Failed to exec \"/sbin/init\"\n");
    CHECK(log_errors(tmp.sub("lxc.log")) == "Failed to exec \"/sbin/init\"; An error occurred");
    CHECK(log_errors(tmp.sub("missing.log")).empty());
}

TEST_CASE("runtime unit: the container id map as in Proxmox parse_id_maps") {
    Section main;
    auto privileged = container_id_map(main, false);
    REQUIRE(privileged.has_value());
    CHECK(privileged->empty());
    CHECK_FALSE(privileged->chown_to().has_value());
    CHECK(userns_command(*privileged).empty());

    auto unpriv = container_id_map(main, true);
    REQUIRE(unpriv.has_value());
    CHECK(unpriv->entries ==
          std::vector<IdMapEntry>{{'u', 0, 100000, 65536}, {'g', 0, 100000, 65536}});
    CHECK(unpriv->chown_to() == Owner{100000, 100000});
    CHECK(userns_command(*unpriv) == std::vector<std::string>{"lxc-usernsexec", "-m",
                                                              "u:0:100000:65536", "-m",
                                                              "g:0:100000:65536", "--"});
    // Proxmox's tar command line, reading stdin into the working directory.
    CHECK(unpack_command("--zstd", *unpriv) ==
          std::vector<std::string>{"lxc-usernsexec",
                                   "-m",
                                   "u:0:100000:65536",
                                   "-m",
                                   "g:0:100000:65536",
                                   "--",
                                   "tar",
                                   "xpf",
                                   "-",
                                   "--zstd",
                                   "--one-file-system",
                                   "-p",
                                   "--sparse",
                                   "--numeric-owner",
                                   "--acls",
                                   "--xattrs",
                                   "--xattrs-include=user.*",
                                   "--xattrs-include=security.capability",
                                   "--warning=no-file-ignored",
                                   "--warning=no-xattr-write",
                                   "-C",
                                   ".",
                                   "--skip-old-files",
                                   "--anchored",
                                   "--exclude",
                                   "./dev/*"});
    CHECK(unpack_command("", *privileged).front() == "tar");
    // The decompression option by name only (Proxmox's tar_compression_option), .lzo included.
    CHECK(compressor_flag("/b/vzdump-lxc-100-2026_01_02-03_04_05.tar.lzo") == "--lzop");
    CHECK(compressor_flag("/b/x.tar.zst") == "--zstd");
    CHECK(compressor_flag("/b/x.tar") == "");
    CHECK(compressor_flag("/b/x.tar.LZO").error().message ==
          "unrecognized compression format: .LZO");

    // Raw lxc.idmap lines replace the default, also without `unprivileged`.
    main.lxc = {{"lxc.idmap", "u 0 200000 1000"},
                {"lxc.idmap", "u 1000 1000 1"},
                {"lxc.idmap", "g\t0   300000 65536  "},
                {"lxc.apparmor.profile", "unconfined"}};
    auto raw = container_id_map(main, false);
    REQUIRE_MESSAGE(raw.has_value(), (raw ? "" : raw.error().message));
    CHECK(raw->entries.size() == 3);
    CHECK(raw->root == Owner{200000, 300000});
    CHECK(userns_command(*raw)[2] == "u:0:200000:1000");

    SUBCASE("refusals name lxc.idmap") {
        main.lxc = {{"lxc.idmap", "u 0 100000"}};
        auto bad = container_id_map(main, true);
        REQUIRE_FALSE(bad.has_value());
        CHECK(bad.error().code == Errc::invalid_argument);
        CHECK(bad.error().key == "lxc.idmap");
        CHECK(bad.error().message == "failed to parse idmap: u 0 100000");
        for (const char* text : {"x 0 1 2", "u 0 1 2 3", "u -1 1 2", "u0 1 2", "u 0 1 2x"}) {
            main.lxc = {{"lxc.idmap", text}};
            CHECK_MESSAGE(!container_id_map(main, true).has_value(), text);
        }
        main.lxc = {{"lxc.idmap", "u 1 100000 65536"}, {"lxc.idmap", "g 0 100000 65536"}};
        auto no_root = container_id_map(main, true);
        REQUIRE_FALSE(no_root.has_value());
        CHECK(no_root.error().message ==
              "the lxc.idmap entries must map container uid 0 and gid 0");
    }
}

TEST_CASE("runtime unit: cgroup discovery and leftover removal") {
    auto mounts = read_cgroup_mounts();
    if (!mounts.v1.empty() || !mounts.unified.empty()) {
        std::string self_ctrl = mounts.v1.contains("memory") ? "memory" : "";
        auto dir = pid_cgroup_dir(mounts, ::getpid(), self_ctrl, "");
        REQUIRE(dir.has_value());
        CHECK(fs::is_directory(*dir));
    }
    TempDir tmp;
    CgroupMounts fake;
    fake.v1 = {{"memory", tmp.sub("memory")}, {"cpu", tmp.sub("cpu")}};
    fake.unified = tmp.sub("unified");
    for (std::string root : {tmp.sub("memory"), tmp.sub("cpu"), tmp.sub("unified")}) {
        fs::create_directories(root + "/lxc.monitor/900");
        fs::create_directories(root + "/lxc/900/ns");
        fs::create_directories(root + "/lxc.monitor.900-3");
        fs::create_directories(root + "/lxc.payload.900");
        fs::create_directories(root + "/lxc.monitor.9001");  // another CT
        fs::create_directories(root + "/lxc.payload.900-x"); // not liblxc's pattern
        fs::create_directories(root + "/lxc/901");
    }
    fs::create_directories(tmp.sub("memory") + "/lxc/900/ns/busy"); // non-empty: kept
    int removed = remove_leftover_cgroups(fake, Vmid{900});
    CHECK(removed == 3 * 5 - 2); // 5 per hierarchy; lxc/900/ns and lxc/900 stay in memory
    for (std::string root : {tmp.sub("memory"), tmp.sub("cpu"), tmp.sub("unified")}) {
        CHECK_FALSE(fs::exists(root + "/lxc.monitor/900"));
        CHECK_FALSE(fs::exists(root + "/lxc.monitor.900-3"));
        CHECK_FALSE(fs::exists(root + "/lxc.payload.900"));
        CHECK(fs::exists(root + "/lxc.monitor.9001"));
        CHECK(fs::exists(root + "/lxc.payload.900-x"));
        CHECK(fs::exists(root + "/lxc/901"));
    }
    CHECK(fs::exists(tmp.sub("memory") + "/lxc/900/ns/busy"));
    CHECK_FALSE(fs::exists(tmp.sub("cpu") + "/lxc/900"));
}

TEST_CASE("runtime unit: state names and the list table") {
    CHECK(std::string(runtime::to_string(runtime::State::frozen)) == "FROZEN");
    CHECK(std::string(runtime::status_word(runtime::State::frozen)) == "running");
    CHECK(std::string(runtime::status_word(runtime::State::stopped)) == "stopped");
    CHECK(runtime::format_list({}).empty());
    runtime::ListEntry e;
    e.vmid = Vmid{100};
    e.status = "stopped";
    e.lock = "backup";
    e.name = "ct100";
    CHECK(runtime::format_list({e}) == "VMID       Status     Lock         Name                \n"
                                       "100        stopped    backup       ct100               \n");
}

TEST_CASE("runtime unit: the start helper is found in this build tree and reports its failures") {
    ::unsetenv("PCT_LXC_START_HELPER");
    std::string built = start_helper_path();
    // This test binary runs from the build tree, so it gets the helper built beside it.
    CHECK(built.ends_with("/libexec/pct/pct-lxc-start"));
    CHECK(::access(built.c_str(), X_OK) == 0);

    TempDir dir;
    auto missing = start_through_helper("100", dir.path(), std::chrono::seconds(10));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::lxc);
    CHECK(missing.error().message == "liblxc cannot open container '100' in '" + dir.path() + "'");

    std::string elsewhere = dir.path() + "/no-helper";
    ::setenv("PCT_LXC_START_HELPER", elsewhere.c_str(), 1);
    CHECK(start_helper_path() == elsewhere);
    auto absent = start_through_helper("100", dir.path(), std::chrono::seconds(10));
    ::unsetenv("PCT_LXC_START_HELPER");
    REQUIRE_FALSE(absent);
    CHECK(absent.error().code == Errc::not_found);
    CHECK(absent.error().message.find("'" + elsewhere + "' is missing") != std::string::npos);

    // A helper that hangs is killed at the deadline.
    std::string sleeper = dir.path() + "/sleeper";
    write_text(sleeper, "#!/bin/sh\nexec sleep 30\n");
    fs::permissions(sleeper, fs::perms::owner_all);
    ::setenv("PCT_LXC_START_HELPER", sleeper.c_str(), 1);
    auto t0 = std::chrono::steady_clock::now();
    auto hung = start_through_helper("100", dir.path(), std::chrono::milliseconds(300));
    ::unsetenv("PCT_LXC_START_HELPER");
    REQUIRE_FALSE(hung);
    CHECK(hung.error().message == "liblxc's start did not return in time");
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
}

namespace {

// A pseudo-terminal of the test: `slave` stands for the caller's terminal, `master` for the
// keyboard and screen behind it.
struct CallerTerminal {
    UniqueFd master{::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)};
    UniqueFd slave;
    CallerTerminal() {
        REQUIRE(master.get() >= 0);
        REQUIRE(::grantpt(master.get()) == 0);
        REQUIRE(::unlockpt(master.get()) == 0);
        slave.reset(::open(::ptsname(master.get()), O_RDWR | O_NOCTTY | O_CLOEXEC));
        REQUIRE(slave.get() >= 0);
    }
    /// What the screen shows now.
    [[nodiscard]] std::string screen() const {
        std::string got;
        ::fcntl(master.get(), F_SETFL, O_NONBLOCK);
        char buf[1024];
        for (ssize_t n; (n = ::read(master.get(), buf, sizeof buf)) > 0;)
            got.append(buf, static_cast<std::size_t>(n));
        return got;
    }
};

// Forks the command: runs `body` with the pty's slave as its stdin and stdout.
template <class Body> pid_t fork_command(int slave, Body body) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(slave, 0);
        ::dup2(slave, 1);
        ::_exit(body());
    }
    return pid;
}

int exit_status(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

TEST_CASE("runtime unit: which descriptors get a pty and what the command gets") {
    CallerTerminal term;
    int s = term.slave.get();
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    UniqueFd pipe_r(p[0]), pipe_w(p[1]), null(::open("/dev/null", O_RDWR | O_CLOEXEC));
    CHECK(tty_plan(s, s, s) == TtyPlan{true, true, true});
    CHECK(tty_plan(p[0], p[1], s) == TtyPlan{false, false, true});
    CHECK(tty_plan(s, p[1], p[1]) == TtyPlan{true, false, false});
    CHECK_FALSE(tty_plan(null.get(), -1, 999).any());
    CHECK_FALSE(tty_plan(p[0], p[1], null.get()).any());

    winsize size{33, 77, 0, 0};
    REQUIRE(::ioctl(s, TIOCSWINSZ, &size) == 0);
    auto proxy = PtyProxy::open({p[0], s, p[1]}, tty_plan(p[0], s, p[1]));
    REQUIRE(proxy.has_value());
    StdioFds fds = proxy->command_fds();
    CHECK(fds.in == p[0]);
    CHECK(fds.err == p[1]);
    REQUIRE(fds.out != s);
    CHECK(::isatty(fds.out) == 1);
    struct stat pty {
    }, caller{};
    REQUIRE(::fstat(fds.out, &pty) == 0);
    REQUIRE(::fstat(s, &caller) == 0);
    CHECK(pty.st_rdev != caller.st_rdev); // another terminal than the caller's
    winsize got{};
    REQUIRE(::ioctl(fds.out, TIOCGWINSZ, &got) == 0);
    CHECK(got.ws_row == 33);
    CHECK(got.ws_col == 77);
    termios modes{};
    REQUIRE(::tcgetattr(fds.out, &modes) == 0);
    CHECK((modes.c_oflag & OPOST) == 0); // stdin is no terminal: the caller's does the output
    CHECK((::fcntl(fds.out, F_GETFD) & FD_CLOEXEC) != 0);
}

TEST_CASE("runtime unit: the pty proxy relays keys and output and restores the caller's modes") {
    CallerTerminal term;
    int s = term.slave.get();
    termios before{};
    REQUIRE(::tcgetattr(s, &before) == 0);
    auto proxy = PtyProxy::open({s, s, s}, tty_plan(s, s, s));
    REQUIRE(proxy.has_value());
    pid_t pid = fork_command(proxy->command_fds().in, [] {
        char line[64];
        ssize_t n = ::read(0, line, sizeof line);
        if (n <= 0 || ::write(1, "got:", 4) != 4 ||
            ::write(1, line, static_cast<std::size_t>(n)) != n)
            return 1;
        return 3;
    });
    proxy->release_slave();
    REQUIRE(::write(term.master.get(), "typed\n", 6) == 6);
    proxy->relay(pid);
    CHECK(exit_status(pid) == 3);
    std::string screen = term.screen();
    CHECK_MESSAGE(screen.find("got:typed\r\n") != std::string::npos, screen);
    termios after{};
    REQUIRE(::tcgetattr(s, &after) == 0);
    CHECK(after.c_lflag == before.c_lflag);
    CHECK(after.c_iflag == before.c_iflag);
    CHECK(after.c_oflag == before.c_oflag);
}

TEST_CASE("runtime unit: the pty proxy sends SIGTERM on to the command and then lets go of it") {
    CallerTerminal term;
    int s = term.slave.get();
    auto proxy = PtyProxy::open({s, s, s}, tty_plan(s, s, s));
    REQUIRE(proxy.has_value());
    pid_t pid = fork_command(proxy->command_fds().in, [] {
        ::sleep(30);
        return 0;
    });
    proxy->release_slave();
    auto disposition = [] {
        struct sigaction now {};
        ::sigaction(SIGTERM, nullptr, &now);
        return now.sa_handler;
    };
    auto before = disposition(); // doctest's own, reporting crashes
    auto handled = [&] { return disposition() != before; };
    std::thread sender([&] {
        while (!handled())
            ::usleep(10000);
        ::kill(::getpid(), SIGTERM); // to this process, which survives: the proxy has it
    });
    proxy->relay(pid);
    sender.join();
    CHECK(exit_status(pid) == 128 + SIGTERM);
    CHECK_FALSE(handled()); // the previous disposition is back
}

TEST_CASE("runtime unit: an installed runtime finds the helper of its own prefix") {
    const std::string helper =
        std::string("/opt/moved/") + PCT_TEST_LIBEXECDIR + "/pct/pct-lxc-start";
    if (std::string_view(PCT_TEST_LIBEXECDIR).starts_with('/')) {
        CHECK(installed_helper_for("/opt/moved/lib/libpct.so.0") == PCT_TEST_HELPER_INSTALLED);
        return;
    }
    CHECK(installed_helper_for(std::string("/opt/moved/") + PCT_TEST_LIBDIR + "/libpct.so.0.1.0") ==
          helper);
    CHECK(installed_helper_for(std::string("/opt/moved/") + PCT_TEST_BINDIR + "/pct") == helper);
    // Elsewhere (a copied library, a part-name match): the configured path.
    CHECK(installed_helper_for("/somewhere/else/libpct.so.0") == PCT_TEST_HELPER_INSTALLED);
    CHECK(installed_helper_for(std::string("/opt/x") + PCT_TEST_BINDIR + "/pct") ==
          PCT_TEST_HELPER_INSTALLED);
    CHECK(installed_helper_for("libpct.so") == PCT_TEST_HELPER_INSTALLED);
}

TEST_CASE("runtime unit: the keys create takes follow the schema by rule") {
    std::size_t settable = 0;
    for (std::string_view key : schema::key_names())
        settable += runtime::settable_at_create(key) ? 1 : 0;
    // 830 schema keys less parent, snaptime, lock and unused0..unused255.
    CHECK(settable == 830 - 3 - 256);
    for (const char* key : {"description", "hostname", "net0", "net31", "mp0", "mp255", "dev0",
                            "dev255", "rootfs", "unprivileged", "env", "entrypoint", "hookscript"})
        CHECK_MESSAGE(runtime::settable_at_create(key), key);
    for (const char* key : {"net32", "mp256", "dev256", "unused0", "lock", "parent", "snaptime",
                            "digest", "net", "mp", "vmstate", "lxc.idmap", ""})
        CHECK_FALSE_MESSAGE(runtime::settable_at_create(key), key);
}

TEST_CASE("runtime unit: volume names and sizes are read as Proxmox reads them") {
    for (const char* ok : {"local:8", "local:0.5", "local:0", "my-store:12.25", "x:1"})
        CHECK_MESSAGE(storage::is_allocation_form(ok), ok);
    for (const char* bad : {"local:-1", "local:1e3", "local:abc", "local:1.", "local:.5", ":8",
                            "local:", "local 2:8", "local:8G", "local:0x10", "8"})
        CHECK_FALSE_MESSAGE(storage::is_allocation_form(bad), bad);

    for (const char* ok :
         {"100/subvol-100-disk-0.subvol", "100/vm-100-disk-1.raw", "100/base-100-disk-0.qcow2",
          "100/foo.raw", "100/basevol-100-disk-0.subvol",
          "100/base-100-disk-0.raw/101/vm-101-disk-0.qcow2"})
        CHECK_MESSAGE(storage::check_dir_image_name(ok).has_value(), ok);
    struct Bad {
        const char* name;
        const char* message;
    };
    for (auto [name, message] : {
             Bad{"abc", "unable to parse directory volume name 'abc'"},
             Bad{"-1", "unable to parse directory volume name '-1'"},
             Bad{"rootdir/100", "unable to parse directory volume name 'rootdir/100'"},
             Bad{"100/vm-100-disk-0", "unable to parse volume filename 'vm-100-disk-0'"},
             Bad{"100/snap-x.qcow2", "'snap-x.qcow2' is a snapshot filename, not a volume!"},
             Bad{"subvol-100-disk-0.subvol",
                 "unable to parse directory volume name 'subvol-100-disk-0.subvol'"},
             Bad{"iso/debian.iso",
                 "volume name 'iso/debian.iso' is not a container volume (content type 'iso')"},
         }) {
        CAPTURE(name);
        auto r = storage::check_dir_image_name(name);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().message == message);
    }
}

TEST_CASE("runtime unit: status I/O counters and the verbose lines as Proxmox prints them") {
    auto v1 = v1_io_bytes("8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 8192\n8:0 Async 4096\n"
                          "8:0 Total 12288\n8:16 Read 100\n8:16 Write 1\nTotal 12389\n");
    CHECK(v1.read == 4196);
    CHECK(v1.write == 8193);
    auto v2 = v2_io_bytes("8:0 rbytes=4096 wbytes=512 rios=1 wios=1 dbytes=0 dios=0\n"
                          "253:1 rbytes=10 wbytes=20 rios=1 wios=1\n");
    CHECK(v2.read == 4106);
    CHECK(v2.write == 532);
    CHECK(v1_io_bytes("").read == 0);

    runtime::Status st;
    st.vmid = Vmid{100};
    st.status = "running";
    st.name = "ct100";
    st.cpus = 0.5;
    st.cpu = 0.25;
    st.pid = 42;
    st.mem = 1234;
    std::string text = st.verbose_text();
    CHECK(text == "cpus: 0.5\ndisk: 0\ndiskread: 0\ndiskwrite: 0\nmaxdisk: 0\nmaxmem: 0\n"
                  "maxswap: 0\nmem: 1234\nname: ct100\nnetin: 0\nnetout: 0\npid: 42\n"
                  "status: running\nswap: 0\ntype: lxc\nuptime: 0\nvmid: 100\n");
    st.lock = "backup";
    st.tags = "a;b";
    st.is_template = true;
    text = st.verbose_text();
    CHECK(text.find("lock: backup\nmaxdisk:") != std::string::npos);
    CHECK(text.find("swap: 0\ntags: a;b\ntemplate: 1\ntype: lxc\n") != std::string::npos);
}

TEST_CASE("runtime unit: the progress meter reports rate, ETA and one final report") {
    using namespace std::chrono_literals;
    std::vector<pct::runtime::Progress> seen;
    pct::runtime::ProgressMeter meter([&](const auto& p) { seen.push_back(p); }, "copy", 1000, 0ms);
    meter.add(100);
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].phase == "copy");
    CHECK(seen[0].bytes == 100);
    CHECK(seen[0].total == 1000);
    CHECK_FALSE(seen[0].done);
    std::this_thread::sleep_for(5ms);
    meter.add(400);
    REQUIRE(seen.size() == 2);
    CHECK(seen[1].rate > 0);
    REQUIRE(seen[1].eta_seconds);
    CHECK(*seen[1].eta_seconds > 0);
    meter.finish();
    meter.finish();
    meter.add(1);
    REQUIRE(seen.size() == 3);
    CHECK(seen[2].done);
    CHECK(seen[2].bytes == 500);
    CHECK(*seen[2].eta_seconds == 0.0);

    // Throttled: a long interval gives only the final report.
    std::vector<pct::runtime::Progress> few;
    pct::runtime::ProgressMeter slow([&](const auto& p) { few.push_back(p); }, "extract", 0, 1h);
    for (int i = 0; i < 1000; ++i)
        slow.add(10);
    slow.finish();
    REQUIRE(few.size() == 1);
    CHECK(few[0].bytes == 10000);
    CHECK(few[0].done);
}
