// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct file ...` run as a real process on temporary files: stdout, stderr, exit code, and
// the file left behind.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;

namespace {

/// A temporary directory, removed with everything in it when the test ends (also on failure).
struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "pct-cli-test-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    fs::path write(const std::string& name, const std::string& content) const {
        fs::path p = path / name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }
};

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct Run {
    int code = -1;
    std::string out;
    std::string err;
    double cpu_seconds = 0; ///< user + system time of the process
    long max_rss_kb = 0;    ///< its peak resident memory
};

/// Runs build/bin/pct with `args`, stdout and stderr captured through files of `dir`.
Run pct(const TempDir& dir, std::vector<std::string> args) {
    const std::string binary = std::string(PCT_BINARY_DIR) + "/bin/pct";
    REQUIRE_MESSAGE(fs::exists(binary), "pct binary not built: " << binary);
    const fs::path out = dir.path / ".stdout";
    const fs::path err = dir.path / ".stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    args.insert(args.begin(), binary);
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    int status = 0;
    struct rusage usage {};
    REQUIRE(::wait4(pid, &status, 0, &usage) == pid);
    Run run;
    run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
    };
    run.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    run.max_rss_kb = usage.ru_maxrss;
    run.out = slurp(out);
    run.err = slurp(err);
    fs::remove(out);
    fs::remove(err);
    return run;
}

const std::string messy = "#note: x\n"
                          "onboot: yes\n"
                          "memory: 0512\n"
                          "foo: bar\n"
                          "lxc.cap.drop = sys_time\n"
                          "hostname: ct1\n"
                          "\n"
                          "[snap1]\n"
                          "memory: 8\n";

} // namespace

TEST_CASE("cli: pct file canon prints the canonical text and Proxmox's warnings") {
    TempDir dir;
    auto file = dir.write("205.conf", messy);
    Run r = pct(dir, {"file", "canon", file.string()});
    CHECK(r.code == 0);
    CHECK(r.out == "#note%3A x\nfoo: bar\nhostname: ct1\nmemory: 512\nonboot: 1\n"
                   "lxc.cap.drop: sys_time\n\n[snap1]\nmemory: 8\n");
    CHECK(r.err == "vm 205 - unable to parse value of 'foo' - unknown setting 'foo'\n");

    Run v = pct(dir, {"file", "canon", "--vmid", "777", file.string()});
    CHECK(v.err == "vm 777 - unable to parse value of 'foo' - unknown setting 'foo'\n");
    CHECK(slurp(file) == messy);
}

TEST_CASE("cli: pct file json prints the conformance shape, strict error included") {
    TempDir dir;
    auto file = dir.write("config", messy);
    Run r = pct(dir, {"file", "json", file.string()});
    CHECK(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["vmid"] == "100");
    CHECK(j["conf"]["memory"] == "512");
    CHECK(j["conf"]["description"] == "note: x\n");
    CHECK(j["conf"]["snapshots"]["snap1"]["memory"] == "8");
    CHECK(j["warnings"].size() == 1);
    CHECK(j["strict_error"] == "vm 100 - unable to parse value of 'foo' - unknown setting 'foo'\n");
}

TEST_CASE("cli: pct file check lists every problem as FILE:LINE: KEY[.SUBKEY]: message") {
    TempDir dir;
    auto good = dir.write("101.conf", "hostname: ct\nmemory: 512\n");
    Run ok = pct(dir, {"file", "check", good.string()});
    CHECK(ok.code == 0);
    CHECK(ok.out.empty());

    auto bad = dir.write("102.conf", "hostname: ct\nnet0: name=eth0,tag=5000\nbogus line\n"
                                     "\n[snap1]\nmemory: 8\n");
    Run r = pct(dir, {"file", "check", bad.string()});
    CHECK(r.code == 1);
    const std::string f = bad.string();
    std::istringstream lines(r.out);
    std::vector<std::string> got;
    for (std::string line; std::getline(lines, line);)
        got.push_back(line);
    REQUIRE(got.size() == 3);
    CHECK(got[0] == f + ":2: net0.tag: vm 102 - unable to parse value of 'net0' - format error; "
                        "tag: value must have a maximum value of 4094");
    CHECK(got[1] == f + ":3: vm 102 - unable to parse config: bogus line");
    CHECK(got[2].starts_with(f + ":6: memory: "));
}

