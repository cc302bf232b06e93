// SPDX-License-Identifier: AGPL-3.0-or-later
// Guards against quadratic parsing (issue 8 item 6) and unbounded reads (item 7). Times are
// CPU time of this thread, so a loaded machine moves them little; each bound compares with
// the same work in sorted order measured in the same run, which also holds under ASan or in
// a Debug build, and optimized builds without sanitizers also get the absolute bound.
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <pct/model/option_map.hpp>
#include <pct/parse/config.hpp>
#include <pct/storage/atomic_file.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace {

#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
constexpr bool optimized_build = true;
#else
constexpr bool optimized_build = false;
#endif

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// `count` unknown keys (each kept, each with a warning), in order or reversed.
std::string many_keys(int count, bool reversed) {
    std::string text;
    text.reserve(static_cast<std::size_t>(count) * 18);
    char line[32];
    for (int i = 0; i < count; ++i) {
        int n = reversed ? count - 1 - i : i;
        int len = std::snprintf(line, sizeof line, "x%07d: %d\n", n, n);
        text.append(line, static_cast<std::size_t>(len));
    }
    return text;
}

} // namespace

TEST_CASE("parse: 10^6 keys in reverse order take about as long as in order") {
    // Before: each key out of order was inserted into the section's sorted vector, O(n^2):
    // 3.4 s for 40 000 keys, over half an hour for 10^6.
    constexpr int count = 1000000;
    std::string sorted = many_keys(count, false);
    std::string reversed = many_keys(count, true);
    double t0 = thread_cpu_seconds();
    auto a = pct::parse::config(sorted);
    double t1 = thread_cpu_seconds();
    auto b = pct::parse::config(reversed);
    double t2 = thread_cpu_seconds();
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->config.main.options.size() == count);
    CHECK(a->config == b->config);
    CHECK(b->warnings.size() == count);
    double in_order = t1 - t0;
    double out_of_order = t2 - t1;
    MESSAGE("10^6 keys, CPU seconds: in order " << in_order << ", reversed " << out_of_order);
    // n log n against n: a sort of 10^6 short keys costs a fraction of reading them.
    CHECK(out_of_order < 3 * in_order + 0.5);
    if (optimized_build)
        CHECK(out_of_order < 2.0);
}

TEST_CASE("parse: keys out of order with repeats keep the last value of each") {
    auto parsed = pct::parse::config("memory: 1\nswap: 2\ncores: 3\nmemory: 4\narch: amd64\n"
                                     "cores: 5\nlxc.environment.runtime: A=1\nzz: 6\nenv: B=2\n"
                                     "memory: 7\n\n[snap]\nswap: 1\nmemory: 2\nswap: 3\n");
    REQUIRE(parsed);
    const auto& main = parsed->config.main.options;
    CHECK(main == pct::OptionMap{{"arch", "amd64"},
                                 {"cores", "5"},
                                 {"env", "B=2"},
                                 {"memory", "7"},
                                 {"swap", "2"},
                                 {"zz", "6"}});
    CHECK(parsed->config.snapshots.at("snap").options ==
          pct::OptionMap{{"memory", "2"}, {"swap", "3"}});

    // Far from their place (more than 16 entries back), keys are sorted at the section end:
    // the same values, the later of two equal keys winning, in every section.
    std::string section;
    pct::OptionMap expected;
    for (int i = 10; i < 40; ++i) {
        std::string key = "k" + std::to_string(i);
        section += key + ": " + std::to_string(i) + "\n";
        expected[key] = std::to_string(i);
    }
    section += "a1: x\nk20: y\na1: z\nk39: last\nk10: first\nlxc.environment.runtime: E=1\n";
    expected["a1"] = "z";
    expected["k20"] = "y";
    expected["k39"] = "last";
    expected["k10"] = "first";
    expected["env"] = "E=1";
    auto far = pct::parse::config(section + "\n[pve:pending]\n" + section + "\n[snap]\n" + section);
    REQUIRE(far);
    CHECK(far->config.main.options == expected);
    CHECK(far->config.pending.options == expected);
    CHECK(far->config.snapshots.at("snap").options == expected);
}

TEST_CASE("parse: 20000 snapshot sections with bad values read in linear time") {
    auto sections = [](int count) {
        std::string text = "arch: amd64\nhostname: a\n";
        for (int i = 0; i < count; ++i)
            text += "\n[s" + std::to_string(i) + "]\nmemory: abc\ncores: 9999\n";
        return text;
    };
    std::string small = sections(2000);
    std::string large = sections(20000);
    double t0 = thread_cpu_seconds();
    auto a = pct::parse::config(small);
    double t1 = thread_cpu_seconds();
    auto b = pct::parse::config(large);
    double t2 = thread_cpu_seconds();
    REQUIRE(a);
    REQUIRE(b);
    CHECK(b->config.snapshots.size() == 20000);
    CHECK(b->warnings.size() == 20000);
    CHECK(b->warnings.back().line == 5 + 4 * 19999);
    CHECK(b->warnings.back().section == "s19999");
    // Ten times the input: about ten times the work (n log n), never a hundred.
    CHECK(t2 - t1 < 30 * (t1 - t0) + 0.5);
}

