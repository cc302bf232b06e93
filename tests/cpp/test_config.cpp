// SPDX-License-Identifier: AGPL-3.0-or-later
// The config reader and writer (§5, §6, §12 of the format reference): our own cases under
// tests/data/config (NAME.conf with the expected NAME.canon, NAME.json, NAME.diag = one
// "LINE<TAB>KEY<TAB>CODE" per warning, NAME.strict = "LINE<TAB>KEY" of strict mode's error or
// empty), plus the rules spelled out one by one. The expectations were derived from Proxmox's
// parse_pct_config/write_pct_config rules, independently of this code.
#include <doctest/doctest.h>

#include <pct/parse/config.hpp>
#include <pct/render/config.hpp>
#include <pct/render/json.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using pct::DiagCode;
using pct::Errc;
using pct::parse::LineKind;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "missing " << path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// One expected problem: line, key and (for warnings) the code's stable name.
struct Where {
    int line = 0;
    std::string key;
    std::string code;
};

std::vector<Where> locations(const std::string& text) {
    std::vector<Where> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto tab = line.find('\t');
        REQUIRE(tab != std::string::npos);
        Where w;
        w.line = std::stoi(line.substr(0, tab));
        w.key = line.substr(tab + 1);
        if (auto tab2 = w.key.find('\t'); tab2 != std::string::npos) {
            w.code = w.key.substr(tab2 + 1);
            w.key.resize(tab2);
        }
        out.push_back(std::move(w));
    }
    return out;
}

const char* code_name(DiagCode code) {
    switch (code) {
    case DiagCode::invalid_line:
        return "invalid_line";
    case DiagCode::unknown_key:
        return "unknown_key";
    case DiagCode::invalid_value:
        return "invalid_value";
    case DiagCode::delete_outside_pending:
        return "delete_outside_pending";
    case DiagCode::lxc_key_rejected:
        return "lxc_key_rejected";
    case DiagCode::lxc_key_deprecated:
        return "lxc_key_deprecated";
    }
    return "?";
}

pct::parse::ParsedConfig read(std::string_view text, std::uint32_t vmid = 100) {
    pct::parse::ConfigOptions options;
    options.vmid = vmid;
    auto parsed = pct::parse::config(text, options);
    REQUIRE(parsed);
    return *parsed;
}

std::string canon(std::string_view text) {
    auto out = pct::render::config(read(text).config);
    REQUIRE(out);
    return *out;
}

pct::Error strict_error(std::string_view text, std::string file = "/etc/pve/lxc/100.conf") {
    pct::parse::ConfigOptions options;
    options.strict = true;
    options.file = std::move(file);
    auto parsed = pct::parse::config(text, options);
    REQUIRE_FALSE(parsed);
    return parsed.error();
}

} // namespace

TEST_CASE("parse: every case under tests/data/config matches its expected outputs") {
    const fs::path dir = fs::path(PCT_TEST_DATA_DIR) / "config";
    std::vector<fs::path> cases;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".conf")
            cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    REQUIRE(cases.size() >= 38);

    for (const fs::path& conf : cases) {
        const std::string name = conf.stem().string();
        SUBCASE(name.c_str()) {
            const std::string text = slurp(conf);
            pct::parse::ConfigOptions options;
            options.vmid = pct::parse::vmid_from_path(conf.string());
            options.file = conf.string();
            auto parsed = pct::parse::config(text, options);
            REQUIRE(parsed);

            auto written = pct::render::config(parsed->config);
            REQUIRE(written);
            CHECK(*written == slurp(fs::path(dir) / (name + ".canon")));

            options.strict = true;
            auto strict = pct::parse::config(text, options);
            std::optional<pct::Error> strict_err;
            if (!strict)
                strict_err = strict.error();
            auto ours = nlohmann::json::parse(pct::render::json(*parsed, options.vmid, strict_err));
            auto expected = nlohmann::json::parse(slurp(fs::path(dir) / (name + ".json")));
            CHECK_MESSAGE(ours == expected,
                          "ours: " << ours.dump() << "\nexpected: " << expected.dump());

            auto where = locations(slurp(fs::path(dir) / (name + ".diag")));
            REQUIRE(where.size() == parsed->warnings.size());
            for (std::size_t i = 0; i < where.size(); ++i) {
                CHECK(parsed->warnings[i].line == where[i].line);
                CHECK(parsed->warnings[i].key == where[i].key);
                CHECK(code_name(parsed->warnings[i].code) == where[i].code);
            }

            auto strict_at = locations(slurp(fs::path(dir) / (name + ".strict")));
            if (strict_at.empty()) {
                CHECK(strict.has_value());
            } else {
                REQUIRE_FALSE(strict.has_value());
                CHECK(strict.error().code == Errc::parse);
                CHECK(strict.error().line == strict_at[0].line);
                CHECK(strict.error().key == strict_at[0].key);
                CHECK(strict.error().context == conf.string());
            }
        }
    }
}