TEST_CASE("cli: pct file set rewrites canonically, validates first, keeps the file mode") {
    TempDir dir;
    auto file = dir.write("103.conf", messy);
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
    Run r = pct(dir, {"file", "set", file.string(), "memory", "2048"});
    CHECK(r.code == 0);
    CHECK(slurp(file) == "#note%3A x\nfoo: bar\nhostname: ct1\nmemory: 2048\nonboot: 1\n"
                         "lxc.cap.drop: sys_time\n\n[snap1]\nmemory: 8\n");
    CHECK((fs::status(file).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));

    Run s = pct(dir, {"file", "set", file.string(), "--section", "snap1", "onboot", "yes"});
    CHECK(s.code == 0);
    CHECK(slurp(file).ends_with("[snap1]\nmemory: 8\nonboot: 1\n"));

    const std::string before = slurp(file);
    Run bad = pct(dir, {"file", "set", file.string(), "memory", "8"});
    CHECK(bad.code == 1);
    CHECK(bad.err.find(file.string() + ": memory: ") != std::string::npos);
    CHECK(slurp(file) == before);

    Run badkey = pct(dir, {"file", "set", file.string(), "delete", "memory"});
    CHECK(badkey.code == 1);
    CHECK(badkey.err ==
          file.string() + ": delete: property 'delete' is only allowed in [pve:pending]\n");

    // Only the config and its lock file (storage::config_lock_path) are left in the
    // directory: no temporary files.
    std::vector<std::string> entries;
    for (const auto& e : fs::directory_iterator(dir.path))
        if (e.path().filename() != ".stdout" && e.path().filename() != ".stderr")
            entries.push_back(e.path().filename().string());
    std::sort(entries.begin(), entries.end());
    CHECK(entries == std::vector<std::string>{".103.conf.lock", "103.conf"});
}

TEST_CASE("cli: pct file set --lossless changes one line and nothing else") {
    TempDir dir;
    auto file = dir.write("104.conf", messy);
    Run r = pct(dir, {"file", "set", "--lossless", file.string(), "lxc.cap.drop", "mknod"});
    CHECK(r.code == 0);
    std::string expected = messy;
    expected.replace(expected.find("lxc.cap.drop = sys_time"), 23, "lxc.cap.drop = mknod");
    CHECK(slurp(file) == expected);

    Run p = pct(dir, {"file", "set", "--lossless", "--section", "pve:pending", file.string(),
                      "cores", "2"});
    CHECK(p.code == 0);
    expected.replace(expected.find("[snap1]"), 0, "[pve:pending]\ncores: 2\n\n");
    CHECK(slurp(file) == expected);
}

TEST_CASE("cli: pct file delete, canonical and lossless, and a key that is not set") {
    TempDir dir;
    auto file = dir.write("105.conf", messy);
    Run l = pct(dir, {"file", "delete", "--lossless", file.string(), "foo"});
    CHECK(l.code == 0);
    std::string expected = messy;
    expected.erase(expected.find("foo: bar\n"), 9);
    CHECK(slurp(file) == expected);

    Run c = pct(dir, {"file", "delete", file.string(), "onboot"});
    CHECK(c.code == 0);
    CHECK(slurp(file) == "#note%3A x\nhostname: ct1\nmemory: 512\nlxc.cap.drop: sys_time\n"
                         "\n[snap1]\nmemory: 8\n");

    Run missing = pct(dir, {"file", "delete", file.string(), "swap"});
    CHECK(missing.code == 1);
    CHECK(missing.err == file.string() + ": 'swap' is not set in the main section\n");
    Run missing_lossless = pct(dir, {"file", "delete", "--lossless", file.string(), "swap"});
    CHECK(missing_lossless.code == 1);
}

