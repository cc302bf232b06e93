// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-capi-bench: the cost of one config parse + canonical write through the C ABI
// (libpct.so: pct_config_parse + pct_config_write + frees) against the direct C++ calls
// (pct::parse::config + pct::render::config), in the same process, on one typical config.
// Rounds alternate the two sides; the medians are reported.
//
//   pct-capi-bench [--rounds N] [--round-ms MS] [--print-config] [--only cxx|c N] [FILE]
//
// prints: cxx_ns N c_ns N ratio R rounds N bytes N
// `--only SIDE N` runs one side N times and prints nothing: for instruction counts under
// `valgrind --tool=cachegrind`, which are stable where wall time on a shared VM is not.
#include "corpus.hpp"

#include <pct/parse/config.hpp>
#include <pct/pct.h>
#include <pct/render/config.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
volatile std::size_t g_sink = 0; // keeps the optimizer from dropping the work

std::size_t cxx_once(const std::string& text) {
    auto parsed = pct::parse::config(text, {});
    if (!parsed)
        std::abort();
    auto out = pct::render::config(parsed->config);
    if (!out)
        std::abort();
    return out->size();
}

std::size_t c_once(const std::string& text) {
    pct_config* config = nullptr;
    char* out = nullptr;
    if (pct_config_parse(&config, text.c_str(), nullptr) != PCT_OK ||
        pct_config_write(&out, config, PCT_WRITE_CANONICAL) != PCT_OK)
        std::abort();
    std::size_t n = std::strlen(out);
    pct_string_free(out);
    pct_config_free(config);
    return n;
}

template <class F> double ns_per_op(F f, const std::string& text, std::size_t iterations) {
    auto start = Clock::now();
    for (std::size_t i = 0; i < iterations; ++i)
        g_sink = g_sink + f(text);
    auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    return elapsed / static_cast<double>(iterations);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    int rounds = 21;
    double round_ms = 100;
    bool print = false;
    std::string only;
    std::size_t only_n = 0;
    std::string text = pct::bench::realistic_config(7);
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--rounds" && i + 1 < argc) {
            rounds = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--round-ms" && i + 1 < argc) {
            round_ms = std::atof(argv[++i]);
        } else if (arg == "--only" && i + 2 < argc) {
            only = argv[++i];
            only_n = static_cast<std::size_t>(std::atoll(argv[++i]));
        } else if (arg == "--print-config") {
            print = true;
        } else {
            std::ifstream in(arg, std::ios::binary);
            if (!in) {
                std::fprintf(stderr, "pct-capi-bench: cannot read %s\n", arg.c_str());
                return 2;
            }
            std::ostringstream buffer;
            buffer << in.rdbuf();
            text = buffer.str();
        }
    }
    if (print) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return 0;
    }
    if (!only.empty()) {
        ns_per_op(only == "c" ? c_once : cxx_once, text, only_n);
        return 0;
    }
    // Warm up and size a round so that it lasts about round_ms.
    double estimate = ns_per_op(cxx_once, text, 200);
    auto iterations = static_cast<std::size_t>(std::max(100.0, round_ms * 1e6 / estimate));
    ns_per_op(c_once, text, iterations / 10);
    std::vector<double> cxx;
    std::vector<double> c;
    for (int r = 0; r < rounds; ++r) {
        cxx.push_back(ns_per_op(cxx_once, text, iterations));
        c.push_back(ns_per_op(c_once, text, iterations));
    }
    double cxx_ns = median(cxx);
    double c_ns = median(c);
    std::printf("cxx_ns %.0f c_ns %.0f ratio %.3f rounds %d bytes %zu\n", cxx_ns, c_ns,
                c_ns / cxx_ns, rounds, text.size());
    return 0;
}