TEST_CASE("parse: line classification follows Proxmox's regexes in order") {
    using pct::parse::classify_line;
    struct Row {
        std::string_view line;
        LineKind kind;
        std::string_view key;
        std::string_view value;
    };
    const Row rows[] = {
        {"", LineKind::blank, "", ""},
        {" \t\v\f\r", LineKind::blank, "", ""},
        {"[pve:pending]", LineKind::pending_header, "", ""},
        {"[PVE:PENDING] \r", LineKind::pending_header, "", ""},
        {"[pve:pending]x", LineKind::invalid, "", ""},
        {"[ab]", LineKind::snapshot_header, "ab", ""},
        {"[Ab-9_]\t", LineKind::snapshot_header, "Ab-9_", ""},
        {"[a]", LineKind::invalid, "", ""},
        {"[9a]", LineKind::invalid, "", ""},
        {"#", LineKind::comment, "", ""},
        {"# x \r", LineKind::comment, "", " x \r"},
        {" #x", LineKind::invalid, "", ""},
        {"lxc.a.b: v ", LineKind::lxc, "lxc.a.b", "v"},
        {"lxc.a \t= v", LineKind::lxc, "lxc.a", "v"},
        {"lxc.a=", LineKind::lxc, "lxc.a", ""},
        {"lxc.a :v", LineKind::invalid, "", ""},
        {"lxc.A: v", LineKind::invalid, "", ""},
        {"description:  a b  ", LineKind::description, "description", "a b"},
        {"description: ", LineKind::option, "description", " "},
        {"description:", LineKind::invalid, "", ""},
        {"x_snapstate: delete ", LineKind::snapstate, "snapstate", "delete"},
        {"foo: bar snapstate:prepare", LineKind::snapstate, "snapstate", "prepare"},
        {"snapstate: deleted", LineKind::option, "snapstate", "deleted"},
        {"delete: a, b", LineKind::delete_key, "delete", "a, b"},
        {"delete: ", LineKind::option, "delete", " "},
        {"net10: x", LineKind::option, "net10", "x"},
        {"a_b12: x", LineKind::option, "a_b12", "x"},
        {"key:\t \r", LineKind::option, "key", "\r"},
        {"key:", LineKind::invalid, "", ""},
        {"ne0t: x", LineKind::invalid, "", ""},
        {"Key: x", LineKind::invalid, "", ""},
        {"host-name: x", LineKind::invalid, "", ""},
    };
    for (const Row& row : rows) {
        CAPTURE(row.line);
        auto info = classify_line(row.line);
        CHECK(info.kind == row.kind);
        if (!row.key.empty())
            CHECK(info.key == row.key);
        if (row.kind != LineKind::invalid && row.kind != LineKind::blank)
            CHECK(info.value == row.value);
    }
    CHECK(classify_line("lxc.a = v").separator == '=');
    CHECK(classify_line("lxc.a: v").separator == ':');
}

