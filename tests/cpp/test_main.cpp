// SPDX-License-Identifier: AGPL-3.0-or-later
// doctest's main, plus one rule: a run that executes no test case fails. ctest runs each case
// by name (doctest_discover_tests), and a name that doctest's filter cannot match (one with
// ',' or ';', which doctest and CMake split) would otherwise pass without running anything.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>

namespace {

std::atomic<int> cases_started{0};

// Counts the test cases that start; everything else a reporter may be told is ignored.
struct CaseCounter : doctest::IReporter {
    explicit CaseCounter(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats&) override {}
    void test_case_start(const doctest::TestCaseData&) override { ++cases_started; }
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("pct_case_counter", 1, CaseCounter);

} // namespace

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    int result = context.run();
    if (context.shouldExit()) // --help, --list-test-cases, ...
        return result;
    if (result == 0 && cases_started == 0) {
        std::fputs("no test case ran: does the filter match a case name?\n", stderr);
        return 1;
    }
    return result;
}
