// SPDX-License-Identifier: AGPL-3.0-or-later
// The lossless editor: every expected output is the original text with only the edited
// line(s) changed, compared byte for byte; and the edit means what it says when read back.
#include <doctest/doctest.h>

#include <pct/edit.hpp>
#include <pct/model/split_list.hpp>
#include <pct/parse/config.hpp>

#include <algorithm>
#include <string>
#include <vector>

using pct::Errc;
using pct::edit::Target;

namespace {

// `text` with the first occurrence of `from` replaced by `to` (which must exist).
std::string replaced(std::string text, std::string_view from, std::string_view to) {
    auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "test bug: '" << from << "' not in text");
    text.replace(at, from.size(), to);
    return text;
}

std::string set(std::string_view text, std::string section, std::string key,
                std::string_view value) {
    auto out = pct::edit::set(text, Target{std::move(section), std::move(key)}, value);
    REQUIRE_MESSAGE(out, (out ? "" : out.error().message));
    return *out;
}

std::string remove(std::string_view text, std::string section, std::string key) {
    auto out = pct::edit::remove(text, Target{std::move(section), std::move(key)});
    REQUIRE_MESSAGE(out, (out ? "" : out.error().message));
    return *out;
}

pct::ContainerConfig read(std::string_view text) {
    auto parsed = pct::parse::config(text);
    REQUIRE(parsed);
    return parsed->config;
}

const std::string sample = "# managed by ops: do not touch\n"
                           "arch: amd64\n"
                           "hostname: web1\n"
                           "memory:   512   \n"
                           "foo: kept unknown\n"
                           "lxc.apparmor.profile = unconfined\n"
                           "lxc.mount.entry: /a a none bind 0 0\n"
                           "#a second comment\n"
                           "lxc.mount.entry: /b b none bind 0 0\n"
                           "memory: 1024\n"
                           "\n"
                           "\n"
                           "[pve:pending]\n"
                           "memory: 2048\n"
                           "delete: swap\n"
                           "\n"
                           "[snap1]\n"
                           "#snapshot comment\n"
                           "hostname: web1\n"
                           "memory: 512\n"
                           "snapstate: prepare\n";

} // namespace

TEST_CASE("edit: set replaces only the value of the key's last line in the main section") {
    std::string out = set(sample, "", "hostname", "web2");
    CHECK(out ==
          replaced(sample, "arch: amd64\nhostname: web1\n", "arch: amd64\nhostname: web2\n"));
    // Duplicate keys: the last line is the one Proxmox reads; the earlier one stays.
    std::string mem = set(sample, "", "memory", "4096");
    CHECK(mem == replaced(sample, "memory: 1024\n", "memory: 4096\n"));
    auto cfg = read(mem);
    CHECK(cfg.main.options.at("memory") == "4096");
    CHECK(cfg.pending.options.at("memory") == "2048");
    CHECK(cfg.snapshots.at("snap1").options.at("memory") == "512");
}

TEST_CASE("edit: blanks around a value stay") {
    const std::string text = "memory:   512   \nswap: 1\n";
    CHECK(set(text, "", "memory", "64") == "memory:   64   \nswap: 1\n");
}

TEST_CASE("edit: set in the pending and snapshot sections touches only that section") {
    CHECK(set(sample, "pve:pending", "memory", "8192") ==
          replaced(sample, "[pve:pending]\nmemory: 2048\n", "[pve:pending]\nmemory: 8192\n"));
    CHECK(set(sample, "snap1", "hostname", "old") ==
          replaced(sample, "#snapshot comment\nhostname: web1\n",
                   "#snapshot comment\nhostname: old\n"));
    CHECK(set(sample, "pve:pending", "delete", "swap,cores") ==
          replaced(sample, "delete: swap\n", "delete: swap,cores\n"));
    CHECK(set(sample, "snap1", "snapstate", "delete") ==
          replaced(sample, "snapstate: prepare\n", "snapstate: delete\n"));
}

