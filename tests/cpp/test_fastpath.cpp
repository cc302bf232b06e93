// SPDX-License-Identifier: AGPL-3.0-or-later
// The fast paths of the config core against plain references: the byte helpers (SSE2,
// word-wide and tail code), pct::OptionMap against std::map, the allocation-free property
// string check against the full engine, and the reader/writer shortcuts (sections built in
// one vector, env accumulation, newline verification by count) on the cases they shortcut.
#include "pct/internal/bytes.hpp"
#include "pct/internal/compiled_schema.hpp"
#include "pct/internal/properties.hpp"

#include <pct/model/config.hpp>
#include <pct/model/schema.hpp>
#include <pct/parse/config.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/config.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace std::string_literals;
namespace parse = pct::parse;
namespace render = pct::render;

namespace {

// Random bytes over a small alphabet, so that the searched bytes are frequent.
std::string random_text(std::mt19937& rng, std::size_t size, std::string_view alphabet) {
    std::string s(size, ' ');
    for (auto& c : s)
        c = alphabet[rng() % alphabet.size()];
    return s;
}

} // namespace

TEST_CASE("fastpath: byte helpers agree with plain loops") {
    std::mt19937 rng(1234);
    const std::string alphabet = "ab,=\n\r\0\x80\xff "s;
    for (int round = 0; round < 20000; ++round) {
        std::string buffer = random_text(rng, rng() % 80, alphabet);
        std::size_t start = buffer.empty() ? 0 : rng() % (buffer.size() + 1);
        std::string_view s = std::string_view(buffer).substr(start);
        char c = alphabet[rng() % alphabet.size()];
        char d = alphabet[rng() % alphabet.size()];
        const char* end = s.data() + s.size();

        auto first_c = std::find(s.begin(), s.end(), c);
        CHECK(pct::detail::find_byte(s.data(), end, c) - s.data() == first_c - s.begin());
        auto first_cd = std::find_if(s.begin(), s.end(), [&](char x) { return x == c || x == d; });
        CHECK(pct::detail::has_either_byte(s, c, d) == (first_cd != s.end()));
        CHECK(pct::detail::has_byte(s, c) == (first_c != s.end()));
        CHECK(pct::detail::count_byte(s, c) ==
              static_cast<std::size_t>(std::count(s.begin(), s.end(), c)));

        std::string other(s);
        if (!other.empty() && rng() % 2)
            other[rng() % other.size()] ^= 1;
        CHECK(pct::detail::same_bytes(s, other) == (s == other));
        CHECK(pct::detail::has_prefix(s, other.substr(0, other.size() / 2)) ==
              s.starts_with(other.substr(0, other.size() / 2)));
        CHECK(pct::detail::has_suffix(s, other.substr(other.size() / 2)) ==
              s.ends_with(other.substr(other.size() / 2)));

        std::string copy;
        pct::detail::assign_bytes(copy, s);
        CHECK(copy == s);
        std::string target(s.size(), '?');
        pct::detail::copy_bytes(target.data(), s.data(), s.size());
        CHECK(target == s);
    }
}

TEST_CASE("fastpath: encode_text and has_high_byte agree with per-byte references") {
    auto reference = [](std::string_view text) {
        static constexpr char hex[] = "0123456789ABCDEF";
        std::string out;
        for (char ch : text) {
            auto c = static_cast<unsigned char>(ch);
            if (c < 0x20 || c > 0x7e || c == '%' || c == ':') {
                out += '%';
                out += hex[c >> 4];
                out += hex[c & 0xf];
            } else {
                out += ch;
            }
        }
        return out;
    };
    std::string all;
    for (int c = 0; c < 256; ++c)
        all += static_cast<char>(c);
    CHECK(render::encode_text(all) == reference(all));
    std::mt19937 rng(5);
    for (int round = 0; round < 5000; ++round) {
        std::string text = random_text(rng, rng() % 70, "abc %:\x7f\x1f\x80\xe9~ "s);
        CHECK(render::encode_text(text) == reference(text));
        CHECK(pct::detail::has_high_byte(text) == std::any_of(text.begin(), text.end(), [](char c) {
                  return static_cast<unsigned char>(c) >= 0x80;
              }));
    }
}

