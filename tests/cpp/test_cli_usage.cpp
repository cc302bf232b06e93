// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct help` and bad command lines as Proxmox's CLI handler answers them: usage on stderr,
// exit 255 (never CLI11's own codes), the command list when no command is given.
#include "cpuset_table.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <set>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace {

struct Run {
    int code = -1;
    std::string out;
    std::string err;
};

/// Runs the built pct with `args` under an empty --root, stdout and stderr apart.
Run run_pct(std::vector<std::string> args) {
    pct::test::TempDir dir;
    const std::string out = dir.sub("stdout"), err = dir.sub("stderr");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT, 0600);
    args.insert(args.begin(), {PCT_CLI, "--root", dir.path()});
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, PCT_CLI, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, pct::test::read_text(out),
            pct::test::read_text(err)};
}

const std::string list_head = "USAGE: pct <COMMAND> [ARGS] [OPTIONS]\n";

} // namespace

TEST_CASE(
    "cli: pct without a command or with an unknown one prints the command list with exit 255") {
    Run none = run_pct({});
    CHECK(none.code == 255);
    CHECK(none.out.empty());
    CHECK(none.err.starts_with("ERROR: no command specified\n" + list_head));
    CHECK(none.err.find("\n       pct config <vmid> [OPTIONS]\n") != std::string::npos);
    CHECK(none.err.find("\n       pct unlock <vmid>\n") != std::string::npos);

    Run unknown = run_pct({"foo", "bar"});
    CHECK(unknown.code == 255);
    CHECK(unknown.err.starts_with("ERROR: unknown command 'pct foo bar'\n" + list_head));
}

TEST_CASE("cli: usage errors name the problem then the usage line and exit 255") {
    Run missing = run_pct({"config"});
    CHECK(missing.code == 255);
    CHECK(missing.out.empty());
    CHECK(missing.err == "400 not enough arguments\npct config <vmid> [OPTIONS]\n");

    for (const char* spelling : {"--bogus", "-bogus"}) {
        CAPTURE(spelling);
        Run unknown = run_pct({"config", "100", spelling});
        CHECK(unknown.code == 255);
        CHECK(unknown.err ==
              "Unknown option: bogus\n400 unable to parse option\npct config <vmid> [OPTIONS]\n");
    }

    // With a value after it (CLI11 reports the extras last first): still the option, the first.
    Run valued = run_pct({"config", "100", "--bogus", "x", "--other", "y"});
    CHECK(valued.err ==
          "Unknown option: bogus\n400 unable to parse option\npct config <vmid> [OPTIONS]\n");

    // `set` reads its --KEYs itself (800 schema keys); the same texts, before the CT is read.
    Run set_unknown = run_pct({"set", "100", "-bogus", "1"});
    CHECK(set_unknown.code == 255);
    CHECK(set_unknown.err ==
          "Unknown option: bogus\n400 unable to parse option\npct set <vmid> [OPTIONS]\n");
    CHECK(run_pct({"set", "100", "--memory"}).err ==
          "Option memory requires an argument\n400 unable to parse option\npct set <vmid> "
          "[OPTIONS]\n");
    CHECK(run_pct({"set", "100", "--memory", "512", "stray"}).err ==
          "400 too many arguments\npct set <vmid> [OPTIONS]\n");

    Run extra = run_pct({"unlock", "100", "200"});
    CHECK(extra.code == 255);
    CHECK(extra.err == "400 too many arguments\npct unlock <vmid>\n");

    // JSONSchema's type check texts.
    Run bad = run_pct({"config", "abc"});
    CHECK(bad.code == 255);
    CHECK(bad.err == "400 Parameter verification failed.\nvmid: type check ('integer') failed - "
                     "got 'abc'\npct config <vmid> [OPTIONS]\n");
    CHECK(run_pct({"status", "100", "--verbose", "maybe"}).err ==
          "400 Parameter verification failed.\nverbose: type check ('boolean') failed - got "
          "'maybe'\npct status <vmid> [OPTIONS]\n");

    Run no_value = run_pct({"config", "100", "--snapshot"});
    CHECK(no_value.code == 255);
    CHECK(no_value.err.find("400 unable to parse option\n") != std::string::npos);
}

TEST_CASE("cli: a CT that does not exist is one line on stderr and exit 255") {
    Run r = run_pct({"config", "8000"});
    CHECK(r.code == 255);
    CHECK(r.out.empty());
    CHECK(r.err.ends_with("/etc/pve/lxc/8000.conf' does not exist\n"));
    CHECK(r.err.find('\n') == r.err.size() - 1);
}

TEST_CASE("cli: pct help [CMD] [--verbose]") {
    Run all = run_pct({"help"});
    CHECK(all.code == 0);
    CHECK(all.err.empty());
    CHECK(all.out.starts_with(list_head));
    CHECK(all.out.find("       pct help [<extra-args>...] [OPTIONS]\n") != std::string::npos);
    CHECK(all.out.find("       pct file set <FILE> <KEY> <VALUE> [OPTIONS]\n") !=
          std::string::npos);

    Run one = run_pct({"help", "config"});
    CHECK(one.code == 0);
    CHECK(one.out == "USAGE: pct config <vmid> [OPTIONS]\n");

    Run verbose = run_pct({"help", "config", "--verbose"});
    CHECK(verbose.code == 0);
    CHECK(verbose.out.starts_with("USAGE: pct config <vmid> [OPTIONS]\n\n  Get container "
                                  "configuration\n\n  <vmid>     <integer>\n"));
    CHECK(verbose.out.find("\n  --snapshot <string>\n\n             Fetch config values from "
                           "given snapshot\n") != std::string::npos);
    CHECK(run_pct({"config", "--help"}).out == verbose.out);

    Run nested = run_pct({"help", "file", "set"});
    CHECK(nested.out == "USAGE: pct file set <FILE> <KEY> <VALUE> [OPTIONS]\n");

    Run every = run_pct({"help", "--verbose"});
    CHECK(every.out.find(verbose.out) != std::string::npos);

    Run nope = run_pct({"help", "nope"});
    CHECK(nope.code == 255);
    CHECK(nope.out.empty());
    CHECK(nope.err == "no such command 'nope'\n");
}