TEST_CASE("parse: `key: ` stores one blank, `key:` is an invalid line") {
    auto parsed = read("hostname: \nswap:\n");
    CHECK(parsed.config.main.options.at("hostname") == " ");
    CHECK_FALSE(parsed.config.main.options.contains("swap"));
    REQUIRE(parsed.warnings.size() == 2);
    CHECK(parsed.warnings[1].code == DiagCode::invalid_line);
    CHECK(parsed.warnings[1].message == "vm 100 - unable to parse config: swap:");
    CHECK(parsed.warnings[1].line == 2);
    CHECK(parsed.warnings[1].column == 1);
    CHECK(canon("hostname: \n") == "hostname:  \n");
}

TEST_CASE("parse: a bad value is warned about with key, column and sub-key, and kept") {
    auto parsed = read("hostname: ct\nnet0:  name=eth0,tag=5000\n", 205);
    REQUIRE(parsed.warnings.size() == 1);
    const auto& d = parsed.warnings[0];
    CHECK(d.code == DiagCode::invalid_value);
    CHECK(d.line == 2);
    CHECK(d.column == 8);
    CHECK(d.key == "net0");
    CHECK(d.subkey == "tag");
    CHECK(d.section.empty());
    CHECK(d.message.starts_with("vm 205 - unable to parse value of 'net0' - "));
    CHECK(parsed.config.main.options.at("net0") == "name=eth0,tag=5000");
}

TEST_CASE("parse: unknown keys are kept and reported with their own code") {
    auto parsed = read("[snap]\nvmstate: local:x\n");
    REQUIRE(parsed.warnings.size() == 1);
    CHECK(parsed.warnings[0].code == DiagCode::unknown_key);
    CHECK(parsed.warnings[0].section == "snap");
    CHECK(parsed.warnings[0].message ==
          "vm 100 - unable to parse value of 'vmstate' - unknown setting 'vmstate'");
    CHECK(parsed.config.snapshots.at("snap").options.at("vmstate") == "local:x");
}

TEST_CASE("parse: strict mode fails on the first problem with file, line, column and key") {
    auto e = strict_error("hostname: ct\n\n[pve:pending]\nmemory: lots\nfoo: bar\n");
    CHECK(e.code == Errc::parse);
    CHECK(e.line == 4);
    CHECK(e.column == 9);
    CHECK(e.key == "memory");
    CHECK(e.context == "/etc/pve/lxc/100.conf");
    CHECK(
        e.message ==
        "vm 100 - unable to parse value of 'memory' - type check ('integer') failed - got 'lots'");

    auto sub = strict_error("features: nesting=maybe\n");
    CHECK(sub.key == "features");
    CHECK(sub.subkey == "nesting");

    auto del = strict_error("delete: memory\n");
    CHECK(del.line == 1);
    CHECK(del.key == "delete");
    CHECK(del.message == "vm 100 - property 'delete' is only allowed in [pve:pending]");

    auto rejected = strict_error("lxc.rootfs.path: /x\n");
    CHECK(rejected.key == "lxc.rootfs.path");
    CHECK(rejected.message ==
          "vm 100 - lxc.rootfs.path: lxc.rootfs.path is auto generated from rootfs");
}

TEST_CASE("parse: deprecated raw lxc keys stay warnings in strict mode") {
    pct::parse::ConfigOptions options;
    options.strict = true;
    auto parsed = pct::parse::config("lxc.init_cmd: /bin/sh\nlxc.cgroup.cpu.shares: 5\n", options);
    REQUIRE(parsed);
    REQUIRE(parsed->warnings.size() == 2);
    CHECK(parsed->warnings[0].code == DiagCode::lxc_key_deprecated);
    CHECK(parsed->warnings[0].message ==
          "vm 100 - lxc.init_cmd is deprecated and was renamed to lxc.init.cmd");
    CHECK(parsed->config.main.lxc.size() == 2);
}