TEST_CASE("fastpath: OptionMap behaves as std::map") {
    using Map = std::map<std::string, std::string, std::less<>>;
    std::mt19937 rng(99);
    const std::vector<std::string> keys = {"arch", "cores", "env",      "memory", "mp0",
                                           "mp10", "mp2",   "net0",     "net1",   "rootfs",
                                           "swap", "z",     "\xff\x01", "",       "a"};
    for (int round = 0; round < 2000; ++round) {
        pct::OptionMap fast;
        Map ref;
        for (int op = 0; op < 40; ++op) {
            const std::string& k = keys[rng() % keys.size()];
            std::string v = std::to_string(rng() % 100);
            switch (rng() % 7) {
            case 0:
                CHECK(fast.emplace(k, v).second == ref.emplace(k, v).second);
                break;
            case 1:
                CHECK(fast.insert_or_assign(k, v).second == ref.insert_or_assign(k, v).second);
                break;
            case 2:
                fast[k] = v, ref[k] = v;
                break;
            case 3:
                CHECK(fast.erase(k) == ref.erase(k));
                break;
            case 4:
                CHECK(fast.try_emplace(k, v).second == ref.try_emplace(k, v).second);
                break;
            case 5: {
                auto it = fast.lower_bound(k);
                auto rit = ref.lower_bound(k);
                CHECK((it == fast.end()) == (rit == ref.end()));
                if (it != fast.end() && rit != ref.end())
                    CHECK(it->first == rit->first);
                break;
            }
            default:
                CHECK(fast.contains(k) == ref.contains(k));
                CHECK(fast.count(k) == ref.count(k));
            }
        }
        CHECK(fast == ref);
        CHECK(ref == fast);
        CHECK(std::equal(fast.begin(), fast.end(), ref.begin(), ref.end(),
                         [](const auto& a, const auto& b) {
                             return a.first == b.first && a.second == b.second;
                         }));
        for (const auto& [k, v] : ref)
            CHECK(fast.at(k) == v);
    }
    CHECK_THROWS_AS((void)pct::OptionMap{}.at("x"), std::out_of_range);

    // Initializer lists keep the first of repeated keys (std::map), entries the last.
    pct::OptionMap init = {{"b", "1"}, {"a", "2"}, {"b", "3"}};
    CHECK(init == Map{{"a", "2"}, {"b", "1"}});
    auto built = pct::OptionMap::from_entries({{"b", "1"}, {"a", "2"}, {"b", "3"}});
    CHECK(built == Map{{"a", "2"}, {"b", "3"}});

    // from_entries with many keys in reverse order with repeats.
    pct::OptionMap::container_type entries;
    Map expected;
    for (int i = 300; i > 0; --i) {
        std::string k = "k" + std::to_string(i % 150);
        entries.emplace_back(k, std::to_string(i));
        expected[k] = std::to_string(i);
    }
    CHECK(pct::OptionMap::from_entries(entries) == expected);

    // ... and in random orders, small and large: each key keeps its last entry.
    std::mt19937 order_rng(7);
    for (std::size_t n : {2U, 5U, 17U, 64U, 65U, 500U}) {
        pct::OptionMap::container_type shuffled;
        Map last;
        for (std::size_t i = 0; i < n; ++i) {
            std::string k = "k" + std::to_string(order_rng() % (n / 2 + 1));
            shuffled.emplace_back(k, std::to_string(i));
            last[k] = std::to_string(i);
        }
        auto map = pct::OptionMap::from_entries(std::move(shuffled));
        CHECK(map == last);
        CHECK(std::is_sorted(map.begin(), map.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; }));
    }
}

