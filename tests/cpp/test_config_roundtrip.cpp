// SPDX-License-Identifier: AGPL-3.0-or-later
// Property tests with fixed seeds: parse(render(cfg)) == cfg for generated configs, and the
// canonical text is a fixpoint for generated line soup (valid lines, junk, odd bytes, CRLF).
#include <doctest/doctest.h>

#include <pct/model/schema.hpp>
#include <pct/parse/config.hpp>
#include <pct/render/config.hpp>

#include <random>
#include <string>
#include <vector>

namespace {

struct Gen {
    std::mt19937 rng;
    unsigned pick(unsigned n) { return std::uniform_int_distribution<unsigned>(0, n - 1)(rng); }
    bool chance(unsigned percent) { return pick(100) < percent; }
    template <class T> const T& one_of(const std::vector<T>& v) {
        return v[pick(static_cast<unsigned>(v.size()))];
    }

    // Printable ASCII with inner blanks, never blank at either end, never empty.
    std::string token(unsigned max_len = 24) {
        static const std::string chars = "abcXYZ019_-.,=:;/%#[]!@ ~+*()'\"";
        std::string s;
        unsigned len = 1 + pick(max_len);
        for (unsigned i = 0; i < len; ++i)
            s += chars[pick(static_cast<unsigned>(chars.size()))];
        while (!s.empty() && s.front() == ' ')
            s.erase(s.begin());
        while (!s.empty() && s.back() == ' ')
            s.pop_back();
        if (s.empty())
            s = "v";
        // A value ending in "snapstate: prepare" would be read as a snapstate line.
        if (s.ends_with("prepare") || s.ends_with("delete"))
            s += "x";
        return s;
    }

    // Valid UTF-8 text of one description line (may be empty), with the bytes encode_text
    // escapes: ':', '%', TAB, CR, DEL, multi-byte characters.
    std::string text_line() {
        static const std::vector<std::string> parts = {"a",
                                                       "Z",
                                                       " ",
                                                       ":",
                                                       "%",
                                                       "%41",
                                                       "\t",
                                                       "\r",
                                                       "\x7f",
                                                       "#",
                                                       "\xC3\xA9",
                                                       "\xE2\x82\xAC",
                                                       "\xF0\x9F\x98\x80",
                                                       "0",
                                                       "description: x",
                                                       "[snap]",
                                                       "\x01"};
        std::string s;
        for (unsigned i = 0, n = pick(8); i < n; ++i)
            s += one_of(parts);
        return s;
    }

    std::string description() {
        std::string d;
        unsigned lines = pick(4);
        for (unsigned i = 0; i < lines; ++i) {
            std::string line = text_line();
            if (i + 1 == lines && line.empty())
                line = "end";
            d += line + "\n";
        }
        return d;
    }

