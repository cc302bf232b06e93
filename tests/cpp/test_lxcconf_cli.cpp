// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct file lxc`, run as a process.
#include "test_lxcconf_util.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace lxcconf_test;

namespace {

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs build/bin/pct with `args`, stdout and stderr captured in files of `dir`.
Run run_pct(const TempDir& dir, const std::vector<std::string>& args) {
    std::string bin = std::string(PCT_BINARY_DIR) + "/bin/pct";
    REQUIRE_MESSAGE(fs::exists(bin), "pct binary not built: " << bin);
    std::string out_path = (dir.path() / "stdout").string();
    std::string err_path = (dir.path() / "stderr").string();

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    std::vector<char*> argv;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    Run r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
}

} // namespace

TEST_CASE("pct file lxc: proxmox profile with the seccomp file") {
    TempDir dir;
    auto r = run_pct(dir, {"file", "lxc", "--profile", "proxmox", "--vmid", "102", "--with-files",
                           data_dir() + "/unprivileged.conf"});
    CHECK(r.exit_code == 0);
    std::string want = read_file(data_dir() + "/unprivileged.proxmox.lxc") +
                       "### /var/lib/lxc/102/rules.seccomp\n" +
                       read_file("/usr/share/lxc/config/common.seccomp") +
                       "ioctl errno 1 [1,0x9400,SCMP_CMP_MASKED_EQ,0xff00]\n"
                       "socket errno 97 [0,38,SCMP_CMP_EQ]\n";
    CHECK(r.out == want);
    CHECK(r.err.empty());

    r = run_pct(dir, {"file", "lxc", "--profile", "proxmox", "--vmid", "102",
                      data_dir() + "/unprivileged.conf"});
    CHECK(r.out == read_file(data_dir() + "/unprivileged.proxmox.lxc"));
}

TEST_CASE("pct file lxc: the CTID comes from the file name") {
    TempDir dir;
    write_file(dir.path() / "205.conf", read_file(data_dir() + "/minimal.conf"));
    auto r =
        run_pct(dir, {"file", "lxc", "--profile", "proxmox", (dir.path() / "205.conf").string()});
    CHECK(r.exit_code == 0);
    CHECK(has_line(r.out, "lxc.uts.name = CT205"));
    CHECK(has_line(r.out, "lxc.rootfs.path = /var/lib/lxc/205/rootfs"));
}

TEST_CASE("pct file lxc: errors go to stderr with exit 1, unusable files with exit 2") {
    TempDir dir;
    write_file(dir.path() / "300.conf", "ostype: debian\nrootfs: local:300/x.raw\n");
    auto r =
        run_pct(dir, {"file", "lxc", "--profile", "proxmox", (dir.path() / "300.conf").string()});
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("missing 'arch' - internal error") != std::string::npos);

    // A file that cannot be read or is not a container config: exit 2, as `pct file canon`.
    const std::string missing = (dir.path() / "missing.conf").string();
    r = run_pct(dir, {"file", "lxc", missing});
    CHECK(r.exit_code == 2);
    CHECK(r.err == missing + ": cannot read: No such file or directory\n");
    r = run_pct(dir, {"file", "lxc", dir.path().string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "file '" + dir.path().string() +
                       "' is not a regular file (a directory), not a container config\n");
    write_file(dir.path() / "301.conf", std::string("arch: amd64\0\x01", 13));
    r = run_pct(dir, {"file", "lxc", "--profile", "proxmox", (dir.path() / "301.conf").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err == (dir.path() / "301.conf").string() +
                       ": not a container config (binary data: NUL byte at byte offset 11 "
                       "(line 1))\n");
    write_file(dir.path() / "302.conf", "root:x:0:0:root:/root:/bin/bash\nbin: x:2:2\n");
    r = run_pct(dir, {"file", "lxc", "--profile", "proxmox", (dir.path() / "302.conf").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == (dir.path() / "302.conf").string() +
                       ": not a container config (no line is a container option, lxc.* key or "
                       "section header)\n");

    r = run_pct(dir, {"file", "lxc", "--profile", "bogus", (dir.path() / "300.conf").string()});
    CHECK(r.exit_code != 0);
}

TEST_CASE("pct file lxc: native profile for this host") {
    TempDir dir;
    auto r = run_pct(dir, {"file", "lxc", "--vmid", "101", data_dir() + "/privileged.conf"});
    // The generation may legitimately fail if this host has no vmbr0; both outcomes are checked.
    if (fs::exists("/sys/class/net/vmbr0/bridge")) {
        CHECK(r.exit_code == 0);
    } else {
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("bridge 'vmbr0' does not exist") != std::string::npos);
    }
    write_file(dir.path() / "101.conf", read_file(data_dir() + "/minimal.conf") + "memory: 256\n");
    r = run_pct(dir, {"file", "lxc", (dir.path() / "101.conf").string()});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("lxcnetaddbr") == std::string::npos);
    if (fs::exists("/sys/fs/cgroup/cgroup.controllers"))
        CHECK(has_line(r.out, "lxc.cgroup2.memory.max = 268435456"));
    else if (fs::exists("/sys/fs/cgroup/memory/cgroup.procs"))
        CHECK(has_line(r.out, "lxc.cgroup.memory.limit_in_bytes = 268435456"));
}

TEST_CASE("pct file lxc: a privileged CT without AppArmor, with and without nesting") {
    TempDir dir;
    write_file(dir.path() / "101.conf", read_file(data_dir() + "/minimal.conf"));
    auto r = run_pct(dir, {"file", "lxc", "--with-files", (dir.path() / "101.conf").string()});
    REQUIRE(r.exit_code == 0);
    write_file(dir.path() / "101.conf",
               read_file(data_dir() + "/minimal.conf") + "features: nesting=1\n");
    auto nesting = run_pct(dir, {"file", "lxc", (dir.path() / "101.conf").string()});
    REQUIRE(nesting.exit_code == 0);
    if (fs::exists("/sys/kernel/security/apparmor")) {
        CHECK(r.out.find("mount errno 1") == std::string::npos);
        CHECK(nesting.err.empty());
        return;
    }
    CHECK(r.out.find("\nmount errno 1\n") != std::string::npos);
    CHECK(r.out.find("\nmount_setattr errno 1\n") != std::string::npos);
    CHECK(has_line(r.out, "lxc.mount.auto = proc:mixed sys:mixed"));
    CHECK(r.err.empty());
    CHECK(nesting.err == "warning: CT 101 is privileged on a host without AppArmor, and "
                         "features: nesting=1 allows it to mount: its root can mount proc or "
                         "sysfs and change host-wide kernel settings (kernel.core_pattern, "
                         "...). Make it unprivileged (unprivileged: 1) or drop the feature to "
                         "have mounts denied\n");
    CHECK(nesting.out.find("rules.seccomp") == std::string::npos);
}
