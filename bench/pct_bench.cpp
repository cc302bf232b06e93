// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-bench: in-process throughput of config parse + canonical write, on one core.
//
//   pct-bench config SECONDS FILE...   parse + render::config of FILEs, repeated for SECONDS
//   pct-bench floor SECONDS FILE...    the floor: only splitting the same bytes into lines
//   pct-bench corpus DIR N             writes N realistic configs DIR/<100+i>.conf
//
// config and floor print one line:
//   configs N bytes B seconds S configs_per_s C mb_per_s M
#include "corpus.hpp"

#include <pct/parse/config.hpp>
#include <pct/render/config.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
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
    std::printf("configs %llu bytes %llu seconds %.3f configs_per_s %.0f mb_per_s %.1f\n",
                static_cast<unsigned long long>(configs), static_cast<unsigned long long>(bytes),
                elapsed, static_cast<double>(configs) / elapsed,
                static_cast<double>(bytes) / elapsed / 1e6);
    return 0;
}

int usage() {
    std::fputs("usage: pct-bench config|floor SECONDS FILE...\n"
               "       pct-bench corpus DIR N\n",
               stderr);
    return 2;
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
    if (argc < 4)
        return usage();
    std::string_view mode = argv[1];
    if (mode == "corpus")
        return write_corpus(argv[2], std::atoi(argv[3]));
    char* end = nullptr;
    double seconds = std::strtod(argv[2], &end);
    if (end == argv[2] || seconds <= 0)
        return usage();
    std::vector<Input> inputs;
    if (!read_inputs(argc, argv, inputs))
        return 2;
    if (mode == "config")
        return run(seconds, inputs, parse_and_write);
    if (mode == "floor")
        return run(seconds, inputs, split_lines);
    return usage();
}