    std::string snapshot_name() {
        static const std::string first = "abcxyzABCXYZ";
        static const std::string rest = "abcxyzABC0189_-";
        std::string s(1, first[pick(static_cast<unsigned>(first.size()))]);
        for (unsigned i = 0, n = 1 + pick(8); i < n; ++i)
            s += rest[pick(static_cast<unsigned>(rest.size()))];
        return s;
    }
};

const std::vector<std::string> boolean_keys = {"onboot",   "protection",   "console",
                                               "template", "unprivileged", "debug"};
const std::vector<std::string> integer_keys = {"memory", "swap", "cores", "tty", "cpuunits"};
const std::vector<std::string> string_keys = {
    "arch",  "ostype", "cmode", "lock",     "hostname", "tags",       "nameserver", "net0",
    "net10", "mp3",    "dev0",  "features", "startup",  "hookscript", "timezone",   "entrypoint"};
const std::vector<std::string> lxc_keys = {"lxc.apparmor.profile",
                                           "lxc.mount.entry",
                                           "lxc.cgroup2.devices.allow",
                                           "lxc.idmap",
                                           "lxc.net.0.type",
                                           "lxc.prlimit.nofile",
                                           "lxc.cap.drop"};

// Keys the writer skips or the reader treats specially: never generated as plain options.
bool reserved(const std::string& key) {
    for (const char* k : {"digest", "snapname", "pending", "snapshots", "lxc", "env", "description",
                          "delete", "snapstate"})
        if (key == k)
            return true;
    return false;
}

void fill(Gen& g, pct::Section& s, bool pending, bool snapshot) {
    for (unsigned i = 0, n = g.pick(12); i < n; ++i) {
        switch (g.pick(5)) {
        case 0:
            s.options[g.one_of(boolean_keys)] = g.chance(50) ? "1" : "0";
            break;
        case 1:
            s.options[g.one_of(integer_keys)] = std::to_string(g.pick(100000));
            break;
        case 2:
            s.options["cpulimit"] =
                g.one_of(std::vector<std::string>{"1.50", "2", "0.125", "8192"});
            break;
        case 3:
            s.options[g.one_of(string_keys)] = g.token();
            break;
        default: {
            std::string key(1, static_cast<char>('a' + g.pick(26)));
            for (unsigned j = 0, m = g.pick(6); j < m; ++j)
                key += static_cast<char>(g.chance(15) ? '_' : 'a' + g.pick(26));
            for (unsigned j = 0, m = g.pick(3); j < m; ++j)
                key += static_cast<char>('0' + g.pick(10));
            if (!reserved(key) && !pct::schema::find(key))
                s.options[key] = g.token();
        }
        }
    }
    if (pending && g.chance(60))
        s.options["delete"] =
            g.one_of(std::vector<std::string>{"memory", "swap,!cores", "net0 mp0"});
    if (snapshot && g.chance(40))
        s.options["snapstate"] = g.chance(50) ? "prepare" : "delete";
    if (g.chance(50))
        s.description = g.description();
    for (unsigned i = 0, n = g.pick(5); i < n; ++i) {
        std::string value = g.chance(15) ? std::string() : g.token();
        s.lxc.push_back({g.one_of(lxc_keys), value});
    }
    if (g.chance(30)) {
        std::string env = g.chance(20) ? std::string(1, '\0') : std::string();
        for (unsigned i = 0, n = 1 + g.pick(3); i < n; ++i) {
            if (i > 0)
                env += '\0';
            env += "VAR" + std::to_string(i) + "=" + g.token(10);
        }
        s.options["env"] = env;
    }
}

pct::ContainerConfig generate(Gen& g) {
    pct::ContainerConfig cfg;
    fill(g, cfg.main, false, false);
    if (g.chance(40))
        fill(g, cfg.pending, true, false);
    for (unsigned i = 0, n = g.pick(4); i < n; ++i)
        fill(g, cfg.snapshots[g.snapshot_name()], false, true);
    return cfg;
}

} // namespace

TEST_CASE("render: parse(render(cfg)) == cfg for 3000 generated configs, the text is a fixpoint") {
    Gen g{std::mt19937(20261128)};
    int checked = 0;
    for (int i = 0; i < 3000; ++i) {
        pct::ContainerConfig cfg = generate(g);
        auto text = pct::render::config(cfg);
        REQUIRE(text);
        auto parsed = pct::parse::config(*text);
        REQUIRE(parsed);
        CHECK_MESSAGE(parsed->config == cfg, "text:\n" << *text);
        auto again = pct::render::config(parsed->config);
        REQUIRE(again);
        CHECK(*again == *text);
        ++checked;
    }
    CHECK(checked == 3000);
}