TEST_CASE("parse: digest is the SHA-1 of the raw bytes, not of the canonical text") {
    // sha1("hostname: ct\r\n") and sha1("") computed independently (Python hashlib).
    CHECK(read("hostname: ct\r\n").digest == "cf860074294855302d3aa89d06c672162321d8cb");
    CHECK(read("").digest == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(pct::parse::sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST_CASE("Digest: 40 hex digits held inline, a regular value") {
    pct::Digest none;
    CHECK(none.empty());
    CHECK(none.view().empty());
    CHECK(std::string_view(none.c_str()).empty());
    auto d = pct::Digest::from_hex("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    REQUIRE_FALSE(d.empty());
    CHECK(d == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(d == read("").digest);
    CHECK(d != none);
    CHECK(d.str() == std::string(d.c_str()));
    std::ostringstream out;
    out << d;
    CHECK(out.str() == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    pct::Digest copy = d;
    CHECK(copy == d);
    // Only 40 lower-case hex digits make a digest.
    CHECK(pct::Digest::from_hex("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709").empty());
    CHECK(pct::Digest::from_hex("da39a3ee").empty());
    CHECK(pct::Digest::from_hex("xa39a3ee5e6b4b0d3255bfef95601890afd80709").empty());
}

TEST_CASE("parse: description comments glue, merge, move to the top and decode") {
    auto parsed = read("hostname: ct\n#a%3Ab\ndescription: x \n#y\n\n[s1]\n#snap\n");
    CHECK(parsed.config.main.description == "a:b\nxy\n");
    CHECK(parsed.config.snapshots.at("s1").description == "snap\n");
    CHECK(canon("hostname: ct\n#a%3Ab\ndescription: x \n#y\n") == "#a%3Ab\n#xy\nhostname: ct\n");
    // A comment right before a header belongs to the section above it.
    auto before = read("[s1]\nmemory: 1\n#for s1\n[s2]\nmemory: 2\n");
    CHECK(before.config.snapshots.at("s1").description == "for s1\n");
    CHECK(before.config.snapshots.at("s2").description.empty());
}

TEST_CASE("parse: decode_text is URI unescaping plus Perl's lax UTF-8 decoding") {
    using pct::parse::decode_text;
    // Expected values produced by Perl: Encode::decode("utf8", uri_unescape($s)).
    CHECK(decode_text("%41%4a%4A %zz %4 100%") == "AJJ %zz %4 100%");
    CHECK(decode_text("%C3%A9") == "\xC3\xA9");
    CHECK(decode_text("caf\xE9") == "caf\xEF\xBF\xBD");
    CHECK(decode_text("\xED\xA0\x80") == "\xED\xA0\x80");         // surrogate: lax passes
    CHECK(decode_text("\xF7\xBF\xBF\xBF") == "\xF7\xBF\xBF\xBF"); // above U+10FFFF
    CHECK(decode_text("\xC0\xAF") == "\xEF\xBF\xBD");             // overlong: one U+FFFD
    CHECK(decode_text("\xE2\x82\x41") == "\xEF\xBF\xBD"
                                         "A");                // truncated
    CHECK(decode_text("\x80\xC2\x9F\x80") == "\xEF\xBF\xBD"); // perl's DFA skips 4
    CHECK(decode_text("\x80\xC2\x9F") == "\xEF\xBF\xBD\xC2\x9F");
    CHECK(decode_text("\x90\xED\x90") == "\xEF\xBF\xBD");
    CHECK(decode_text("\xFE\x82\x80\x80\x80\x80\x80\x80\x80") ==
          "\xFE\x82\x80\x80\x80\x80\x80\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("parse: vmid_from_path") {
    using pct::parse::vmid_from_path;
    CHECK(vmid_from_path("/etc/pve/lxc/101.conf") == 101);
    CHECK(vmid_from_path("205") == 205);
    CHECK(vmid_from_path("dir/123-test.conf") == 123);
    CHECK(vmid_from_path("test-debian-001/config") == 100);
    CHECK(vmid_from_path("1234567890.conf") == 100);
    CHECK(vmid_from_path("") == 100);
}

TEST_CASE("parse: repeated sections restart, snapstate only survives outside main") {
    auto parsed = read("snapstate: delete\n[pve:pending]\nmemory: 1\n[pve:PENDING]\nswap: 2\n"
                       "[sa]\nmemory: 1\n[sa]\nx_snapstate: prepare\n");
    CHECK_FALSE(parsed.config.main.options.contains("snapstate"));
    // Also when the line is an ordinary option (a word other than prepare/delete).
    CHECK_FALSE(read("snapstate: other\nmemory: 1\n").config.main.options.contains("snapstate"));
    CHECK(read("memory: 1\n[sa]\nsnapstate: other\n")
              .config.snapshots.at("sa")
              .options.at("snapstate") == "other");
    CHECK(parsed.config.pending.options.size() == 1);
    CHECK(parsed.config.pending.options.at("swap") == "2");
    CHECK(parsed.config.snapshots.at("sa").options.size() == 1);
    CHECK(parsed.config.snapshots.at("sa").options.at("snapstate") == "prepare");
}

TEST_CASE("parse: lxc.environment.runtime lines become env, NUL-joined") {
    auto parsed = read("lxc.environment.runtime: A=1\nlxc.environment.runtime=B=2\n");
    CHECK(parsed.config.main.options.at("env") == std::string("A=1\0B=2", 7));
    CHECK(parsed.config.main.lxc.empty());
}

TEST_CASE("render: description rules") {
    pct::ContainerConfig cfg;
    cfg.main.description = "0";
    CHECK(pct::render::config(cfg).value() == "");
    cfg.main.description = "0\n";
    CHECK(pct::render::config(cfg).value() == "#0\n");
    cfg.main.description = "\na\n\nb:%\t\xC3\xA9\n\n\n";
    CHECK(pct::render::config(cfg).value() == "#\n#a\n#\n#b%3A%25%09%C3%A9\n");
    cfg.main.description = "\n\n";
    CHECK(pct::render::config(cfg).value() == "");
}

TEST_CASE("render: keys sorted bytewise, skipped keys, env and lxc after the keys") {
    pct::ContainerConfig cfg;
    for (auto key : {"net2", "net10", "mp2", "mp10", "dev0", "delete", "debug", "digest",
                     "snapname", "pending", "snapshots", "lxc"})
        cfg.main.options[key] = "v";
    cfg.main.options["env"] = std::string("\0A=1\0\0B=2\0\0", 11);
    cfg.main.lxc = {{"lxc.b", "2"}, {"lxc.environment.runtime", "skipped"}, {"lxc.a", "1"}};
    CHECK(pct::render::config(cfg).value() ==
          "debug: v\ndelete: v\ndev0: v\nmp10: v\nmp2: v\nnet10: v\n"
          "net2: v\nlxc.environment.runtime: \n"
          "lxc.environment.runtime: A=1\n"
          "lxc.environment.runtime: B=2\nlxc.b: 2\nlxc.a: 1\n");
}

TEST_CASE("render: sections: pending only when non-empty, snapshots sorted") {
    pct::ContainerConfig cfg;
    cfg.main.options["memory"] = "1";
    cfg.snapshots["bb"].options["snapstate"] = "prepare";
    cfg.snapshots["Bb"];
    CHECK(pct::render::config(cfg).value() == "memory: 1\n\n[Bb]\n\n[bb]\nsnapstate: prepare\n");
    cfg.pending.description = " ";
    CHECK(pct::render::config(cfg).value() ==
          "memory: 1\n\n[pve:pending]\n# \n\n[Bb]\n\n[bb]\nsnapstate: prepare\n");
}

TEST_CASE("render: Proxmox's newline refusal, and names that would not read back") {
    pct::ContainerConfig cfg;
    cfg.main.options["hostname"] = "a\nb";
    auto e = pct::render::config(cfg);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == Errc::invalid_argument);
    CHECK(e.error().key == "hostname");
    CHECK(e.error().message == "detected invalid newline inside property 'hostname'");

    pct::ContainerConfig lxc;
    lxc.snapshots["s1"].lxc = {{"lxc.mount.entry", "a\nb"}};
    CHECK(pct::render::config(lxc).error().key == "lxc.mount.entry");

    pct::ContainerConfig name;
    name.snapshots["pve:pending"];
    CHECK(pct::render::config(name).error().code == Errc::invalid_argument);
    pct::ContainerConfig one;
    one.snapshots["a"];
    CHECK_FALSE(pct::render::config(one));
}

TEST_CASE("render: unusedN naming a used volume is dropped from the main section only") {
    const std::string text = "rootfs: local:vm-100-disk-0,size=8G\n"
                             "mp0: local:vm-100-disk-1,mp=/data\n"
                             "mp1: /srv,mp=/srv\n"
                             "unused0: local:vm-100-disk-1\n"
                             "unused1: local:vm-100-disk-0\n"
                             "unused2: local:vm-100-disk-2\n"
                             "unusedx: local:vm-100-disk-0\n"
                             "\n[pve:pending]\nunused0: local:vm-100-disk-1\n"
                             "\n[sx]\nunused0: local:vm-100-disk-0\n";
    CHECK(canon(text) == "mp0: local:vm-100-disk-1,mp=/data\nmp1: /srv,mp=/srv\n"
                         "rootfs: local:vm-100-disk-0,size=8G\nunused2: local:vm-100-disk-2\n"
                         "\n[pve:pending]\nunused0: local:vm-100-disk-1\n"
                         "\n[sx]\nunused0: local:vm-100-disk-0\n");
    // A mount point that fails to parse (noerr) protects nothing.
    CHECK(canon("mp0: local:vm-100-disk-1\nunused0: local:vm-100-disk-1\n") ==
          "mp0: local:vm-100-disk-1\nunused0: local:vm-100-disk-1\n");
}

TEST_CASE("render: json carries Proxmox's trailing newlines and the strict error") {
    auto parsed = read("foo: bar\nlxc.cap.drop: x\n", 101);
    pct::Error strict;
    strict.message = "vm 101 - unable to parse value of 'foo' - unknown setting 'foo'";
    auto j = nlohmann::json::parse(pct::render::json(parsed, 101, strict));
    CHECK(j["vmid"] == "101");
    CHECK(j["warnings"][0] == strict.message + "\n");
    CHECK(j["strict_error"] == strict.message + "\n");
    CHECK(j["error"].is_null());
    CHECK(j["canon_is_fixpoint"] == "true");
    CHECK(j["conf"]["lxc"] ==
          nlohmann::json::array({nlohmann::json::array({"lxc.cap.drop", "x"})}));
    CHECK(j["conf"]["pending"] == nlohmann::json::object());
    CHECK(j["conf"]["digest"] == parsed.digest);

    parsed.config.main.options["hostname"] = "a\nb";
    auto broken = nlohmann::json::parse(pct::render::json(parsed, 101, std::nullopt));
    CHECK(broken["error"] == "detected invalid newline inside property 'hostname'\n");
    CHECK(broken["strict_error"].is_null());
}

namespace {

// The JSON as it was built before render::json wrote it directly: a nlohmann document
// dumped with 3 blanks and U+FFFD replacements. The reference for the streaming writer.
nlohmann::json section_dom(const pct::Section& s) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : s.options)
        out[key] = value;
    if (!s.description.empty())
        out["description"] = s.description;
    if (!s.lxc.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const pct::LxcEntry& e : s.lxc)
            list.push_back(nlohmann::json::array({e.key, e.value}));
        out["lxc"] = std::move(list);
    }
    return out;
}

std::string json_by_dom(const pct::parse::ParsedConfig& parsed, std::uint32_t vmid,
                        const std::optional<pct::Error>& strict_error) {
    using Json = nlohmann::json;
    const pct::ContainerConfig& cfg = parsed.config;
    Json conf = section_dom(cfg.main);
    if (!conf.contains("digest"))
        conf["digest"] = parsed.digest.str();
    conf["pending"] = section_dom(cfg.pending);
    Json snapshots = Json::object();
    for (const auto& [name, snap] : cfg.snapshots)
        snapshots[name] = section_dom(snap);
    conf["snapshots"] = std::move(snapshots);
    Json out = Json::object();
    out["conf"] = std::move(conf);
    out["vmid"] = std::to_string(vmid);
    Json warnings = Json::array();
    for (const pct::Diagnostic& d : parsed.warnings)
        warnings.push_back(d.message + "\n");
    out["warnings"] = std::move(warnings);
    out["strict_error"] = strict_error ? Json(strict_error->message + "\n") : Json(nullptr);
    auto canon = pct::render::config(cfg);
    if (!canon) {
        out["error"] = canon.error().message + "\n";
        out["canon_is_fixpoint"] = nullptr;
    } else {
        out["error"] = nullptr;
        pct::parse::ConfigOptions options;
        options.vmid = vmid;
        auto again = pct::parse::config(*canon, options);
        bool fixpoint = false;
        if (again) {
            auto canon2 = pct::render::config(again->config);
            fixpoint = canon2 && *canon2 == *canon;
        }
        out["canon_is_fixpoint"] = fixpoint ? "true" : "false";
    }
    return out.dump(3, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace

TEST_CASE("render: json writes byte for byte what the nlohmann document wrote") {
    // The writer streams the text (a document of a large config took several times its
    // size); the old document-based output is the reference, including U+FFFD replacements.
    std::vector<std::string> texts = {
        "",
        "memory: 512\n",
        "#caf\xc3\xa9 \xff\xfe x\n#%00%01%1F%7F\\\"q\narch: amd64\nhostname: a\xe2\x82\n"
        "lxc: x\npending: y\nsnapshots: z\ndigest: d\nzz\t: \x7f\x01\xed\xa0\x80v\xf4\x90\x80\x80\n"
        "lxc.cap.drop: a\xc0\xaf"
        "b\nlxc.environment.runtime: A=\xf0\x9f\x98\x80\n"
        "\n[pve:pending]\nmemory: 1\ndelete: swap\n\n[s\xff]\nsnapstate: prepare\n"
        "\n[empty]\n\n[e\xc3]\n#x\n",
        "hostname: a\n\n[pve:pending]\n",
    };
    for (const auto& entry : fs::directory_iterator(fs::path(PCT_TEST_DATA_DIR) / "config"))
        if (entry.path().extension() == ".conf")
            texts.push_back(slurp(entry.path()));
    for (const std::string& text : texts) {
        CAPTURE(text);
        auto parsed = pct::parse::config(text);
        REQUIRE(parsed);
        pct::Error strict;
        strict.message = "bad \x01 \xc3";
        CHECK(pct::render::json(*parsed, 101, std::nullopt) ==
              json_by_dom(*parsed, 101, std::nullopt));
        CHECK(pct::render::json(*parsed, 7, strict) == json_by_dom(*parsed, 7, strict));
        std::ostringstream streamed;
        pct::render::json(streamed, *parsed, 7, strict);
        CHECK(streamed.str() == json_by_dom(*parsed, 7, strict));
        parsed->config.main.options["hostname"] = "a\nb"; // the writer refuses this
        CHECK(pct::render::json(*parsed, 101, strict) == json_by_dom(*parsed, 101, strict));
    }
}

TEST_CASE("parse: an empty view (null data) is an empty config with the digest of no bytes") {
    // A default std::string_view holds nullptr: the reader must not hand it to memchr().
    auto parsed = pct::parse::config(std::string_view{});
    REQUIRE(parsed);
    CHECK(parsed->config == pct::ContainerConfig{});
    CHECK(parsed->warnings.empty());
    CHECK(parsed->digest == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(*pct::render::config(parsed->config) == "");
}
