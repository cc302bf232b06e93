// SPDX-License-Identifier: AGPL-3.0-or-later
// `--output-format` (PVE::CLIFormatter) on the printing commands: the text each prints as
// Proxmox's pct.pm does, the JSON shapes of Proxmox's API parsed back, and the YAML of
// CPAN::Meta::YAML. Every expected text below is written from Proxmox's code, not from libpct.
#include <doctest/doctest.h>

#include "shell.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
namespace test = pct::test;
using nlohmann::json;

namespace {

struct Root {
    test::TempDir dir{"pct-outfmt"};
    Root() { fs::create_directories(dir.path() + "/etc/pve/lxc"); }
    void conf(int vmid, const std::string& text) const {
        test::write_text(dir.path() + "/etc/pve/lxc/" + std::to_string(vmid) + ".conf", text);
    }
    /// `pct --root ROOT ARGS`, stdout only (stderr goes to `err`).
    [[nodiscard]] test::CommandResult pct(const std::string& args) const {
        // test::sh adds 2>&1 after the group: the command's own 2> wins inside it.
        return test::sh(std::string("{ TZ=UTC '") + PCT_CLI + "' --root '" + dir.path() + "' " +
                        args + " 2>'" + dir.path() + "/err'; }");
    }
    [[nodiscard]] std::string err() const { return test::read_text(dir.path() + "/err"); }
};

// A config with a number, a boolean written as a word, a property string, a two-line comment,
// a raw lxc key, pending changes and a snapshot.
const std::string config_150 = "#first line\n"
                               "#it's 100%\n"
                               "arch: amd64\n"
                               "cores: 2\n"
                               "cpulimit: 1.5\n"
                               "hostname: ct150\n"
                               "memory: 512\n"
                               "net0: name=eth0,bridge=vmbr0,ip=dhcp\n"
                               "onboot: yes\n"
                               "ostype: debian\n"
                               "parent: s1\n"
                               "tags: yes\n"
                               "lxc.cap.drop: sys_time\n"
                               "\n"
                               "[pve:pending]\n"
                               "memory: 1024\n"
                               "delete: cpulimit,!onboot\n"
                               "\n"
                               "[s1]\n"
                               "#snap note\n"
                               "hostname: ct150\n"
                               "memory: 256\n"
                               "snaptime: 1700000000\n";

} // namespace

TEST_CASE("output-format: config") {
    Root root;
    root.conf(150, config_150);

    // pct.pm's config printer: keys sorted, no digest, description encode_text-ed, lxc last;
    // pending memory applied, the pending deletions gone.
    auto text = root.pct("config 150");
    CHECK(text.status == 0);
    CHECK(text.out == "arch: amd64\n"
                      "cores: 2\n"
                      "description: first line%0Ait's 100%25%0A\n"
                      "hostname: ct150\n"
                      "memory: 1024\n"
                      "net0: name=eth0,bridge=vmbr0,ip=dhcp\n"
                      "ostype: debian\n"
                      "parent: s1\n"
                      "tags: yes\n"
                      "lxc.cap.drop: sys_time\n");
    CHECK(root.pct("config 150 --output-format text").out == text.out);

    auto current = root.pct("config 150 --current --output-format json");
    CHECK(current.status == 0);
    REQUIRE(current.out.ends_with("}\n"));
    CHECK(current.out.find('\n') == current.out.size() - 1); // one line
    json j = json::parse(current.out);
    CHECK(j["cores"] == 2);
    CHECK(j["cpulimit"] == 1.5);
    CHECK(j["memory"] == 512);
    CHECK(j["onboot"] == 1);
    CHECK(j["tags"] == "yes"); // a string key stays a string
    CHECK(j["net0"] == "name=eth0,bridge=vmbr0,ip=dhcp");
    CHECK(j["description"] == "first line\nit's 100%\n");
    CHECK(j["lxc"] == json::parse(R"([["lxc.cap.drop","sys_time"]])"));
    CHECK(j["digest"].get<std::string>().size() == 40);
    CHECK_FALSE(j.contains("snaptime"));

    json pending = json::parse(root.pct("config 150 --output-format json").out);
    CHECK(pending["memory"] == 1024);
    CHECK_FALSE(pending.contains("cpulimit"));
    CHECK_FALSE(pending.contains("onboot"));
    CHECK(pending["digest"] == j["digest"]);

    json snap = json::parse(root.pct("config 150 --snapshot s1 -output-format json").out);
    CHECK(snap["memory"] == 256);
    CHECK(snap["snaptime"] == 1700000000);
    CHECK(snap["description"] == "snap note\n");

    // JSON::XS canonical pretty: 3 spaces, `"key" : value`, keys sorted, a final newline.
    auto pretty = root.pct("config 150 --snapshot s1 --output-format json-pretty");
    CHECK(pretty.status == 0);
    CHECK(pretty.out == "{\n"
                        "   \"description\" : \"snap note\\n\",\n"
                        "   \"digest\" : " +
                            snap["digest"].dump() +
                            ",\n"
                            "   \"hostname\" : \"ct150\",\n"
                            "   \"memory\" : 256,\n"
                            "   \"snaptime\" : 1700000000\n"
                            "}\n");

    // CPAN::Meta::YAML: `---`, keys sorted; "it's" has a quote, so double quotes with \n
    // escapes; `yes` (a YAML boolean word) single-quoted; numbers bare; an array of arrays
    // as `-` lines.
    auto yaml = root.pct("config 150 --current --output-format yaml");
    CHECK(yaml.status == 0);
    CHECK(yaml.out == "---\n"
                      "arch: amd64\n"
                      "cores: 2\n"
                      "cpulimit: 1.5\n"
                      "description: \"first line\\nit's 100%\\n\"\n"
                      "digest: " +
                          j["digest"].get<std::string>() +
                          "\n"
                          "hostname: ct150\n"
                          "lxc:\n"
                          "  -\n"
                          "    - lxc.cap.drop\n"
                          "    - sys_time\n"
                          "memory: 512\n"
                          "net0: name=eth0,bridge=vmbr0,ip=dhcp\n"
                          "onboot: 1\n"
                          "ostype: debian\n"
                          "parent: s1\n"
                          "tags: 'yes'\n");

    auto bad = root.pct("config 150 --output-format xml");
    CHECK(bad.status != 0);
    CHECK(bad.out.empty());
    // The usage error's wording around it is the CLI's (a line before it once usage errors
    // are Proxmox's "400 Parameter verification failed.").
    CHECK(root.err().find("--output-format: xml not in {text,json,json-pretty,yaml}\n") !=
          std::string::npos);
    // A number as Perl prints it: 15 significant digits.
    root.conf(152, "hostname: r\ncpulimit: 0.30000000000000004\n");
    CHECK(root.pct("config 152 --output-format json").out.starts_with(R"({"cpulimit":0.3,)"));

    auto missing = root.pct("config 151 --output-format json");
    CHECK(missing.status == 255);
    CHECK(missing.out.empty());
}

