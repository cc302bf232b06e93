// SPDX-License-Identifier: AGPL-3.0-or-later
// pct's progress line (libpct/cli/progress_line.hpp): the texts (written by hand from the
// format the header documents), and where they go: a redrawn line on a terminal (a pty),
// plain periodic lines elsewhere, nothing with --quiet.
#include "progress_line.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <fcntl.h>
#include <pty.h>
#include <string>
#include <termios.h>
#include <unistd.h>

using namespace pct;
using pct::runtime::Progress;

namespace {

constexpr std::uint64_t mib = 1024 * 1024;

Progress report(std::uint64_t bytes, std::uint64_t total, double rate, bool done = false) {
    Progress p;
    p.phase = "copy";
    p.bytes = bytes;
    p.total = total;
    p.rate = rate;
    if (done)
        p.eta_seconds = 0.0;
    else if (total > bytes && rate > 0)
        p.eta_seconds = double(total - bytes) / rate;
    p.done = done;
    return p;
}

// Everything readable from `fd` now (non-blocking).
std::string drain(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        out.append(buf, std::size_t(n));
    return out;
}

} // namespace

TEST_CASE("progress_line: the texts of a report with and without total and at the end") {
    CHECK(cli::progress_text(report(120 * mib + mib / 2, 512 * mib, 48.2 * double(mib))) ==
          "copy: 120.5 MiB of 512.0 MiB (23%), 48.2 MiB/s, ETA 0:08");
    CHECK(cli::progress_text(report(0, 0, 0)) == "copy: 0 B, 0 B/s");
    CHECK(cli::progress_text(report(1536, 0, 512)) == "copy: 1.5 KiB, 512 B/s");
    // ETA beyond an hour: h:mm:ss.
    CHECK(cli::progress_text(report(mib, 4096 * mib, double(mib))) ==
          "copy: 1.0 MiB of 4.0 GiB (0%), 1.0 MiB/s, ETA 1:08:15");
    CHECK(cli::progress_text(report(512 * mib, 512 * mib, 51.2 * double(mib), true)) ==
          "copy: 512.0 MiB in 10.0 s, 51.2 MiB/s");
}

TEST_CASE("progress_line: quiet gives no function") {
    CHECK_FALSE(cli::progress_printer(true));
    CHECK(cli::progress_printer(false, stderr));
}

TEST_CASE("progress_line: not a terminal prints plain lines at the interval and the last") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::FILE* out = ::fdopen(fds[1], "w");
    REQUIRE(out);
    {
        auto print = cli::progress_printer(false, out, std::chrono::seconds(3600));
        print(report(mib, 4 * mib, double(mib)));           // within the interval: nothing
        print(report(4 * mib, 4 * mib, double(mib), true)); // the last report: always
        CHECK(drain(fds[0]) == "copy: 4.0 MiB in 4.0 s, 1.0 MiB/s\n");
    }
    {
        auto print = cli::progress_printer(false, out, std::chrono::seconds(0));
        print(report(mib, 4 * mib, double(mib)));
        print(report(2 * mib, 4 * mib, double(mib)));
        CHECK(drain(fds[0]) == "copy: 1.0 MiB of 4.0 MiB (25%), 1.0 MiB/s, ETA 0:03\n"
                               "copy: 2.0 MiB of 4.0 MiB (50%), 1.0 MiB/s, ETA 0:02\n");
    }
    std::fclose(out);
    ::close(fds[0]);
}

TEST_CASE("progress_line: a terminal gets one line redrawn in place and ended at the end") {
    int master = -1, slave = -1;
    REQUIRE(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
    termios raw{};
    REQUIRE(::tcgetattr(slave, &raw) == 0);
    ::cfmakeraw(&raw); // no \n -> \r\n translation: the bytes as written
    REQUIRE(::tcsetattr(slave, TCSANOW, &raw) == 0);
    std::FILE* out = ::fdopen(slave, "w");
    REQUIRE(out);
    auto print = cli::progress_printer(false, out, std::chrono::seconds(3600));
    print(report(mib, 4 * mib, double(mib)));
    print(report(4 * mib, 4 * mib, double(mib), true));
    std::fclose(out);
    CHECK(drain(master) == "\rcopy: 1.0 MiB of 4.0 MiB (25%), 1.0 MiB/s, ETA 0:03\x1b[K"
                           "\rcopy: 4.0 MiB in 4.0 s, 1.0 MiB/s\x1b[K\n");
    ::close(master);
}