TEST_CASE("cli: a file that cannot be read or is not a config exits 2 with a clear message") {
    TempDir dir;
    const std::string absent = (dir.path / "nope.conf").string();
    Run r = pct(dir, {"file", "canon", absent});
    CHECK(r.code == 2);
    CHECK(r.err == absent + ": cannot read: No such file or directory\n");

    Run d = pct(dir, {"file", "check", dir.path.string()});
    CHECK(d.code == 2);
    CHECK(d.err == "file '" + dir.path.string() +
                       "' is not a regular file (a directory), not a container config\n");

    auto binary = dir.write("bin.conf", std::string("memory: 512\nhostname: a\0\x01\x02", 26));
    for (const char* cmd : {"canon", "json", "check"}) {
        CAPTURE(cmd);
        Run b = pct(dir, {"file", cmd, binary.string()});
        CHECK(b.code == 2);
        CHECK(b.err == binary.string() +
                           ": not a container config (binary data: NUL byte at byte offset 23 "
                           "(line 2))\n");
        CHECK(b.out.empty());
    }
    Run s = pct(dir, {"file", "set", binary.string(), "memory", "512"});
    CHECK(s.code == 2);
    CHECK(slurp(binary) == std::string("memory: 512\nhostname: a\0\x01\x02", 26));
}

TEST_CASE("cli: a FIFO a device and a file above the size cap are refused without reading") {
    // Before: the CLI blocked on a FIFO with no writer, and a device was read without end.
    TempDir dir;
    const std::string fifo = (dir.path / "fifo.conf").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    Run f = pct(dir, {"file", "json", fifo});
    CHECK(f.code == 2);
    CHECK(f.err == "file '" + fifo + "' is not a regular file (a FIFO), not a container config\n");
    Run z = pct(dir, {"file", "check", "/dev/zero"});
    CHECK(z.code == 2);
    CHECK(z.err ==
          "file '/dev/zero' is not a regular file (a character device), not a container config\n");
    // A sparse file one byte above 64 MiB: refused from its size, before a byte is read.
    const std::string big = (dir.path / "big.conf").string();
    { std::ofstream(big) << "memory: 512\n"; }
    fs::resize_file(big, (std::uintmax_t{64} << 20) + 1);
    Run b = pct(dir, {"file", "canon", big});
    CHECK(b.code == 2);
    CHECK(b.err == "file '" + big +
                       "' is too large (67108865 bytes; the limit is 64 MiB), not a container "
                       "config\n");
}

TEST_CASE("cli: a text file in which no line is a config line is refused by every command") {
    TempDir dir;
    const std::string passwd = "root:x:0:0:root:/root:/bin/bash\nbin: x:2:2:bin:/bin\n"
                               "  # not a comment: Proxmox wants '#' in column 1\n";
    auto file = dir.write("106.conf", passwd);
    const std::string reason =
        ": not a container config (no line is a container option, lxc.* key or section header)\n";
    for (std::vector<std::string> args : {std::vector<std::string>{"file", "canon"},
                                          {"file", "json"},
                                          {"file", "check"},
                                          {"file", "set", "--lossless"},
                                          {"file", "delete"},
                                          {"file", "lxc"}}) {
        CAPTURE(args[1]);
        args.push_back(file.string());
        if (args[1] == "set") {
            args.push_back("memory");
            args.push_back("512");
        } else if (args[1] == "delete") {
            args.push_back("bin");
        }
        Run r = pct(dir, args);
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        CHECK(r.err == file.string() + reason);
    }
    CHECK(slurp(file) == passwd);

    // Empty, comments only, or one known line among foreign ones: a config (as in Proxmox).
    auto empty = dir.write("107.conf", "");
    CHECK(pct(dir, {"file", "check", empty.string()}).code == 0);
    auto comments = dir.write("108.conf", "# just a description\n\n");
    Run c = pct(dir, {"file", "canon", comments.string()});
    CHECK(c.code == 0);
    CHECK(c.out == "# just a description\n");
    auto mixed = dir.write("109.conf", "foo: bar\nmemory: 512\n");
    Run m = pct(dir, {"file", "canon", mixed.string()});
    CHECK(m.code == 0);
    CHECK(m.out == "foo: bar\nmemory: 512\n");
    CHECK(m.err == "vm 109 - unable to parse value of 'foo' - unknown setting 'foo'\n");
}