TEST_CASE("output-format: pending") {
    Root root;
    root.conf(151, "#first line\n#it's 100%\narch: amd64\ncores: 2\ncpulimit: 1.5\nmemory: 512\n"
                   "onboot: yes\n\n[pve:pending]\nmemory: 1024\n#pending note\n"
                   "delete: cpulimit,!onboot\n");

    // PVE::GuestHelpers::format_pending: sorted by key; a deletion `del K: V`, a change
    // `cur` then `new`, descriptions encode_text-ed.
    auto text = root.pct("pending 151");
    CHECK(text.status == 0);
    CHECK(text.out == "cur arch: amd64\n"
                      "cur cores: 2\n"
                      "del cpulimit: 1.5\n"
                      "cur description: first line%0Ait's 100%25%0A\n"
                      "new description: pending note%0A\n"
                      "cur memory: 512\n"
                      "new memory: 1024\n"
                      "del onboot: 1\n");

    // vm_pending: [{key, value, pending, delete}], each field only when set; delete 2 = forced.
    auto out = root.pct("pending 151 --output-format json");
    CHECK(out.status == 0);
    json j = json::parse(out.out);
    REQUIRE(j.is_array());
    REQUIRE(j.size() == 6);
    CHECK(j[0] == json::parse(R"({"key":"arch","value":"amd64"})"));
    CHECK(j[1] == json::parse(R"({"key":"cores","value":2})"));
    CHECK(j[2] == json::parse(R"({"key":"cpulimit","value":1.5,"delete":1})"));
    CHECK(j[3] == json::parse(R"({"key":"description","value":"first line\nit's 100%\n",
                                   "pending":"pending note\n"})"));
    CHECK(j[4] == json::parse(R"({"key":"memory","value":512,"pending":1024})"));
    CHECK(j[5] == json::parse(R"({"key":"onboot","value":1,"delete":2})"));
    CHECK(json::parse(root.pct("pending 151 --output-format json-pretty").out) == j);

    // An array of hashes in CPAN::Meta::YAML: `-` alone, the hash indented by two.
    auto yaml = root.pct("pending 151 --output-format yaml");
    CHECK(yaml.status == 0);
    CHECK(yaml.out == "---\n"
                      "-\n  key: arch\n  value: amd64\n"
                      "-\n  key: cores\n  value: 2\n"
                      "-\n  delete: 1\n  key: cpulimit\n  value: 1.5\n"
                      "-\n  key: description\n  pending: \"pending note\\n\"\n"
                      "  value: \"first line\\nit's 100%\\n\"\n"
                      "-\n  key: memory\n  pending: 1024\n  value: 512\n"
                      "-\n  delete: 2\n  key: onboot\n  value: 1\n");

    auto missing = root.pct("pending 152 --output-format yaml");
    CHECK(missing.status == 255);
    CHECK(missing.out.empty());
    CHECK(root.err().ends_with("/etc/pve/lxc/152.conf' does not exist\n"));
}

