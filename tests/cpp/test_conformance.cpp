// SPDX-License-Identifier: AGPL-3.0-or-later
// Every input of Proxmox's conformance corpus: our canonical text must equal Proxmox's
// byte for byte, and our parsed JSON (values, warnings, strict error) must equal Proxmox's.
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

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<fs::path> inputs(const fs::path& root) {
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file())
            found.push_back(fs::relative(entry.path(), root));
    std::sort(found.begin(), found.end());
    return found;
}

} // namespace

TEST_CASE("conformance: Proxmox's canonical text and parsed JSON for every corpus input") {
    const fs::path corpus = PCT_CONFORMANCE_DIR;
    const fs::path pve = corpus / "pve-tests";
    if (!fs::is_directory(pve)) {
        MESSAGE("conformance corpus not found at " << pve.string() << ": suite skipped");
        return;
    }
    const fs::path expected_root = corpus / "expected" / "pve-tests";
    std::vector<fs::path> files = inputs(pve);
    REQUIRE(!files.empty());

    int canon_ok = 0;
    int json_ok = 0;
    for (const fs::path& rel : files) {
        CAPTURE(rel.string());
        const std::string text = slurp(pve / rel);
        const fs::path expected = expected_root / rel;
        REQUIRE(fs::exists(expected.string() + ".canon"));
        REQUIRE(fs::exists(expected.string() + ".json"));

        pct::parse::ConfigOptions options;
        options.vmid = pct::parse::vmid_from_path(rel.string());
        auto parsed = pct::parse::config(text, options);
        REQUIRE(parsed);

        auto canon = pct::render::config(parsed->config);
        REQUIRE(canon);
        bool same_canon = *canon == slurp(expected.string() + ".canon");
        CHECK(same_canon);
        canon_ok += same_canon;

        options.strict = true;
        auto strict = pct::parse::config(text, options);
        std::optional<pct::Error> strict_error;
        if (!strict)
            strict_error = strict.error();
        auto ours = nlohmann::json::parse(pct::render::json(*parsed, options.vmid, strict_error));
        auto theirs = nlohmann::json::parse(slurp(expected.string() + ".json"));
        bool same_json = ours == theirs;
        if (!same_json)
            CHECK_MESSAGE(same_json, "ours: " << ours.dump() << "\ntheirs: " << theirs.dump());
        json_ok += same_json;
    }
    MESSAGE("conformance: canonical " << canon_ok << "/" << files.size() << ", JSON " << json_ok
                                      << "/" << files.size());
    CHECK(canon_ok == static_cast<int>(files.size()));
    CHECK(json_ok == static_cast<int>(files.size()));
}