TEST_CASE("storage: read_file refuses devices FIFOs directories and files above the cap") {
    // Before: /dev/zero was read until memory ran out, and a FIFO blocked the caller.
    pct::test::TempDir dir;
    auto zero = pct::storage::read_file("/dev/zero");
    REQUIRE_FALSE(zero);
    CHECK(zero.error().code == pct::Errc::invalid_argument);
    CHECK(zero.error().message == "file '/dev/zero' is not a regular file (a character device)");
    CHECK(zero.error().context == "/dev/zero");

    const std::string fifo = dir.sub("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto f = pct::storage::read_file(fifo);
    REQUIRE_FALSE(f);
    CHECK(f.error().code == pct::Errc::invalid_argument);
    CHECK(f.error().message == "file '" + fifo + "' is not a regular file (a FIFO)");

    auto d = pct::storage::read_file(dir.path());
    REQUIRE_FALSE(d);
    CHECK(d.error().code == pct::Errc::invalid_argument);
    CHECK(d.error().message == "file '" + dir.path() + "' is not a regular file (a directory)");

    const std::string big = dir.sub("big.conf");
    std::ofstream(big) << "memory: 512\n";
    fs::resize_file(big, pct::storage::max_file_size);
    auto at_cap = pct::storage::read_file(big);
    REQUIRE(at_cap);
    CHECK(at_cap->size() == pct::storage::max_file_size);
    fs::resize_file(big, pct::storage::max_file_size + 1);
    auto above = pct::storage::read_file(big);
    REQUIRE_FALSE(above);
    CHECK(above.error().code == pct::Errc::invalid_argument);
    CHECK(above.error().message ==
          "file '" + big + "' is too large (67108865 bytes; the limit is 64 MiB)");
    CHECK(above.error().context == big);

    mode_t mode = 0;
    ::chmod(big.c_str(), 0604);
    fs::resize_file(big, 12);
    auto small = pct::storage::read_file(big, &mode);
    REQUIRE(small);
    CHECK(*small == "memory: 512\n");
    CHECK(mode == 0604);
    auto absent = pct::storage::read_file(dir.sub("nope"));
    REQUIRE_FALSE(absent);
    CHECK(absent.error().code == pct::Errc::not_found);
}

TEST_CASE("parse: a NUL byte is refused in both modes naming its offset line and key") {
    std::string text("memory: 512\nhostname: a\0b\n", 26);
    for (bool strict : {false, true}) {
        CAPTURE(strict);
        pct::parse::ConfigOptions options;
        options.strict = strict;
        options.file = "/etc/pve/lxc/101.conf";
        auto parsed = pct::parse::config(text, options);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == pct::Errc::parse);
        CHECK(parsed.error().message == "binary data: NUL byte at byte offset 23 (line 2)");
        CHECK(parsed.error().line == 2);
        CHECK(parsed.error().column == 12);
        CHECK(parsed.error().key == "hostname");
        CHECK(parsed.error().context == "/etc/pve/lxc/101.conf");
    }
    auto first_line = pct::parse::check_bytes(std::string_view("\0", 1));
    REQUIRE_FALSE(first_line);
    CHECK(first_line.error().message == "binary data: NUL byte at byte offset 0 (line 1)");
    CHECK(first_line.error().key.empty());
    CHECK(pct::parse::check_bytes("memory: 512\n"));
    CHECK(pct::parse::check_bytes(""));
}

TEST_CASE("model: OptionMap built from 10^5 pairs in reverse order is sorted once, first wins") {
    // Before: the range constructor inserted each pair in place, O(n^2) in reverse order.
    constexpr int count = 100000;
    std::vector<std::pair<std::string, std::string>> pairs;
    for (int i = count - 1; i >= 0; --i)
        pairs.emplace_back("k" + std::to_string(1000000 + i), std::to_string(i));
    pairs.emplace_back("k1000007", "repeat"); // as std::map: the first one wins
    double t0 = thread_cpu_seconds();
    pct::OptionMap map(pairs.begin(), pairs.end());
    double t1 = thread_cpu_seconds();
    CHECK(map.size() == count);
    CHECK(map.at("k1000007") == "7");
    CHECK(map.begin()->first == "k1000000");
    CHECK(std::is_sorted(map.begin(), map.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; }));
    if (optimized_build)
        CHECK(t1 - t0 < 1.0);
    pct::OptionMap small{{"b", "1"}, {"a", "2"}, {"b", "3"}};
    CHECK(small == pct::OptionMap::from_entries({{"a", "2"}, {"b", "1"}}));
}
