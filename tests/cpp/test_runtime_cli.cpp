// SPDX-License-Identifier: AGPL-3.0-or-later
// The `pct` runtime commands end to end on a temporary root ($PCT_ROOT and --root): Proxmox's
// flags, output formats and exit codes; `console` on a real pseudo-terminal.
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "ct_guard.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/storage/host.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pct;
using pct::test::sh;
using namespace std::chrono_literals;

namespace {

struct Cli {
    std::string root;
    test::CommandResult operator()(const std::string& args) const {
        return sh(fmt::format("PCT_ROOT='{}' '{}/bin/pct' {}", root, PCT_BINARY_DIR, args));
    }
    /// `pct ARGS` with `input` on its stdin (a pipe, not a terminal).
    test::CommandResult fed(const std::string& input, const std::string& args) const {
        return sh(fmt::format("printf '%s' '{}' | PCT_ROOT='{}' '{}/bin/pct' {}", input, root,
                              PCT_BINARY_DIR, args));
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
    // As Proxmox's pct: no cpu line (fix #4765), no lock line without a lock.
    CHECK(("\n" + verbose).find("\ncpu:") == std::string::npos);
    CHECK(verbose.find("lock:") == std::string::npos);

    // stdout/stderr pass through; the command's exit code is pct's.
    r = pct("exec " + ctid + " -- sh -c 'hostname; echo err >&2; exit 4'");
    CHECK(r.status == 4);
    CHECK(r.out == "cli-ct\nerr\n");
    CHECK(pct("exec " + ctid).status == 255); // missing command

    r = pct("list");
    CHECK(r.out == fmt::format("{:<10} {:<10} {:<12} {:<20}\n{:<10} {:<10} {:<12} {:<20}\n", "VMID",
                               "Status", "Lock", "Name", ctid, "running", "", "cli-ct"));

    // --output-format json: the API's vmstatus of a running CT (pid, uptime, usage as numbers),
    // the same in `list` and `status` (status/current adds `ha`).
    r = pct("status " + ctid + " --output-format json");
    REQUIRE(r.status == 0);
    auto st = nlohmann::json::parse(r.out);
    CHECK(st["vmid"] == id.value);
    CHECK(st["status"] == "running");
    CHECK(st["name"] == "cli-ct");
    CHECK(st["type"] == "lxc");
    CHECK(st["maxmem"] == 100663296);
    CHECK(st["pid"].get<int>() > 1);
    CHECK(st["mem"].get<std::uint64_t>() > 0);
    CHECK(st["uptime"].is_number_unsigned());
    CHECK(st["cpu"].is_number());
    CHECK(st["ha"] == nlohmann::json::parse(R"({"managed":0})"));
    CHECK_FALSE(st.contains("lock"));
    r = pct("list --output-format json-pretty");
    REQUIRE(r.status == 0);
    auto listed = nlohmann::json::parse(r.out);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["vmid"] == id.value);
    CHECK(listed[0]["status"] == "running");
    CHECK(listed[0]["pid"] == st["pid"]);
    CHECK_FALSE(listed[0].contains("ha"));

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

namespace {

// `pct ARGS...` on a new pseudo-terminal (its controlling tty), as a user at a terminal runs it.
struct PtyRun {
    int master = -1;
    pid_t pid = -1;
    PtyRun(const std::string& root, std::vector<std::string> args) {
        master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(master >= 0);
        REQUIRE(::grantpt(master) == 0);
        REQUIRE(::unlockpt(master) == 0);
        std::string slave = ::ptsname(master);
        std::string binary = std::string(PCT_BINARY_DIR) + "/bin/pct";
        args.insert(args.begin(), {binary, "--root", root});
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::setsid();
            int fd = ::open(slave.c_str(), O_RDWR); // becomes the controlling terminal
            if (fd < 0)
                ::_exit(126);
            ::dup2(fd, 0);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
    }
    PtyRun(const PtyRun&) = delete;
    PtyRun& operator=(const PtyRun&) = delete;
    ~PtyRun() {
        if (pid > 0 && ::waitpid(pid, nullptr, WNOHANG) == 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        ::close(master);
    }
    void send(std::string_view text) const {
        REQUIRE(::write(master, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    }
    /// Reads until `needle` shows up or `timeout` passes; returns what was read.
    std::string read_until(std::string_view needle, std::chrono::milliseconds timeout) const {
        std::string got;
        auto end = std::chrono::steady_clock::now() + timeout;
        while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < end) {
            pollfd p{master, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0)
                continue;
            char buf[512];
            ssize_t n = ::read(master, buf, sizeof buf);
            if (n <= 0)
                break;
            got.append(buf, static_cast<std::size_t>(n));
        }
        return got;
    }
    /// Waits for liblxc's banner: keys typed before it would be flushed with the old tty mode.
    void attached(std::string_view escape = "<Ctrl+a q>") const {
        std::string banner = read_until("to exit the console", 10s);
        REQUIRE_MESSAGE(banner.find("to exit the console") != std::string::npos, banner);
        CHECK(banner.find(escape) != std::string::npos);
    }
    /// The exit status, or -1 when the command has not ended within `timeout`.
    int wait(std::chrono::milliseconds timeout) {
        int status = 0;
        bool done =
            pct::test::eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout);
        if (!done)
            return -1;
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
};

} // namespace

TEST_CASE("runtime cli: reboot, enter, and console per cmode (tty, console, shell)") {
    if (pct::test::skip_containers("runtime cli"))
        return;
    test::TempDir dir("pct-cli");
    Vmid id = pct::test::unique_vmid(71);
    test::CtGuard guard(storage::Host(dir.path()), {id});
    Cli pct{dir.path()};
    std::string ctid = std::to_string(id.value);
    const std::string conf = dir.path() + "/etc/pve/lxc/" + ctid + ".conf";
    auto r = pct(fmt::format("create {} '{}' --hostname cli-tty --memory 96 --ostype debian "
                             "--start 1",
                             ctid, pct::test::busybox_template()));
    REQUIRE_MESSAGE(r.status == 0, r.out);
    auto ct = runtime::Container::open(storage::Host(dir.path()), id).value();
    REQUIRE(pct::test::wait_boot(ct));
    int first_init = ct.init_pid();

    r = pct("reboot " + ctid + " --timeout 30");
    CHECK_MESSAGE(r.status == 0, r.out);
    CHECK(pct("status " + ctid).out == "status: running\n");
    CHECK(ct.init_pid() != first_init);
    REQUIRE(pct::test::wait_boot(ct));

    // enter: the CT's shell reads the caller's stdin; its exit status is pct's.
    r = pct.fed("hostname\nexit 3\n", "enter " + ctid);
    CHECK(r.status == 3);
    CHECK(r.out.find("cli-tty\n") != std::string::npos);

    SUBCASE("cmode tty (default): a getty, left with Ctrl-a q") {
        PtyRun console(dir.path(), {"console", ctid});
        console.attached();
        bool prompted = false; // getty may still be starting under load: poke it again
        for (int attempt = 0; attempt < 10 && !prompted; ++attempt) {
            console.send("\n");
            prompted = console.read_until("cli-tty login:", 3s).find("cli-tty login:") !=
                       std::string::npos;
        }
        CHECK(prompted);
        console.send("\x01q");
        CHECK(console.wait(10s) == 0);
    }
    SUBCASE("cmode console: init's /dev/console shell, --escape ^b") {
        REQUIRE(pct("file set --lossless " + conf + " cmode console").status == 0);
        PtyRun console(dir.path(), {"console", ctid, "--escape", "^b"});
        console.attached("<Ctrl+b q>");
        // Under load the console shell may not be reading yet (init respawns it): ask again
        // until it answers.
        bool answered = false;
        for (int attempt = 0; attempt < 10 && !answered; ++attempt) {
            console.send("echo con-$((6*7))\n");
            answered = console.read_until("con-42", 3s).find("con-42") != std::string::npos;
        }
        CHECK(answered);
        console.send("\x02q");
        CHECK(console.wait(10s) == 0);
    }
    SUBCASE("cmode shell: a shell like enter, without a terminal") {
        REQUIRE(pct("file set --lossless " + conf + " cmode shell").status == 0);
        r = pct.fed("echo sh-$((6*7))\nexit 4\n", "console " + ctid);
        CHECK(r.status == 4);
        CHECK(r.out.find("sh-42\n") != std::string::npos);
    }

    CHECK(pct("destroy " + ctid + " --force").status == 0);
    CHECK(pct::test::eventually([&] { return pct::test::leftovers(id).empty(); }, 3s));
}

TEST_CASE("runtime cli: create takes the schema's keys and refuses what Proxmox refuses") {
    if (pct::test::skip_containers("runtime cli"))
        return;
    test::TempDir dir("pct-cli");
    Vmid id = pct::test::unique_vmid(72);
    test::CtGuard guard(storage::Host(dir.path()), {id});
    Cli pct{dir.path()};
    std::string create = fmt::format("create {} '{}' ", id.value, pct::test::busybox_template());

    for (const char* name : {"-1", "1e3", "abc"}) {
        auto r = pct(create + "--rootfs local:" + name);
        CHECK(r.status == 255);
        CHECK(r.out == fmt::format("rootfs: unable to parse directory volume name '{}'\n", name));
    }
    // Indexed keys in the schema's whole range are flags (the old hand list stopped at 9).
    auto r = pct(create + "--rootfs local:2 --net31 name=eth0 --dev255 /dev/null "
                          "--mp255 local:abc,mp=/data");
    CHECK(r.status == 255);
    CHECK(r.out == "mp255: unable to parse directory volume name 'abc'\n");
    for (const char* flag : {"--net32 name=eth0", "--mp256 /x,mp=/x", "--lock backup",
                             "--unused256 local:1", "--parent snap", "--snaptime 1"}) {
        CAPTURE(flag);
        r = pct(create + flag);
        // Proxmox's CLI handler: Getopt's complaint, then the usage line, exit 255.
        const std::string key = std::string(flag).substr(2, std::string(flag).find(' ') - 2);
        CHECK(r.status == 255);
        CHECK(r.out.starts_with("Unknown option: " + key + "\n400 unable to parse option\n"));
    }
    CHECK(pct("list").out.empty());
    CHECK_FALSE(std::filesystem::exists(dir.path() + "/var/lib/vz/images"));

    r = pct(create + "--description 'made by the CLI' --rootfs 1 --net31 name=eth0 --start 1");
    REQUIRE_MESSAGE(r.status == 0, r.out);
    auto text = test::read_text(fmt::format("{}/etc/pve/lxc/{}.conf", dir.path(), id.value));
    CHECK(text.starts_with("#made by the CLI\n"));
    CHECK(text.find(fmt::format("rootfs: local:{0}/vm-{0}-disk-0.raw,size=1G\n", id.value)) !=
          std::string::npos);
    CHECK(text.find("net31: name=eth0,") != std::string::npos);
    CHECK(pct(fmt::format("stop {}", id.value)).status == 0);

    // Start refuses a mount point it cannot mount, with Proxmox's message and the key.
    test::write_text(fmt::format("{}/etc/pve/lxc/{}.conf", dir.path(), id.value),
                     text + "mp3: /srv/data,mp=/data\n");
    r = pct(fmt::format("start {}", id.value));
    CHECK(r.status == 255);
    CHECK(r.out == fmt::format("mp3: directory '{}/srv/data' does not exist\n", dir.path()));
    CHECK(pct(fmt::format("status {}", id.value)).out == "status: stopped\n");
    CHECK(pct(fmt::format("destroy {}", id.value)).status == 0);
}