TEST_CASE("edit: a missing key is appended after the section's last non-blank line") {
    CHECK(set(sample, "", "onboot", "1") ==
          replaced(sample, "memory: 1024\n\n", "memory: 1024\nonboot: 1\n\n"));
    CHECK(set(sample, "pve:pending", "cores", "2") ==
          replaced(sample, "delete: swap\n", "delete: swap\ncores: 2\n"));
    CHECK(set(sample, "snap1", "cores", "2") == sample + "cores: 2\n");
    // A last line without a line break gets one first.
    CHECK(set("hostname: a", "", "memory", "1") == "hostname: a\nmemory: 1\n");
    CHECK(set("", "", "memory", "1") == "memory: 1\n");
    // A main section without keys: the new line goes to the top.
    CHECK(set("\n[snap1]\nmemory: 1\n", "", "memory", "2") == "memory: 2\n\n[snap1]\nmemory: 1\n");
}

TEST_CASE("edit: raw lxc keys keep their separator, multi-valued keys change their last entry") {
    CHECK(set(sample, "", "lxc.apparmor.profile", "generated") ==
          replaced(sample, "lxc.apparmor.profile = unconfined\n",
                   "lxc.apparmor.profile = generated\n"));
    CHECK(set(sample, "", "lxc.mount.entry", "/c c none bind 0 0") ==
          replaced(sample, "lxc.mount.entry: /b b", "lxc.mount.entry: /c c"));
    CHECK(set("lxc.cap.drop:\n", "", "lxc.cap.drop", "sys_time") == "lxc.cap.drop: sys_time\n");
    CHECK(set("lxc.cap.drop = x\n", "", "lxc.cap.drop", "") == "lxc.cap.drop = \n");
    std::string none = remove(sample, "", "lxc.mount.entry");
    CHECK(none == replaced(replaced(sample, "lxc.mount.entry: /a a none bind 0 0\n", ""),
                           "lxc.mount.entry: /b b none bind 0 0\n", ""));
    CHECK(read(none).main.lxc.size() == 1);
}

TEST_CASE("edit: CRLF files keep their CRs and get CRLF lines") {
    const std::string text =
        "#note\r\nhostname: a\r\nlxc.cap.drop = x \r\n\r\n[snap1]\r\nmemory: 1\r\n";
    CHECK(set(text, "", "hostname", "b") ==
          "#note\r\nhostname: b\r\nlxc.cap.drop = x \r\n\r\n[snap1]\r\nmemory: 1\r\n");
    CHECK(set(text, "", "lxc.cap.drop", "y") ==
          "#note\r\nhostname: a\r\nlxc.cap.drop = y \r\n\r\n[snap1]\r\nmemory: 1\r\n");
    CHECK(set(text, "", "swap", "0") ==
          "#note\r\nhostname: a\r\nlxc.cap.drop = x \r\nswap: 0\r\n\r\n[snap1]\r\nmemory: 1\r\n");
    CHECK(set(text, "pve:pending", "swap", "0") ==
          "#note\r\nhostname: a\r\nlxc.cap.drop = x \r\n\r\n[pve:pending]\r\nswap: "
          "0\r\n\r\n[snap1]\r\nmemory: 1\r\n");
    // Description lines end in LF: Proxmox would read a CR as part of the description.
    std::string described = set(text, "", "description", "new");
    CHECK(described == "#new\nhostname: a\r\nlxc.cap.drop = x \r\n\r\n[snap1]\r\nmemory: 1\r\n");
    CHECK(read(described).main.description == "new\n");
    CHECK(remove(text, "snap1", "memory") ==
          "#note\r\nhostname: a\r\nlxc.cap.drop = x \r\n\r\n[snap1]\r\n");
}

TEST_CASE("edit: an unterminated last line gets a bare LF even in a CRLF file") {
    // Found by fuzz_edit: a CR after a comment would become part of the description.
    std::string text = "arch: amd64\r\n# note";
    std::string out = set(text, "", "swap", "0");
    CHECK(out == "arch: amd64\r\n# note\nswap: 0\r\n");
    CHECK(read(out).main.description == read(text).main.description);
    auto appended = pct::edit::lxc_append(text, "", "lxc.cap.drop", "sys_time");
    REQUIRE(appended);
    CHECK(*appended == "arch: amd64\r\n# note\nlxc.cap.drop: sys_time\r\n");
    CHECK(set(text, "snap1", "memory", "1") ==
          "arch: amd64\r\n# note\n\r\n[snap1]\r\nmemory: 1\r\n");
}

