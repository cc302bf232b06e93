// SPDX-License-Identifier: AGPL-3.0-or-later
// The generated pct(1) and bash completion against the parser: every command and option that
// `pct help --verbose` shows (the same CLI11 tree the parser reads) is in both; the page renders
// without a warning; the completion completes commands, options, CTIDs, snapshots, keys.
#include "shell.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using pct::test::read_text;
using pct::test::sh;

struct Command {
    std::string usage;              ///< `pct config <vmid> [OPTIONS]`
    std::vector<std::string> flags; ///< `current`, `snapshot`
};

/// Command key (`config`, `file set`) -> its usage line and options, from `pct help --verbose`.
std::map<std::string, Command> parser_commands() {
    auto help = sh(std::string("'") + PCT_CLI + "' help --verbose");
    REQUIRE(help.status == 0);
    std::map<std::string, Command> out;
    Command* at = nullptr;
    std::istringstream lines(help.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("USAGE: pct ")) {
            std::string usage = line.substr(7);
            std::string key = usage.substr(4, usage.find_first_of("<[") - 4);
            while (key.ends_with(' '))
                key.pop_back();
            at = &out[key];
            at->usage = usage;
        } else if (at && line.starts_with("  --")) {
            at->flags.push_back(line.substr(4, line.find(' ', 4) - 4));
        }
    }
    return out;
}

std::string roff(std::string text) {
    std::string out;
    for (char c : text)
        out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
}

/// What the completion offers for the words of `line` (the last one being completed).
std::string complete(const std::string& root, const std::string& line) {
    std::string script = "source '" PCT_COMPLETION "'; COMP_WORDS=(" + line +
                         "); "
                         "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _pct; echo \"${COMPREPLY[*]}\"";
    if (line.ends_with(' '))
        script = "source '" PCT_COMPLETION "'; COMP_WORDS=(" + line +
                 "''); "
                 "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _pct; echo \"${COMPREPLY[*]}\"";
    pct::test::write_text(root + "/complete.sh", script);
    auto r = sh("PCT_ROOT='" + root + "' bash '" + root + "/complete.sh'");
    REQUIRE(r.status == 0);
    return " " + r.out.substr(0, r.out.find('\n')) + " ";
}

} // namespace

TEST_CASE("cli docs: every command and option of the parser is in pct(1)") {
    const std::string page = read_text(PCT_MAN_PAGE);
    REQUIRE_FALSE(page.empty());
    auto commands = parser_commands();
    REQUIRE(commands.size() >= 30);
    for (const auto& [key, cmd] : commands) {
        CAPTURE(key);
        auto at = page.find(".SS \"" + roff(cmd.usage) + "\"\n");
        REQUIRE(at != std::string::npos);
        const std::string section = page.substr(at, page.find(".SS ", at + 4) - at);
        for (const std::string& flag : cmd.flags) {
            CAPTURE(flag);
            const bool documented =
                section.find("\n.B \\-\\-" + roff(flag) + "\n") != std::string::npos ||
                section.find("\n.BI \\-\\-" + roff(flag) + " \"") != std::string::npos;
            CHECK(documented);
        }
    }
    for (const char* key : {"config", "set", "cpusets", "migrate", "remote-migrate", "help"})
        CHECK(commands.contains(key));
}

TEST_CASE("cli docs: pct(1) renders without warnings") {
    if (sh("command -v man").status != 0) {
        MESSAGE("SKIP: no man on this host");
        return;
    }
    auto r = sh("MANWIDTH=80 man --warnings -l '" PCT_MAN_PAGE "' 2>&1 >/dev/null");
    CHECK(r.status == 0);
    CHECK(r.out == "");
}

TEST_CASE("cli docs: every command and option of the parser is in the bash completion") {
    const std::string script = read_text(PCT_COMPLETION);
    REQUIRE_FALSE(script.empty());
    CHECK(sh("bash -n '" PCT_COMPLETION "'").status == 0);
    for (const auto& [key, cmd] : parser_commands()) {
        CAPTURE(key);
        std::string options = "_pct_options[\"" + key + "\"]=\"";
        auto at = script.find(options);
        REQUIRE(at != std::string::npos);
        std::string line = script.substr(at, script.find('\n', at) - at);
        for (const std::string& flag : cmd.flags) {
            CAPTURE(flag);
            const std::string words =
                " " + line.substr(options.size(), line.size() - options.size() - 1) + " ";
            CHECK(words.find(" --" + flag + " ") != std::string::npos);
        }
    }
}

TEST_CASE("cli docs: the completion completes commands options CTIDs snapshots storages keys") {
    pct::test::TempDir root;
    pct::test::write_text(root.sub("etc/pve/lxc/100.conf"),
                          "hostname: a\nrootfs: local:100/r.raw,size=1G\nmp0: local:100/m.raw,"
                          "mp=/m\n\n[before]\nmemory: 256\n\n[pve:pending]\nmemory: 1024\n");
    pct::test::write_text(root.sub("etc/pve/lxc/2001.conf"), "hostname: b\n");
    pct::test::write_text(root.sub("etc/pve/storage.cfg"),
                          "dir: local\n\tpath /var/lib/vz\n\nbtrfs: fast\n\tpath /b\n");
    const std::string r = root.path();
    CHECK(complete(r, "pct con") == " config console ");
    CHECK(complete(r, "pct ").find(" cpusets ") != std::string::npos);
    CHECK(complete(r, "pct config ") == " 100 2001 ");
    CHECK(complete(r, "pct config 100 --cu") == " --current ");
    CHECK(complete(r, "pct config 100 -snapshot ") == " before ");
    CHECK(complete(r, "pct rollback 100 ") == " before ");
    CHECK(complete(r, "pct resize 100 ") == " rootfs mp0 ");
    CHECK(complete(r, "pct set 100 --memo") == " --memory ");
    CHECK(complete(r, "pct set 100 --delete ").find(" hostname ") != std::string::npos);
    CHECK(complete(r, "pct file s") == " set ");
    CHECK(complete(r, "pct clone 100 200 --storage ") == " local fast ");
    CHECK(complete(r, "pct move_volume 100 ") == " rootfs mp0 ");
    CHECK(complete(r, "pct move_volume 100 mp0 --storage ") == " local fast ");
    CHECK(complete(r, "pct --root") == " --root ");
}

TEST_CASE("cli docs: the install target puts pct(1) and the completion where man and bash look") {
    pct::test::TempDir prefix;
    auto r = sh("cmake --install '" PCT_BUILD_DIR "' --prefix '" + prefix.path() +
                "' --component pct_docs");
    REQUIRE(r.status == 0);
    CHECK(read_text(prefix.sub("share/man/man1/pct.1")) == read_text(PCT_MAN_PAGE));
    CHECK(read_text(prefix.sub("share/bash-completion/completions/pct")) ==
          read_text(PCT_COMPLETION));
}
