// SPDX-License-Identifier: AGPL-3.0-or-later
#include "progress_line.hpp"

#include <fmt/format.h>

#include <memory>
#include <unistd.h>

namespace pct::cli {

namespace {

std::string size_text(double bytes) {
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    return unit == 0 ? fmt::format("{:.0f} B", bytes)
                     : fmt::format("{:.1f} {}", bytes, units[unit]);
}

std::string duration_text(double seconds) {
    auto s = static_cast<long long>(seconds + 0.5);
    if (s >= 3600)
        return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

} // namespace

void add_quiet_option(CLI::App* cmd, bool& quiet) {
    cmd->add_flag("--quiet", quiet, "no progress output");
}

std::string progress_text(const runtime::Progress& p) {
    std::string rate = size_text(p.rate) + "/s";
    if (p.done) {
        double seconds = p.rate > 0 ? static_cast<double>(p.bytes) / p.rate : 0;
        return fmt::format("{}: {} in {:.1f} s, {}", p.phase, size_text(double(p.bytes)), seconds,
                           rate);
    }
    if (p.total == 0)
        return fmt::format("{}: {}, {}", p.phase, size_text(double(p.bytes)), rate);
    auto percent = static_cast<int>(100.0 * double(p.bytes) / double(p.total));
    std::string line = fmt::format("{}: {} of {} ({}%), {}", p.phase, size_text(double(p.bytes)),
                                   size_text(double(p.total)), percent, rate);
    if (p.eta_seconds)
        line += ", ETA " + duration_text(*p.eta_seconds);
    return line;
}

runtime::ProgressFn progress_printer(bool quiet, std::FILE* out,
                                     std::chrono::seconds plain_interval) {
    if (quiet)
        return {};
    if (::isatty(::fileno(out))) {
        return [out](const runtime::Progress& p) {
            // \x1b[K clears what a longer previous line left on the right.
            fmt::print(out, "\r{}\x1b[K{}", progress_text(p), p.done ? "\n" : "");
            std::fflush(out);
        };
    }
    using Clock = std::chrono::steady_clock;
    auto last = std::make_shared<Clock::time_point>(Clock::now());
    return [out, last, plain_interval](const runtime::Progress& p) {
        auto now = Clock::now();
        if (!p.done && now - *last < plain_interval)
            return;
        *last = now;
        fmt::print(out, "{}\n", progress_text(p));
        std::fflush(out);
    };
}

} // namespace pct::cli