TEST_CASE("edit: lxc_append adds an entry and lxc_remove drops the Nth the reader keeps") {
    std::string text = "lxc.idmap: u 0 1 1\nlxc.rootfs.path: /x\nlxc.cgroup2.cpu.max = 1\n"
                       "lxc.environment.runtime: A=1\n\n[snap1]\nmemory: 1\n";
    auto appended = pct::edit::lxc_append(text, "", "lxc.idmap", "g 0 1 1");
    REQUIRE(appended);
    CHECK(*appended == "lxc.idmap: u 0 1 1\nlxc.rootfs.path: /x\nlxc.cgroup2.cpu.max = 1\n"
                       "lxc.environment.runtime: A=1\nlxc.idmap: g 0 1 1\n\n[snap1]\nmemory: 1\n");
    // Entry 1 is lxc.cgroup2.cpu.max: the rejected lxc.rootfs.path and env are no entries.
    auto removed = pct::edit::lxc_remove(text, "", 1);
    REQUIRE(removed);
    CHECK(*removed == "lxc.idmap: u 0 1 1\nlxc.rootfs.path: /x\n"
                      "lxc.environment.runtime: A=1\n\n[snap1]\nmemory: 1\n");
    auto in_snapshot = pct::edit::lxc_append(text, "snap1", "lxc.cap.drop", "");
    REQUIRE(in_snapshot);
    CHECK(in_snapshot->ends_with("[snap1]\nmemory: 1\nlxc.cap.drop:\n"));

    auto missing = pct::edit::lxc_remove(text, "", 2);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
    CHECK(missing.error().message == "lxc entry 2 does not exist");
    auto no_section = pct::edit::lxc_remove(text, "snap2", 0);
    REQUIRE_FALSE(no_section);
    CHECK(no_section.error().code == Errc::not_found);
    auto bad_section = pct::edit::lxc_append(text, "bad name", "lxc.cap.drop", "x");
    REQUIRE_FALSE(bad_section);
    CHECK(bad_section.error().code == Errc::invalid_argument);
    auto line_break =
        pct::edit::lxc_append(text, "", "lxc.cap.drop", "x\nlxc.apparmor.profile: unconfined");
    REQUIRE_FALSE(line_break);
    CHECK(line_break.error().code == Errc::invalid_argument);
    CHECK(line_break.error().key == "lxc.cap.drop");
}

TEST_CASE("edit: description replaces the section's comment lines at the first one") {
    std::string out = set(sample, "", "description", "new: text\n100%\n");
    CHECK(out ==
          replaced(replaced(sample, "# managed by ops: do not touch\n", "#new%3A text\n#100%25\n"),
                   "#a second comment\n", ""));
    CHECK(read(out).main.description == "new: text\n100%\n");
    CHECK(read(out).snapshots.at("snap1").description == "snapshot comment\n");

    CHECK(set("hostname: a\ndescription: x\n", "", "description", "y") == "hostname: a\n#y\n");
    CHECK(set("hostname: a\n\n[snap1]\nmemory: 1\n", "snap1", "description", "s") ==
          "hostname: a\n\n[snap1]\n#s\nmemory: 1\n");
    CHECK(set("hostname: a\n", "", "description", "top") == "#top\nhostname: a\n");
    CHECK(remove(sample, "", "description") ==
          replaced(replaced(sample, "# managed by ops: do not touch\n", ""), "#a second comment\n",
                   ""));
    CHECK(set(sample, "", "description", "") == remove(sample, "", "description"));
}

TEST_CASE("edit: env rewrites the lxc.environment.runtime lines") {
    const std::string text =
        "hostname: a\nlxc.environment.runtime: A=1\nmemory: 1\nlxc.environment.runtime: B=2\n";
    std::string out = set(text, "", "env", std::string("X=1\0Y=2", 7));
    CHECK(out ==
          "hostname: a\nlxc.environment.runtime: X=1\nlxc.environment.runtime: Y=2\nmemory: 1\n");
    CHECK(read(out).main.options.at("env") == std::string("X=1\0Y=2", 7));
    CHECK(remove(text, "", "env") == "hostname: a\nmemory: 1\n");
}

TEST_CASE("edit: the section Proxmox reads is the last of repeated headers") {
    const std::string text = "[pve:pending]\nmemory: 1\n[pve:pending]\nmemory: 2\n";
    CHECK(set(text, "pve:pending", "memory", "3") ==
          "[pve:pending]\nmemory: 1\n[pve:pending]\nmemory: 3\n");
    CHECK(set(text, "pve:pending", "swap", "3") == text + "swap: 3\n");
}

