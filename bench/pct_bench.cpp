// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-bench: in-process throughput of config parse + canonical write, on one core.
//
//   pct-bench config SECONDS FILE...   parse + render::config of FILEs, repeated for SECONDS
//   pct-bench floor SECONDS FILE...    the floor: only splitting the same bytes into lines
//   pct-bench parse SECONDS FILE...    parse::config alone (digest included), for a breakdown
//   pct-bench render SECONDS FILE...   render::config alone, of the FILEs parsed once before
//   pct-bench corpus DIR N             writes N realistic configs DIR/<100+i>.conf
//   pct-bench check-type SECONDS       ns per parse::check_type call (simple keys, property
//                                      strings) beside copying the same values
//
// config, floor, parse and render print one line (wall-clock figures; cpu_seconds and mb_per_cpu_s
// are the process's CPU time, which shows how much of the wall time a shared machine took away):
//   configs N bytes B seconds S configs_per_s C mb_per_s M cpu_seconds T mb_per_cpu_s U
// check-type prints one line per group:
//   check-type GROUP ns_per_call N baseline_ns_per_call B
#include "corpus.hpp"

#include <pct/parse/config.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/config.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Input {
    std::string text;
    std::uint32_t vmid;
};

bool read_inputs(int argc, char** argv, std::vector<Input>& inputs) {
    for (int i = 3; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "pct-bench: cannot read %s\n", argv[i]);
            return false;
        }
        std::ostringstream buffer;
        buffer << in.rdbuf();
        inputs.push_back({buffer.str(), pct::parse::vmid_from_path(argv[i])});
    }
    return !inputs.empty();
}

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Volatile sink so the optimizer cannot drop the work being measured.
volatile std::size_t g_sink = 0;

std::size_t parse_and_write(const Input& input) {
    pct::parse::ConfigOptions options;
    options.vmid = input.vmid;
    auto parsed = pct::parse::config(input.text, options);
    if (!parsed)
        return 0;
    auto text = pct::render::config(parsed->config);
    return text ? text->size() : 0;
}

std::size_t parse_only(const Input& input) {
    pct::parse::ConfigOptions options;
    options.vmid = input.vmid;
    auto parsed = pct::parse::config(input.text, options);
    return parsed ? parsed->config.main.options.size() : 0;
}

std::size_t split_lines(const Input& input) {
    std::size_t lines = 0;
    std::string_view rest = input.text;
    while (!rest.empty()) {
        auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        lines += line.size() > 0;
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    }
    return lines;
}

template <class Work> int run(double seconds, const std::vector<Input>& inputs, Work work) {
    std::uint64_t configs = 0;
    std::uint64_t bytes = 0;
    double cpu_start = cpu_seconds();
    auto start = Clock::now();
    auto deadline = start + std::chrono::duration<double>(seconds);
    auto now = start;
    do {
        // Check the clock once per pass over the inputs, not per config.
        for (const auto& input : inputs) {
            g_sink = g_sink + work(input);
            bytes += input.text.size();
        }
        configs += inputs.size();
        now = Clock::now();
    } while (now < deadline);
    double elapsed = std::chrono::duration<double>(now - start).count();
    double cpu = cpu_seconds() - cpu_start;
    std::printf("configs %llu bytes %llu seconds %.3f configs_per_s %.0f mb_per_s %.1f "
                "cpu_seconds %.3f mb_per_cpu_s %.1f\n",
                static_cast<unsigned long long>(configs), static_cast<unsigned long long>(bytes),
                elapsed, static_cast<double>(configs) / elapsed,
                static_cast<double>(bytes) / elapsed / 1e6, cpu,
                static_cast<double>(bytes) / cpu / 1e6);
    return 0;
}

int usage() {
    std::fputs("usage: pct-bench config|floor|parse|render SECONDS FILE...\n"
               "       pct-bench corpus DIR N\n"
               "       pct-bench check-type SECONDS\n",
               stderr);
    return 2;
}

struct KeyValue {
    std::string_view key;
    std::string_view value;
};