TEST_CASE("output-format: listsnapshot") {
    Root root;
    root.conf(160, "hostname: ct160\nparent: s2\n\n"
                   "[s1]\n#first snap\n#more\nhostname: ct160\nsnaptime: 1700000000\n\n"
                   "[s2]\nhostname: ct160\nparent: s1\nsnapstate: prepare\n"
                   "snaptime: 1700000060\n");

    // PVE::GuestHelpers::print_snapshot_tree: printf("%s %-${len}s %-23s %s\n") with
    // len = 30 - length(prefix), the prefix one space deeper per level, the description's
    // first line or "no-description", time in the local zone (TZ=UTC here).
    auto text = root.pct("listsnapshot 160");
    CHECK(text.status == 0);
    CHECK(text.out == "`-> s1                          2023-11-14 22:13:20     first snap\n"
                      " `-> s2                         2023-11-14 22:14:20     no-description\n"
                      "  `-> current                                           You are here!\n");

    // Snapshot.pm `list`: snaptime and description always, parent/snapstate when set;
    // `current` last with digest and running.
    auto out = root.pct("listsnapshot 160 --output-format json");
    CHECK(out.status == 0);
    json j = json::parse(out.out);
    REQUIRE(j.size() == 3);
    CHECK(j[0] == json::parse(R"({"name":"s1","snaptime":1700000000,
                                   "description":"first snap\nmore\n"})"));
    CHECK(j[1] == json::parse(R"({"name":"s2","snaptime":1700000060,"description":"",
                                   "parent":"s1","snapstate":"prepare"})"));
    json current = j[2];
    CHECK(current["digest"].get<std::string>().size() == 40);
    current.erase("digest");
    CHECK(current == json::parse(R"({"name":"current","description":"You are here!",
                                      "parent":"s2","running":0})"));
    // The same digest as `config` reports.
    CHECK(json::parse(root.pct("config 160 --output-format json").out)["digest"] == j[2]["digest"]);

    // YAML::Tiny: a value with a space is single-quoted, an empty one is ''.
    auto yaml = root.pct("listsnapshot 160 --output-format yaml");
    CHECK(yaml.status == 0);
    CHECK(yaml.out == "---\n"
                      "-\n  description: \"first snap\\nmore\\n\"\n  name: s1\n"
                      "  snaptime: 1700000000\n"
                      "-\n  description: ''\n  name: s2\n  parent: s1\n  snapstate: prepare\n"
                      "  snaptime: 1700000060\n"
                      "-\n  description: 'You are here!'\n  digest: " +
                          j[2]["digest"].get<std::string>() +
                          "\n  name: current\n  parent: s2\n  running: 0\n");

    CHECK(root.pct("listsnapshot 161 --output-format json").status == 255);
}

