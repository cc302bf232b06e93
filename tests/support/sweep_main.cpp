// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-test-sweep: the sweeper (sweep.hpp) for the fixtures that cannot link it, the C test
// and pytest, so that all of them follow one rule.
//   pct-test-sweep              sweep what dead test processes left (as root; else nothing)
//   pct-test-sweep claim R PID  record process PID as the owner of test root R
#include "sweep.hpp"
#include "test_owner.hpp"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <unistd.h>

int main(int argc, char** argv) {
    try {
        if (argc == 1) {
            if (::geteuid() == 0)
                (void)pct::test::sweep_stale_test_roots();
            return 0;
        }
        if (argc == 4 && std::string(argv[1]) == "claim") {
            pct::test::claim_root(argv[2], static_cast<pid_t>(std::atol(argv[3])));
            return 0;
        }
        std::cerr << "usage: pct-test-sweep [claim ROOT PID]\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "pct-test-sweep: " << e.what() << '\n';
        return 1;
    }
}