TEST_CASE("cli: pct migrate and remote-migrate parse Proxmox's arguments and refuse in one line") {
    Run m = run_pct({"migrate", "100", "node2", "--online", "--timeout", "60"});
    CHECK(m.code == 255);
    CHECK(m.out.empty());
    CHECK(m.err == "no such cluster node 'node2': pct migrate needs a Proxmox VE cluster, and "
                   "libpct manages a single host\n");
    CHECK(run_pct({"migrate", "100"}).err == "400 not enough arguments\npct migrate <vmid> "
                                             "<target> [OPTIONS]\n");
    CHECK(run_pct({"migrate", "99", "node2"}).err.find("99") != std::string::npos);

    const std::string refusal = "pct remote-migrate needs a Proxmox VE cluster at both ends (its "
                                "API and pmxcfs), and libpct manages a single host\n";
    for (std::vector<std::string> words :
         {std::vector<std::string>{"100", "host=h,apitoken=t"},
          std::vector<std::string>{"100", "200", "host=h,apitoken=t"}}) {
        words.insert(words.begin(), "remote-migrate");
        for (const char* o : {"-target-storage", "local", "-target-bridge", "vmbr0"})
            words.emplace_back(o);
        Run r = run_pct(words);
        CHECK(r.code == 255);
        CHECK(r.err == refusal);
    }
    Run no_map = run_pct({"remote-migrate", "100", "host=h", "--target-bridge", "1"});
    CHECK(no_map.code == 255);
    CHECK(no_map.err.starts_with("400 Parameter verification failed.\ntarget-storage: property is "
                                 "missing and it is not optional\n"));
}

TEST_CASE("cli: pct cpusets prints Proxmox's table") {
    using pct::cli::format_cpusets;
    using pct::cli::parse_cpu_list;
    CHECK(parse_cpu_list("0-2,5\n") == std::set<unsigned>{0, 1, 2, 5});
    CHECK(parse_cpu_list("7") == std::set<unsigned>{7});
    CHECK_FALSE(parse_cpu_list("3-1").has_value());
    CHECK_FALSE(parse_cpu_list("a").has_value());

    CHECK(format_cpusets({}) == "no running containers\n");
    // pct.pm: CTIDs in Perl's string order (1000 before 200); ': ' then ' ID' or blanks of its
    // width per CPU up to the highest; the CTID right aligned to the longest; dashes of (longest
    // line + longest CTID) above and below.
    CHECK(format_cpusets({{"200", {0, 2}}, {"1000", {1, 10}}}) ==
          "-----------------------------\n"
          "1000:    1                 10\n"
          " 200:  0   2\n"
          "-----------------------------\n");

    Run none = run_pct({"cpusets"});
    CHECK(none.code == 0);
    CHECK(none.out == "no running containers\n");
}

TEST_CASE("cli: every command of spec section 10 exists with its positional arguments") {
    const std::string spec_path = std::string(PCT_CONFORMANCE_DIR) + "/../spec/config-format.md";
    const std::string spec = pct::test::read_text(spec_path);
    if (spec.empty()) {
        MESSAGE("SKIP: no " << spec_path);
        return;
    }
    // Every command exists now (restore came with backups, issue 12).
    const std::set<std::string> not_yet = {};
    auto from = spec.find("## 10. The `pct` CLI");
    REQUIRE(from != std::string::npos);
    std::istringstream lines(spec.substr(from, spec.find("\n## 11.", from) - from));
    int checked = 0;
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("| `"))
            continue;
        std::string names = line.substr(2, line.find(" | ") - 2);
        std::string args = line.substr(line.find(" | ") + 3);
        args = args.substr(0, args.find(" | "));
        for (auto tick = names.find('`'); tick != std::string::npos;
             tick = names.find('`', names.find('`', tick + 1) + 1)) {
            const std::string name = names.substr(tick + 1, names.find('`', tick + 1) - tick - 1);
            if (not_yet.contains(name))
                continue;
            CAPTURE(name);
            Run help = run_pct({"help", name});
            CHECK(help.code == 0);
            // Each `<arg>` the spec names is one of the command's positionals.
            for (auto lt = args.find('<'); lt != std::string::npos; lt = args.find('<', lt + 1)) {
                std::string arg = args.substr(lt, args.find('>', lt) - lt + 1);
                CAPTURE(arg);
                CHECK(help.out.find(arg) != std::string::npos);
            }
            ++checked;
        }
    }
    CHECK(checked >= 36);
}

TEST_CASE("cli: move-volume takes Proxmox's positionals storage target-vmid target-volume") {
    // Read as Proxmox does: the 4th word is the target CT, so storage + target is refused by the
    // library's rule (not by the parser as a surplus word).
    const std::string both = "either set 'storage' or 'target-vmid', but not both\n";
    Run r = run_pct({"move-volume", "100", "mp0", "local", "101", "mp1"});
    CHECK(r.code == 255);
    CHECK(r.err == both);
    CHECK(run_pct({"move_volume", "100", "mp0", "local", "--target-vmid", "101"}).err == both);
    CHECK(run_pct({"move-volume", "100", "mp0", "local", "101", "mp1", "x"}).err ==
          "400 too many arguments\npct move-volume <vmid> <volume> [<storage>] [<target-vmid>] "
          "[<target-volume>] [OPTIONS]\n");
}