TEST_CASE("output-format: list and status of stopped containers") {
    Root root;
    root.conf(170, "arch: amd64\ncores: 1\nhostname: web1\nlock: backup\nmemory: 256\n"
                   "ostype: debian\nrootfs: local:170/vm-170-disk-0.raw,size=2G\nswap: 128\n"
                   "tags: prod;web\n");
    root.conf(171, "arch: amd64\ncpulimit: 1.5\nostype: debian\n"
                   "rootfs: local:171/base-171-disk-0.raw,size=1G\nswap: 0\ntemplate: 1\n");

    // pct.pm's list: printf("%-10s %-10s %-12s %-20s\n") per CT sorted by vmid, after a header.
    auto text = root.pct("list");
    CHECK(text.status == 0);
    CHECK(text.out == "VMID       Status     Lock         Name                \n"
                      "170        stopped    backup       web1                \n"
                      "171        stopped                 CT171               \n");

    // GET /nodes/N/lxc: vmstatus per CT (PVE::LXC::vmstatus for a stopped one: maxmem from
    // memory, maxswap from swap, maxdisk from the rootfs size, cpus from cores or cpulimit,
    // usage 0; lock, tags, template only when set).
    auto out = root.pct("list --output-format json");
    CHECK(out.status == 0);
    json j = json::parse(out.out);
    REQUIRE(j.size() == 2);
    CHECK(j[0] == json::parse(R"({"vmid":170,"status":"stopped","name":"web1","type":"lxc",
        "lock":"backup","tags":"prod;web","cpu":0,"cpus":1,"uptime":0,"mem":0,
        "maxmem":268435456,"swap":0,"maxswap":134217728,"disk":0,"maxdisk":2147483648,
        "diskread":0,"diskwrite":0,"netin":0,"netout":0})"));
    CHECK(j[1]["name"] == "CT171");
    CHECK(j[1]["cpus"] == 1.5);
    CHECK(j[1]["template"] == 1);
    CHECK(j[1]["maxdisk"] == 1073741824);
    CHECK_FALSE(j[1].contains("lock"));
    CHECK_FALSE(j[1].contains("pid"));

    // `pct status`: one line; --verbose: vmstatus `key: value` sorted, without cpu.
    CHECK(root.pct("status 170").out == "status: stopped\n");
    auto verbose = root.pct("status 170 --verbose");
    CHECK(verbose.status == 0);
    CHECK(verbose.out == "cpus: 1\ndisk: 0\ndiskread: 0\ndiskwrite: 0\nlock: backup\n"
                         "maxdisk: 2147483648\nmaxmem: 268435456\nmaxswap: 134217728\nmem: 0\n"
                         "name: web1\nnetin: 0\nnetout: 0\nstatus: stopped\nswap: 0\n"
                         "tags: prod;web\ntype: lxc\nuptime: 0\nvmid: 170\n");

    // GET .../status/current: the list's item plus `ha`.
    json current = json::parse(root.pct("status 170 --output-format json-pretty").out);
    CHECK(current["ha"] == json::parse(R"({"managed":0})"));
    current.erase("ha");
    CHECK(current == j[0]);

    auto yaml = root.pct("status 171 --output-format yaml");
    CHECK(yaml.status == 0);
    CHECK(yaml.out == "---\ncpu: 0\ncpus: 1.5\ndisk: 0\ndiskread: 0\ndiskwrite: 0\n"
                      "ha:\n  managed: 0\nmaxdisk: 1073741824\nmaxmem: 536870912\nmaxswap: 0\n"
                      "mem: 0\nname: CT171\nnetin: 0\nnetout: 0\nstatus: stopped\nswap: 0\n"
                      "template: 1\ntype: lxc\nuptime: 0\nvmid: 171\n");

    auto missing = root.pct("status 172 --output-format json");
    CHECK(missing.status == 255);
    CHECK(missing.out.empty());
}

TEST_CASE("output-format: an empty list") {
    Root root;
    // Proxmox prints nothing for no containers; the API gives [] (YAML::Tiny: `--- []`).
    CHECK(root.pct("list").out.empty());
    CHECK(root.pct("list --output-format json").out == "[]\n");
    CHECK(root.pct("list --output-format json-pretty").out == "[]\n");
    CHECK(root.pct("list --output-format yaml").out == "--- []\n");
}

TEST_CASE("output-format: YAML quotes strings as CPAN::Meta::YAML does") {
    Root root;
    // Raw lxc values are free text: each one hits one rule of YAML::Tiny's _dump_scalar.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"123", "'123'"},                             // looks like a number but is a string
        {"1e5", "'1e5'"},                             // so does an exponent
        {"nan", "'nan'"},                             // and Perl's NaN
        {"0x10", "0x10"},                             // not a number for Perl: plain
        {"no", "'no'"},                               // a YAML boolean word
        {"off", "'off'"},                             // another
        {"---", "'---'"},                             // only dashes
        {"-x", "-x"},                                 // a dash with more is plain
        {"a: b", "'a: b'"},                           // whitespace
        {":x", "':x'"},                               // a leading indicator
        {"~home", "'~home'"},                         // another
        {"#c", "'#c'"},                               // another
        {"x:", "'x:'"},                               // a trailing colon
        {"tab\there", "\"tab\\there\""},              // a control character: double quotes, escaped
        {"it's", "\"it's\""},                         // a single quote: double quotes
        {"back\\slash \"q\"", "'back\\slash \"q\"'"}, // only single-quoted: no escapes
        {"plain-value_1.2.3", "plain-value_1.2.3"},
    };
    std::string conf = "hostname: q\n";
    std::string expected = "---\ndigest: DIGEST\nhostname: q\nlxc:\n";
    for (const auto& [value, yaml] : cases) {
        conf += "lxc.environment: " + value + "\n";
        expected += "  -\n    - lxc.environment\n    - " + yaml + "\n";
    }
    root.conf(180, conf);
    json j = json::parse(root.pct("config 180 --output-format json").out);
    REQUIRE(j["lxc"].size() == cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i)
        CHECK(j["lxc"][i][1] == cases[i].first);
    expected.replace(expected.find("DIGEST"), 6, j["digest"].get<std::string>());
    auto yaml = root.pct("config 180 --output-format yaml");
    CHECK(yaml.status == 0);
    CHECK(yaml.out == expected);
}