TEST_CASE("fastpath: property strings, the stack check agrees with the full engine") {
    // Values that pass or fail each sub-key's rules, joined in random orders and forms
    // (repeats, default-key values, blanks, missing keys or values).
    const std::vector<std::string> values = {"1",
                                             "0",
                                             "yes",
                                             "off",
                                             "eth0",
                                             "vmbr0",
                                             "10.0.0.1",
                                             "10.0.0.1/24",
                                             "dhcp",
                                             "fe80::1",
                                             "fe80::1/64",
                                             "BC:24:11:00:00:01",
                                             "01:00:00:00:00:00",
                                             "veth",
                                             "local:8",
                                             "local-lvm:vm-100-disk-0",
                                             "/srv/x",
                                             "/a/../b",
                                             "8G",
                                             "1.5T",
                                             "x",
                                             "",
                                             "1;2;3",
                                             "noatime",
                                             "u:0:100000:65536",
                                             "0666",
                                             "/dev/null",
                                             "-1",
                                             "65535",
                                             "4094",
                                             "nfs;cifs",
                                             "order=1",
                                             "9999999999999999999999"};
    // Half the inputs start from a valid string of the family and get up to two changes.
    const std::map<std::string, std::string> valid = {
        {"net0", "name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:00:00:01,ip=10.0.0.1/24,"
                 "gw=10.0.0.1,type=veth"},
        {"mp0", "local:8,mp=/srv/x,backup=1,size=8G"},
        {"rootfs", "local-lvm:vm-100-disk-0,size=8G"},
        {"dev0", "/dev/null,mode=0666,uid=0"},
        {"unused0", "local:8"},
        {"features", "nesting=1,keyctl=1"},
    };
    std::mt19937 rng(7);
    for (const auto& [family, example] : valid) {
        const pct::schema::KeyInfo* info = pct::schema::find(family);
        REQUIRE(info);
        REQUIRE(parse::detail::parse_property_string(info->sub_keys, example));
        const parse::detail::KeyCheck* compiled = parse::detail::key_check(family);
        REQUIRE(compiled);
        REQUIRE(compiled->property);
        std::vector<std::string_view> names;
        for (const auto& k : info->sub_keys)
            names.push_back(k.name);
        names.push_back("bogus");
        auto random_part = [&] {
            switch (rng() % 8) {
            case 0:
                return values[rng() % values.size()]; // default key
            case 1:
                return std::string(rng() % 2 ? " " : "");
            case 2:
                return "=" + values[rng() % values.size()];
            default:
                return std::string(names[rng() % names.size()]) + "=" +
                       values[rng() % values.size()];
            }
        };
        int accepted = 0;
        for (int round = 0; round < 20000; ++round) {
            std::string text;
            if (rng() % 2) {
                text = example;
                for (int change = 0, n = static_cast<int>(rng() % 3); change < n; ++change) {
                    auto comma = text.find(',', rng() % (text.size() + 1));
                    if (rng() % 2)
                        text += "," + random_part();
                    else if (comma != std::string::npos)
                        text = text.substr(0, comma + 1) + random_part() + text.substr(comma);
                }
            } else {
                for (int part = 0, n = 1 + static_cast<int>(rng() % 6); part < n; ++part)
                    text += (part ? "," : "") + random_part();
            }
            bool fast = compiled->property->valid(text);
            bool full = parse::detail::parse_property_string(info->sub_keys, text).has_value();
            INFO(family << ": " << text);
            CHECK(fast == full);
            accepted += full;
        }
        // Both outcomes are exercised.
        MESSAGE(family << ": " << accepted << " of 20000 accepted");
        CHECK(accepted > 2000);
        CHECK(accepted < 18000);
    }
}