namespace {

std::string soup_line(Gen& g) {
    static const std::vector<std::string> lines = {"hostname: ct",
                                                   "memory: 007",
                                                   "onboot: yes",
                                                   "cpulimit: 1.50",
                                                   "net0: name=eth0,bridge=vmbr0",
                                                   "rootfs: local:vm-100-disk-0,size=8G",
                                                   "mp0: local:vm-100-disk-1,mp=/d",
                                                   "unused0: local:vm-100-disk-1",
                                                   "unused1: local:vm-100-disk-0",
                                                   "foo: bar",
                                                   "key: ",
                                                   "key:",
                                                   "key:\t",
                                                   "description: glued",
                                                   "description:  ",
                                                   "description: 0",
                                                   "x_snapstate: delete",
                                                   "snapstate: prepare",
                                                   "delete: memory",
                                                   "delete: ",
                                                   "lxc.cap.drop = sys_time ",
                                                   "lxc.environment.runtime: A=1",
                                                   "lxc.rootfs.path: /x",
                                                   "lxc.init_cmd: /bin/sh",
                                                   "lxc.tty.dir: x",
                                                   "env: B=2",
                                                   "[pve:pending]",
                                                   "[PVE:pending] ",
                                                   "[snap1]",
                                                   "[Snap1]",
                                                   "[s]",
                                                   "[bad name]",
                                                   "#comment",
                                                   "#",
                                                   "#%3A%zz%C3%A9",
                                                   "# \xE9\x80\xC2\x9F\x80",
                                                   "  indented: x",
                                                   "lxc.Bad: x",
                                                   "",
                                                   " \t ",
                                                   "tags: a;b",
                                                   "swap: +1",
                                                   "hostname: a\rb",
                                                   "memory:\r"};
    std::string line = g.one_of(lines);
    if (g.chance(10)) {
        // Random bytes (never '\n'): the reader must drop or keep them, never crash.
        for (unsigned i = 0, n = g.pick(12); i < n; ++i) {
            char c = static_cast<char>(1 + g.pick(255));
            line += c == '\n' ? ' ' : c;
        }
    }
    return line;
}

} // namespace

// Proxmox is no fixpoint where `[pve:pending]` holds keys that print nothing (only `#`
// lines without text, an empty `env`, or `digest:`/`snapname:`/`pending:`/`lxc:`, which the
// writer skips): the bare header it prints reads back as no pending section. The last four
// are left out of the soup; the first two may occur, and then the second text must be the
// first without that bare header. NUL bytes and blank `env: ` lines are left out too: a blank
// `env` entry (from a NUL-split value or a blank value) is written as a raw line the reader
// trims to nothing, which takes a second round trip to settle (the test below pins it).
std::string without_bare_pending(std::string text) {
    const std::string bare = "\n[pve:pending]\n";
    auto at = text.find(bare);
    if (at != std::string::npos) {
        std::size_t after = at + bare.size();
        if (after == text.size() || text.compare(after, 2, "\n[") == 0)
            text.erase(at, bare.size());
    }
    return text;
}

TEST_CASE("render: a blank env in [pve:pending] takes two round trips to settle, as in Proxmox") {
    // `env: ` has the value " " (Proxmox's `\s*(.+?)\s*$` backtracks into the blank); it is
    // written as a raw line whose value the reader trims to "", an empty `env` prints no line,
    // and the pending section that holds only it prints a bare header, which reads back as no
    // pending section. Found by fuzz_config (its contract: stable from the third text on).
    auto step = [](std::string_view text) {
        auto parsed = pct::parse::config(text);
        REQUIRE(parsed);
        auto out = pct::render::config(parsed->config);
        REQUIRE(out);
        return *out;
    };
    std::string first = step("[pve:PENDING]\nenv: \n");
    CHECK(first == "\n[pve:pending]\nlxc.environment.runtime:  \n");
    std::string second = step(first);
    CHECK(second == "\n[pve:pending]\n");
    std::string third = step(second);
    CHECK(third.empty());
    CHECK(step(third) == third);
}

TEST_CASE("render: canonical text of arbitrary line soup is a fixpoint, the reader never fails") {
    Gen g{std::mt19937(4242)};
    int bare_pending = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string text;
        const char* eol = g.chance(20) ? "\r\n" : "\n";
        for (unsigned n = g.pick(30), j = 0; j < n; ++j)
            text += soup_line(g) + eol;
        if (g.chance(20) && !text.empty())
            text.pop_back();
        auto parsed = pct::parse::config(text);
        REQUIRE(parsed);
        auto first = pct::render::config(parsed->config);
        REQUIRE_MESSAGE(first, "input:\n" << text);
        auto reparsed = pct::parse::config(*first);
        REQUIRE(reparsed);
        auto second = pct::render::config(reparsed->config);
        REQUIRE(second);
        if (*second != *first) {
            ++bare_pending;
            CHECK_MESSAGE(*second == without_bare_pending(*first), "input:\n" << text);
        }
        auto third = pct::render::config(pct::parse::config(*second)->config);
        REQUIRE(third);
        CHECK_MESSAGE(*third == *second, "input:\n" << text);
    }
    // The exception stays an exception.
    CHECK(bare_pending < 100);
}