TEST_CASE("edit: new sections: pending before the first snapshot, snapshots at the end") {
    const std::string text = "hostname: a\n#comment of main\n\n[snap1]\nmemory: 1";
    CHECK(set(text, "pve:pending", "memory", "2") ==
          "hostname: a\n#comment of main\n\n[pve:pending]\nmemory: 2\n\n[snap1]\nmemory: 1");
    auto cfg = read(set(text, "pve:pending", "memory", "2"));
    CHECK(cfg.main.description == "comment of main\n");
    CHECK(set(text, "snap2", "memory", "2") == text + "\n\n[snap2]\nmemory: 2\n");
    CHECK(set("hostname: a\n", "pve:pending", "memory", "2") ==
          "hostname: a\n\n[pve:pending]\nmemory: 2\n");
}

TEST_CASE("edit: lines whose value Proxmox reads oddly are rewritten whole") {
    CHECK(set("hostname: \nswap: 1\n", "", "hostname", "a") == "hostname: a\nswap: 1\n");
    CHECK(set("hostname:\t\r\n", "", "hostname", "a") == "hostname: a\r\n");
    CHECK(set("[snap1]\nx_snapstate: delete\n", "snap1", "snapstate", "prepare") ==
          "[snap1]\nsnapstate: prepare\n");
}

TEST_CASE("edit: remove drops every line of the key in that section only") {
    std::string out = remove(sample, "", "memory");
    CHECK(out == replaced(replaced(sample, "memory:   512   \n", ""), "memory: 1024\n", ""));
    auto cfg = read(out);
    CHECK_FALSE(cfg.main.options.contains("memory"));
    CHECK(cfg.pending.options.contains("memory"));
    CHECK(remove(sample, "pve:pending", "delete") == replaced(sample, "delete: swap\n", ""));
    CHECK(remove("hostname: a\nmemory: 1", "", "memory") == "hostname: a\n");
}