// Lines as the reader hands them to check_type: scalar keys, and property strings.
constexpr KeyValue k_simple[] = {
    {"memory", "2048"}, {"onboot", "1"}, {"hostname", "ct-web-01"}, {"cpulimit", "1.5"},
    {"arch", "amd64"},  {"cores", "4"},  {"ostype", "debian"},      {"swap", "512"},
};
constexpr KeyValue k_property[] = {
    {"net0", "name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:2E:5A:01,ip=192.168.1.10/24,"
             "gw=192.168.1.1,type=veth"},
    {"rootfs", "local-lvm:vm-100-disk-0,size=8G"},
    {"mp0", "local-lvm:vm-100-disk-1,mp=/srv/data,backup=1,size=32G"},
    {"features", "nesting=1,keyctl=1"},
};

// ns per call of `work` over `lines`, for about `seconds`.
template <class Work>
double time_calls(double seconds, std::span<const KeyValue> lines, Work work) {
    std::uint64_t calls = 0;
    auto start = Clock::now();
    auto deadline = start + std::chrono::duration<double>(seconds);
    auto now = start;
    do {
        for (int round = 0; round < 1000; ++round)
            for (const auto& line : lines)
                g_sink = g_sink + work(line);
        calls += 1000 * lines.size();
        now = Clock::now();
    } while (now < deadline);
    return std::chrono::duration<double, std::nano>(now - start).count() /
           static_cast<double>(calls);
}

int check_type_bench(double seconds) {
    // The baseline is the least check_type must do: return the stored value as a string.
    auto checked = [](const KeyValue& line) -> std::size_t {
        auto value = pct::parse::check_type(line.key, line.value);
        return value ? value->size() : 0;
    };
    auto copied = [](const KeyValue& line) -> std::size_t {
        std::string value(line.value);
        return value.size();
    };
    struct Group {
        const char* name;
        std::span<const KeyValue> lines;
    };
    for (const Group& group : {Group{"simple", k_simple}, Group{"property", k_property}}) {
        for (const auto& line : group.lines) {
            if (!pct::parse::check_type(line.key, line.value)) {
                std::fprintf(stderr, "pct-bench: check_type refuses %.*s\n",
                             static_cast<int>(line.key.size()), line.key.data());
                return 1;
            }
        }
        double ns = time_calls(seconds / 4, group.lines, checked);
        double base = time_calls(seconds / 4, group.lines, copied);
        std::printf("check-type %s ns_per_call %.1f baseline_ns_per_call %.1f\n", group.name, ns,
                    base);
    }
    return 0;
}

int write_corpus(const char* dir, int count) {
    for (int i = 0; i < count; ++i) {
        std::string path = std::string(dir) + "/" + std::to_string(100 + i) + ".conf";
        std::ofstream out(path, std::ios::binary);
        out << pct::bench::realistic_config(static_cast<std::uint32_t>(i));
        if (!out) {
            std::fprintf(stderr, "pct-bench: cannot write %s\n", path.c_str());
            return 1;
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3)
        return usage();
    std::string_view mode = argv[1];
    if (mode == "corpus")
        return argc < 4 ? usage() : write_corpus(argv[2], std::atoi(argv[3]));
    char* end = nullptr;
    double seconds = std::strtod(argv[2], &end);
    if (end == argv[2] || seconds <= 0)
        return usage();
    if (mode == "check-type")
        return check_type_bench(seconds);
    if (argc < 4)
        return usage();
    std::vector<Input> inputs;
    if (!read_inputs(argc, argv, inputs))
        return 2;
    if (mode == "config")
        return run(seconds, inputs, parse_and_write);
    if (mode == "floor")
        return run(seconds, inputs, split_lines);
    if (mode == "parse")
        return run(seconds, inputs, parse_only);
    if (mode == "render") {
        std::vector<pct::parse::ParsedConfig> parsed;
        for (const auto& input : inputs) {
            pct::parse::ConfigOptions options;
            options.vmid = input.vmid;
            auto config = pct::parse::config(input.text, options);
            if (!config) {
                std::fprintf(stderr, "pct-bench: %s\n", config.error().message.c_str());
                return 2;
            }
            parsed.push_back(std::move(*config));
        }
        std::size_t next = 0;
        return run(seconds, inputs, [&](const Input&) {
            auto text = pct::render::config(parsed[next++ % parsed.size()].config);
            return text ? text->size() : 0;
        });
    }
    return usage();
}