TEST_CASE("cli: the CTID in messages is --vmid, else <N>.conf, else leading digits, else 100") {
    TempDir dir;
    const std::string text = "foo: bar\nhostname: ct\n";
    auto warned = [&](const std::vector<std::string>& args) {
        Run r = pct(dir, args);
        CHECK(r.code == 0);
        return r.err;
    };
    auto named = dir.write("4242.conf", text);
    auto leading = dir.write("321-backup.conf.old", text);
    auto plain = dir.write("config", text);
    const std::string tail = " - unable to parse value of 'foo' - unknown setting 'foo'\n";
    CHECK(warned({"file", "canon", named.string()}) == "vm 4242" + tail);
    CHECK(warned({"file", "canon", "--vmid", "555", named.string()}) == "vm 555" + tail);
    CHECK(warned({"file", "canon", leading.string()}) == "vm 321" + tail);
    CHECK(warned({"file", "canon", plain.string()}) == "vm 100" + tail);
    Run check = pct(dir, {"file", "check", "--vmid", "777", plain.string()});
    CHECK(check.code == 1);
    CHECK(check.out == plain.string() + ":1: foo: vm 777" + tail);
    Run json = pct(dir, {"file", "json", leading.string()});
    CHECK(nlohmann::json::parse(json.out)["vmid"] == "321");
    Run bad = pct(dir, {"file", "canon", "--vmid", "0", named.string()});
    CHECK(bad.code != 0);
    CHECK(bad.err.find("--vmid") != std::string::npos);
}

TEST_CASE("cli: check of 20000 snapshot sections with bad values takes linear time") {
    // Before: every problem searched the warnings and the whole text for its line (9.8 s).
    TempDir dir;
    auto sections = [](int count) {
        std::string text = "arch: amd64\nhostname: a\n";
        for (int i = 0; i < count; ++i)
            text += "\n[s" + std::to_string(i) + "]\nmemory: abc\ncores: 9999\n";
        return text;
    };
    auto small = dir.write("small.conf", sections(2000));
    auto large = dir.write("large.conf", sections(20000));
    Run a = pct(dir, {"file", "check", small.string()});
    Run b = pct(dir, {"file", "check", large.string()});
    CHECK(a.code == 1);
    CHECK(b.code == 1);
    // Each section: the reader's warning for `memory` and validation's for `cores`, at its line.
    CHECK(std::count(b.out.begin(), b.out.end(), '\n') == 40000);
    CHECK(b.out.find(large.string() + ":80002: cores: value must have a maximum value of 8192\n") !=
          std::string::npos);
    CHECK(b.out.find(large.string() + ":80001: memory: ") != std::string::npos);
    MESSAGE("check CPU seconds: 2000 sections " << a.cpu_seconds << ", 20000 sections "
                                                << b.cpu_seconds);
    // Ten times the sections: about ten times the work, never a hundred.
    CHECK(b.cpu_seconds < 30 * a.cpu_seconds + 1.0);
}

TEST_CASE("cli: json of a 60 MB config peaks within 3x its size") {
    // Before: about 7x (the text, a second model for the strict error, a JSON document
    // tree, its text, the description grown by doubling). Sanitizer builds keep freed memory
    // in quarantine and add shadow memory: there only the output is checked.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    constexpr bool measure = false;
#else
    constexpr bool measure = true;
#endif
    TempDir dir;
    // Written line by line: posix_spawn's child shares this process's memory until its exec
    // and its peak counts it, so this process never holds the file.
    const fs::path big = dir.path / "101.conf";
    std::size_t size = 0;
    {
        std::ofstream out(big, std::ios::binary);
        const std::string line = "#" + std::string(98, 'x') + "\n";
        out << "memory: 512\n";
        for (size = 12; size < (std::size_t{60} << 20); size += line.size())
            out << line;
    }
    auto tiny = dir.write("102.conf", "memory: 512\n");
    long input_kb = static_cast<long>(size / 1024);
    Run base = pct(dir, {"file", "json", tiny.string()});
    Run r = pct(dir, {"file", "json", big.string()});
    CHECK(r.code == 0);
    CHECK(r.out.starts_with("{\n   \"canon_is_fixpoint\": \"true\",\n   \"conf\": {\n"));
    CHECK(r.out.size() >= size);
    MESSAGE("pct file json: peak " << r.max_rss_kb << " kB for " << input_kb << " kB of input, "
                                   << base.max_rss_kb << " kB for a tiny file");
    if (measure)
        CHECK(r.max_rss_kb - base.max_rss_kb <= 3 * input_kb);
}