TEST_CASE("edit: refusals carry a stable code and the key") {
    auto e = pct::edit::set(sample, Target{"", "hostname"}, "a\nb");
    REQUIRE_FALSE(e);
    CHECK(e.error().code == Errc::invalid_argument);
    CHECK(e.error().key == "hostname");
    CHECK(pct::edit::set(sample, Target{"", "hostname"}, "").error().code ==
          Errc::invalid_argument);
    CHECK(pct::edit::set(sample, Target{"", "hostname"}, " a").error().code ==
          Errc::invalid_argument);
    CHECK(pct::edit::set(sample, Target{"", "Host"}, "a").error().code == Errc::invalid_argument);
    CHECK(pct::edit::set(sample, Target{"", "digest"}, "a").error().code == Errc::invalid_argument);
    CHECK(pct::edit::set(sample, Target{"", "lxc.Foo"}, "a").error().code ==
          Errc::invalid_argument);
    auto del = pct::edit::set(sample, Target{"", "delete"}, "memory");
    CHECK(del.error().message == "property 'delete' is only allowed in [pve:pending]");
    CHECK(pct::edit::set(sample, Target{"", "snapstate"}, "prepare").error().code ==
          Errc::invalid_argument);
    CHECK(pct::edit::set(sample, Target{"a", "memory"}, "1").error().code ==
          Errc::invalid_argument);
    CHECK(pct::edit::set(sample, Target{"bad name", "memory"}, "1").error().code ==
          Errc::invalid_argument);
    // A value that would read back as another line kind.
    CHECK(pct::edit::set(sample, Target{"", "foo"}, "x snapstate: delete").error().code ==
          Errc::invalid_argument);

    auto missing = pct::edit::remove(sample, Target{"", "swap"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
    CHECK(missing.error().key == "swap");
    CHECK(pct::edit::remove(sample, Target{"nosnap", "memory"}).error().code == Errc::not_found);
}

TEST_CASE("edit: every edit of a realistic file changes exactly the meaning asked for") {
    for (const char* key : {"arch", "hostname", "memory", "foo", "cores", "lxc.apparmor.profile",
                            "lxc.mount.entry", "lxc.idmap"}) {
        CAPTURE(key);
        std::string out = set(sample, "", key, "v1");
        auto before = read(sample);
        auto after = read(out);
        if (std::string_view(key).starts_with("lxc.")) {
            auto it = std::find_if(before.main.lxc.rbegin(), before.main.lxc.rend(),
                                   [&](const pct::LxcEntry& e) { return e.key == key; });
            if (it != before.main.lxc.rend())
                it->value = "v1";
            else
                before.main.lxc.push_back({key, "v1"});
        } else {
            before.main.options[key] = "v1";
        }
        CHECK(after == before);
    }
}

namespace {

using Strings = std::vector<std::string>;

std::string pending_add(std::string_view text, std::string_view key, bool force = false) {
    auto out = pct::edit::pending_delete_add(text, key, force);
    REQUIRE_MESSAGE(out, (out ? "" : out.error().message));
    return *out;
}

std::string pending_remove(std::string_view text, std::string_view key) {
    auto out = pct::edit::pending_delete_remove(text, key);
    REQUIRE_MESSAGE(out, (out ? "" : out.error().message));
    return *out;
}

} // namespace

TEST_CASE("split_list: commas semicolons and ASCII white space separate") {
    CHECK(pct::split_list("") == Strings{});
    CHECK(pct::split_list(" ,;\t\r\n\f\v") == Strings{});
    CHECK(pct::split_list("a,,b; c\td\ve\ff\r\ng") == Strings{"a", "b", "c", "d", "e", "f", "g"});
    CHECK(pct::split_list("!swap,cores") == Strings{"!swap", "cores"});
    CHECK(pct::split_list(std::string_view("a\0b,c", 5)) == Strings{std::string("a\0b", 3), "c"});
}

TEST_CASE("edit: pending_deletes reads the list Proxmox reads") {
    CHECK(pct::edit::pending_deletes(sample) == Strings{"swap"});
    CHECK(pct::edit::pending_deletes("memory: 1\n").empty());
    CHECK(pct::edit::pending_deletes("[pve:pending]\nmemory: 1\n").empty());
    CHECK(pct::edit::pending_deletes("[pve:pending]\ndelete: swap;!cores  mp0,swap\n") ==
          Strings{"swap", "!cores", "mp0", "swap"});
    // The last `delete` line of the last pending header; snapshots and main do not count.
    CHECK(pct::edit::pending_deletes("[pve:pending]\ndelete: a\ndelete: b\n[snap1]\ndelete: c\n") ==
          Strings{"b"});
    CHECK(
        pct::edit::pending_deletes("[pve:pending]\ndelete: a\n[pve:pending]\nmemory: 1\n").empty());
    CHECK(pct::edit::pending_deletes("delete: a\n").empty());
    CHECK(pct::edit::pending_deletes("[pve:pending]\r\ndelete: a,!b\r\n") == Strings{"a", "!b"});
}

TEST_CASE("edit: pending_delete_add writes the sorted list in place") {
    const std::string text = "arch: amd64\n\n[pve:pending]\ndelete: swap;!cores  mp0\nmemory: 1\n";
    std::string out = pending_add(text, "mp1");
    CHECK(out == replaced(text, "swap;!cores  mp0", "!cores,mp0,mp1,swap"));
    CHECK(read(out).pending.get("delete") == "!cores,mp0,mp1,swap");
    CHECK(pending_add(out, "swap", true) ==
          replaced(text, "swap;!cores  mp0", "!cores,mp0,mp1,!swap"));
    CHECK(pending_add(out, "cores") == replaced(text, "swap;!cores  mp0", "cores,mp0,mp1,swap"));
    // A duplicated key keeps its last flag and is written once.
    CHECK(pending_add("[pve:pending]\ndelete: !a,a\n", "b") == "[pve:pending]\ndelete: a,b\n");
    // CRLF: the line keeps its CR.
    CHECK(pending_add("[pve:pending]\r\ndelete: a\r\n", "b", true) ==
          "[pve:pending]\r\ndelete: a,!b\r\n");
}

TEST_CASE("edit: pending_delete_add creates the pending section where Proxmox writes it") {
    CHECK(pending_add("arch: amd64\n", "swap") == "arch: amd64\n\n[pve:pending]\ndelete: swap\n");
    CHECK(pending_add("arch: amd64\n\n[snap1]\nmemory: 1\n", "swap", true) ==
          "arch: amd64\n\n[pve:pending]\ndelete: !swap\n\n[snap1]\nmemory: 1\n");
    CHECK(pending_add("arch: amd64\r\nmemory: 1\r\n", "swap") ==
          "arch: amd64\r\nmemory: 1\r\n\r\n[pve:pending]\r\ndelete: swap\r\n");
    CHECK(pending_add("", "swap") == "[pve:pending]\ndelete: swap\n");
    CHECK(pending_add("[pve:pending]\nmemory: 1\n", "swap") ==
          "[pve:pending]\nmemory: 1\ndelete: swap\n");
}

TEST_CASE("edit: pending_delete_remove drops the entry and the emptied line") {
    const std::string text = "arch: amd64\n\n[pve:pending]\ndelete: swap,!cores\nmemory: 1\n";
    std::string out = pending_remove(text, "cores");
    CHECK(out == replaced(text, "swap,!cores", "swap"));
    CHECK(pending_remove(out, "swap") == replaced(text, "delete: swap,!cores\n", ""));
    CHECK(read(pending_remove(out, "swap")).pending.get("delete") == std::nullopt);
    // Every `delete` line of the section goes, as with edit::remove.
    CHECK(pending_remove("[pve:pending]\ndelete: a\nmemory: 1\ndelete: !b\n", "b") ==
          "[pve:pending]\nmemory: 1\n");
    CHECK(pending_remove("[pve:pending]\r\ndelete: !a;b\r\nmemory: 1\r\n", "a") ==
          "[pve:pending]\r\ndelete: b\r\nmemory: 1\r\n");
    CHECK(pending_remove("[pve:pending]\r\ndelete: !a\r\nmemory: 1\r\n", "a") ==
          "[pve:pending]\r\nmemory: 1\r\n");
}

TEST_CASE("edit: pending delete refusals carry a stable code message and key") {
    const std::string text = "[pve:pending]\ndelete: swap\n";
    auto bad = pct::edit::pending_delete_add(text, "bad key");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::invalid_argument);
    CHECK(bad.error().message == "invalid key 'bad key'");
    CHECK(bad.error().key == "delete");
    auto forced_name = pct::edit::pending_delete_add(text, "!swap");
    REQUIRE_FALSE(forced_name);
    CHECK(forced_name.error().message == "invalid key '!swap'");
    auto empty = pct::edit::pending_delete_add(text, "");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == Errc::invalid_argument);
    // An invalid entry already listed blocks every rewrite of the list, and is named as written.
    auto lone_bang = pct::edit::pending_delete_add("[pve:pending]\ndelete: swap,!\n", "cores");
    REQUIRE_FALSE(lone_bang);
    CHECK(lone_bang.error().message == "invalid entry '!' in delete list");
    CHECK(lone_bang.error().key == "delete");
    auto other_bad = pct::edit::pending_delete_remove("[pve:pending]\ndelete: swap,Bad\n", "swap");
    REQUIRE_FALSE(other_bad);
    CHECK(other_bad.error().code == Errc::invalid_argument);
    CHECK(other_bad.error().message == "invalid key 'Bad' in delete list");

    auto missing = pct::edit::pending_delete_remove(text, "cores");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
    CHECK(missing.error().message == "'cores' is not pending deletion");
    CHECK(missing.error().key == "delete");
    auto forced_remove = pct::edit::pending_delete_remove(text, "!swap");
    REQUIRE_FALSE(forced_remove);
    CHECK(forced_remove.error().code == Errc::not_found);
    auto no_pending = pct::edit::pending_delete_remove("arch: amd64\n", "swap");
    REQUIRE_FALSE(no_pending);
    CHECK(no_pending.error().code == Errc::not_found);

    // An entry of the file that is no key stops a rewrite of the list.
    auto listed = pct::edit::pending_delete_add("[pve:pending]\ndelete: Swap\n", "cores");
    REQUIRE_FALSE(listed);
    CHECK(listed.error().code == Errc::invalid_argument);
    CHECK(listed.error().message == "invalid key 'Swap' in delete list");
    CHECK(listed.error().key == "delete");
    CHECK(pending_remove("[pve:pending]\ndelete: Swap,cores\n", "Swap") ==
          "[pve:pending]\ndelete: cores\n");
}