TEST_CASE("fastpath: the reader's section building keeps Proxmox's override order") {
    SUBCASE("a repeated key: the later line wins, wherever it is") {
        auto p = parse::config("memory: 1\ncores: 2\nswap: 0\nmemory: 3\narch: amd64\n");
        REQUIRE(p);
        CHECK(p->config.main.options ==
              std::map<std::string, std::string>{
                  {"arch", "amd64"}, {"cores", "2"}, {"memory", "3"}, {"swap", "0"}});
    }
    SUBCASE("env: `env:` replaces, lxc.environment.runtime appends") {
        auto p = parse::config("env: A=1\nlxc.environment.runtime: B=2\n\n[s1]\n"
                               "lxc.environment.runtime: C=3\nenv: D=4\n\n[s2]\n"
                               "lxc.environment.runtime: E=5\nlxc.environment.runtime: F=6\n");
        REQUIRE(p);
        CHECK(p->config.main.options.at("env") == "A=1\0B=2"s);
        CHECK(p->config.snapshots.at("s1").options.at("env") == "D=4");
        CHECK(p->config.snapshots.at("s2").options.at("env") == "E=5\0F=6"s);
    }
    SUBCASE("a repeated snapshot section starts over") {
        auto p = parse::config("[snap]\nmemory: 1\ncores: 1\n\n[snap]\nswap: 2\n");
        REQUIRE(p);
        CHECK(p->config.snapshots.at("snap").options ==
              std::map<std::string, std::string>{{"swap", "2"}});
    }
    SUBCASE("many keys out of order") {
        std::string text;
        std::map<std::string, std::string> expected;
        for (int i = 200; i > 0; --i) {
            std::string key = "unknown" + std::string(1, static_cast<char>('a' + i % 26)) +
                              std::to_string(i % 90);
            text += key + ": v" + std::to_string(i) + "\n";
            expected[key] = "v" + std::to_string(i);
        }
        auto p = parse::config(text);
        REQUIRE(p);
        CHECK(p->config.main.options == expected);
    }
    SUBCASE("values with CR still go through the line-feed check") {
        auto p = parse::config("hostname: a\rb\nmemory: 512\r\n");
        REQUIRE(p);
        REQUIRE(p->warnings.size() == 1);
        CHECK(p->warnings[0].message ==
              "vm 100 - unable to parse value of 'hostname' - property contains a line feed");
        CHECK(p->config.main.options.at("memory") == "512");
    }
}

TEST_CASE("fastpath: the writer reports newlines as the checked path does") {
    pct::ContainerConfig c;
    c.main.options = {{"memory", "512"}, {"hostname", "a\nb"}};
    c.snapshots["1bad"].options = {{"memory", "1"}};
    // The newline of the main section comes before the bad snapshot name.
    auto r = render::config(c);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "detected invalid newline inside property 'hostname'");

    c.main.options = {{"memory", "512"}};
    r = render::config(c);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "invalid snapshot name '1bad'");

    c.snapshots.clear();
    c.main.options = {{"env", "A=1\nB=2"}};
    r = render::config(c);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "detected invalid newline inside property 'env'");

    c.main.options.clear();
    c.main.lxc = {{"lxc.init.cmd", "/sbin/init\nx"}};
    r = render::config(c);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "detected invalid newline inside property 'lxc.init.cmd'");

    c.main.lxc.clear();
    c.main.options = {{"key\nx", "1"}};
    r = render::config(c);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "detected invalid newline inside a key name");

    // Descriptions are escaped, so their newlines are fine.
    c.main.options = {{"memory", "512"}};
    c.main.description = "two\nlines\n";
    r = render::config(c);
    REQUIRE(r);
    CHECK(*r == "#two\n#lines\nmemory: 512\n");
}

TEST_CASE("fastpath: the reader's digest equals OpenSSL's SHA-1 of the text") {
    // Every size around the block edges, lines short and long, CRs and bytes >= 0x80.
    std::mt19937 rng(20261128);
    const std::string alphabet = "abc: =,\n\n\n#[]\r\x80\xff"
                                 "0123456789";
    for (std::size_t size = 0; size <= 300; ++size) {
        for (int round = 0; round < 6; ++round) {
            std::string text = random_text(rng, size, alphabet);
            auto parsed = parse::config(text);
            REQUIRE(parsed);
            CHECK_MESSAGE(parsed->digest == parse::sha1_hex(text), "size ", size);
        }
    }
    // A realistic file, and one long line.
    std::string config = "arch: amd64\nhostname: ct\nmemory: 512\n" + std::string(1000, '#') + "\n";
    CHECK(parse::config(config)->digest == parse::sha1_hex(config));
}
