// SPDX-License-Identifier: AGPL-3.0-or-later
// A command run on the caller's terminal gets a pseudo-terminal of its own (issue 8, item 1):
// `pct exec`/`pct enter` under script(1), which gives them a real terminal as an admin's shell
// has, and `Container::run` on a terminal. A command inside that pushes keys with TIOCSTI
// (tests/support/tiocsti.c) reaches only its own pty; exit codes, output, keys, window size
// and signals pass; the caller's terminal modes come back. Also: no other descriptor of the
// caller reaches a command.
#include "ct_env.hpp"
#include "ct_fixture.hpp"

#include <pct/runtime/container.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

using namespace pct;
using namespace std::chrono_literals;

namespace {

const std::string pct_binary = std::string(PCT_BINARY_DIR) + "/bin/pct";

// An owned descriptor.
class Fd {
  public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    void reset(int fd = -1) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }
    [[nodiscard]] int get() const { return m_fd; }

  private:
    int m_fd;
};

// `script -qec COMMAND /dev/null`: COMMAND runs in bash on a new terminal (script's pty, its
// controlling terminal), as in an admin's shell. script runs $SHELL, set here: the checks use
// bash's `read -t`, which dash refuses, reading nothing, so that a check would pass whatever
// was injected. What `type` writes arrives at that terminal as typed keys;
// `read_until`/`finish` return what the terminal showed. $P is the pct binary, $PCT_ROOT the
// test host.
class ScriptRun {
  public:
    ScriptRun(const std::string& root, const std::string& command) {
        int in[2], out[2];
        REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
        REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
        m_pid = ::fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            ::dup2(out[1], 2);
            ::setenv("P", pct_binary.c_str(), 1);
            ::setenv("PCT_ROOT", root.c_str(), 1);
            ::setenv("SHELL", "/bin/bash", 1);
            ::execlp("script", "script", "-qec", command.c_str(), "/dev/null", nullptr);
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        m_keys = in[1];
        m_out = out[0];
    }
    ScriptRun(const ScriptRun&) = delete;
    ScriptRun& operator=(const ScriptRun&) = delete;
    ~ScriptRun() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL); // script's end hangs its terminal up: the rest follows
            ::waitpid(m_pid, nullptr, 0);
        }
        ::close(m_keys);
        ::close(m_out);
    }

    void type(std::string_view keys) const {
        REQUIRE(::write(m_keys, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size()));
    }
    /// Reads until `needle` shows up or `timeout` passes; returns all output so far.
    const std::string& read_until(std::string_view needle, std::chrono::milliseconds timeout) {
        auto end = std::chrono::steady_clock::now() + timeout;
        while (m_seen.find(needle) == std::string::npos && std::chrono::steady_clock::now() < end)
            if (!read_some())
                break;
        return m_seen;
    }
    /// Waits for script's end (at most `timeout`); all output, "\r\n" made "\n".
    std::string finish(std::chrono::milliseconds timeout) {
        auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end && read_some()) {
        }
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid)
            m_pid = -1;
        std::string text;
        for (char c : m_seen)
            if (c != '\r')
                text += c;
        return text;
    }

  private:
    // False at the end of the output.
    bool read_some() {
        pollfd p{m_out, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0)
            return true;
        char buf[4096];
        ssize_t n = ::read(m_out, buf, sizeof buf);
        if (n <= 0)
            return false;
        m_seen.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    pid_t m_pid = -1;
    int m_keys = -1;
    int m_out = -1;
    std::string m_seen;
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// A privileged busybox CT (there, TIOCSTI works on any terminal the command holds: the attack
// at its strongest), started and booted, with the TIOCSTI tool as /tiocsti.
runtime::Container attack_ready(test::CtHost& host, Vmid id) {
    auto ct = host.create(id, {{"hostname", "pty-ct"}, {"memory", "96"}, {"unprivileged", "0"}});
    REQUIRE(ct.start().has_value());
    REQUIRE(test::wait_boot(ct));
    runtime::ExecOptions copy;
    copy.argv = {"sh", "-c", "cat > /tiocsti && chmod 755 /tiocsti"};
    copy.stdin_data = slurp(PCT_TIOCSTI_HELPER);
    REQUIRE(!copy.stdin_data.empty());
    auto r = ct.exec(copy);
    REQUIRE(r.has_value());
    REQUIRE(r->exit_code == 0);
    return ct;
}

// A pseudo-terminal of the test, standing for a library user's terminal.
struct TestTerminal {
    Fd master;
    Fd slave;
    TestTerminal() {
        master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
        REQUIRE(master.get() >= 0);
        REQUIRE(::grantpt(master.get()) == 0);
        REQUIRE(::unlockpt(master.get()) == 0);
        slave.reset(::open(::ptsname(master.get()), O_RDWR | O_NOCTTY | O_CLOEXEC));
        REQUIRE(slave.get() >= 0);
    }
    /// What is readable on `fd` now (non-blocking).
    static std::string pending(int fd) {
        std::string got;
        int flags = ::fcntl(fd, F_GETFL);
        ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        char buf[4096];
        for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
            got.append(buf, static_cast<std::size_t>(n));
        ::fcntl(fd, F_SETFL, flags);
        return got;
    }
};

// The shell text that prints "tty:N" for each descriptor of the command that is a terminal
// and "fd60" when descriptor 60 is open.
constexpr const char* list_terminals =
    "for f in /proc/self/fd/*; do n=${f##*/}; [ -t \"$n\" ] && echo tty:$n; done; "
    "[ -e /proc/self/fd/60 ] && echo fd60; true";

} // namespace

TEST_CASE("runtime pty: a command at a terminal cannot push keys into the caller's terminal") {
    if (test::skip_containers("runtime pty"))
        return;
    test::CtHost host;
    Vmid id = test::unique_vmid(80);
    auto ct = attack_ready(host, id);
    std::string ctid = std::to_string(id.value);

    SUBCASE("pct exec") {
        // The host shell reads its terminal right after pct returns: injected keys would be
        // its input (and run as commands by an interactive shell).
        ScriptRun run(host.root(), "$P exec " + ctid +
                                       " -- /tiocsti 'echo INJECTED\\n'; echo rc:$?; "
                                       "read -t 1 x; echo \"got:$x.\"");
        std::string out = run.finish(30s);
        CHECK_MESSAGE(out.find("got:.\n") != std::string::npos, out);
        CHECK(out.find("got:echo") == std::string::npos);
        // The tool did push the keys, into its own pty (which echoes them).
        CHECK_MESSAGE(out.find("fd0:injected\n") != std::string::npos, out);
        CHECK(out.find("fd1:injected\n") != std::string::npos);
        CHECK(out.find("fd2:injected\n") != std::string::npos);
        CHECK(out.find("rc:0\n") != std::string::npos);
    }
    SUBCASE("pct exec with stdin not a terminal: the command has no controlling terminal") {
        // Stdin from /dev/null, from a pipe, and only stdout a terminal: liblxc makes a
        // session of its own only for a terminal on stdin, so the command must leave the
        // caller's itself, or /dev/tty inside is the admin's terminal.
        const std::string attack = "$P exec " + ctid + " -- /tiocsti --tty 'echo INJECTED\\n'";
        ScriptRun run(host.root(), attack + " </dev/null; read -t 1 x; echo \"got1:$x.\"; " +
                                       "echo piped | " + attack +
                                       "; read -t 1 x; echo \"got2:$x.\"; " + attack +
                                       " </dev/null 2>/dev/null; read -t 1 x; echo \"got3:$x.\"");
        std::string out = run.finish(60s);
        const std::string refused = "devtty:No such device or address\n";
        CHECK_MESSAGE(out == refused + "got1:.\n" + refused + "got2:.\n" + refused + "got3:.\n",
                      out);
    }
    SUBCASE("pct enter") {
        // A process left behind by the shell pushes the keys once pct has returned: it waits
        // until its terminal is hung up (isatty fails then), which pct's end does.
        ScriptRun run(host.root(),
                      "$P enter " + ctid + "; echo rc:$?; read -t 5 x; echo \"got:$x.\"");
        run.type("(i=0; while [ -t 3 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "
                 "echo hung-up-after:$i >/left; /tiocsti 'echo INJECTED\\n') 3>&0 "
                 ">/dev/null 2>&1 & exit 3\n");
        std::string out = run.finish(30s);
        auto rc = out.find("rc:3\n");
        REQUIRE_MESSAGE(rc != std::string::npos, out);
        // Nothing reached the caller's terminal after pct's end: no keys (the terminal would
        // echo them), and the shell can still read it.
        CHECK_MESSAGE(out.substr(rc) == "rc:3\ngot:.\n", out);
        // And the keys were pushed after pct's end, not into its still-open pty.
        runtime::ExecOptions left;
        left.argv = {"sh", "-c",
                     "i=0; while [ ! -s /left ] && [ $i -lt 100 ]; do sleep 0.1; "
                     "i=$((i+1)); done; cat /left"};
        auto said = ct.exec(left);
        REQUIRE(said.has_value());
        CHECK_MESSAGE(said->out.starts_with("hung-up-after:"), said->out);
        CHECK(said->out != "hung-up-after:100\n");
    }
    SUBCASE("the command's terminal is not the caller's") {
        ScriptRun run(host.root(), "echo caller:$(stat -L -c %t:%T /dev/stdin); $P exec " + ctid +
                                       " -- sh -c 'for f in 0 1 2; do echo cmd:$(stat -L -c %t:%T "
                                       "/proc/self/fd/$f); done'");
        std::string out = run.finish(30s);
        auto caller = out.find("caller:");
        REQUIRE_MESSAGE(caller != std::string::npos, out);
        std::string number = out.substr(caller + 7, out.find('\n', caller) - caller - 7);
        CHECK(number.find(':') != std::string::npos);
        CHECK_MESSAGE(out.find("cmd:" + number + "\n") == std::string::npos, out);
        CHECK(out.find("cmd:") != std::string::npos);
    }
}

TEST_CASE("runtime pty: exit codes and output and keys and window size pass and modes return") {
    if (test::skip_containers("runtime pty"))
        return;
    test::CtHost host;
    Vmid id = test::unique_vmid(81);
    auto ct = attack_ready(host, id);
    std::string ctid = std::to_string(id.value);
    const std::string exec = "$P exec " + ctid + " -- ";

    SUBCASE("exit codes and output, modes restored") {
        ScriptRun run(host.root(),
                      "a=$(stty -g); " + exec +
                          "sh -c 'echo out; echo err >&2; [ -t 0 ] && echo stdin-tty; exit 7'; "
                          "echo rc:$?; " +
                          exec + "sh -c 'kill -TERM $$'; echo rc:$?; " + exec +
                          "no-such-command; echo rc:$?; "
                          "[ \"$a\" = \"$(stty -g)\" ] && echo modes-same");
        std::string out = run.finish(60s);
        CHECK_MESSAGE(out.find("out\nerr\nstdin-tty\nrc:7\n") != std::string::npos, out);
        CHECK(out.find("rc:143\n") != std::string::npos);
        CHECK(out.find("rc:127\n") != std::string::npos);
        CHECK(out.find("modes-same\n") != std::string::npos);
    }
    SUBCASE("keys: a line, Ctrl-D and Ctrl-C reach the command's terminal") {
        ScriptRun run(host.root(),
                      exec + "sh -c 'echo ready; read x; echo inside:$x; exit 6'; echo rc:$?; " +
                          exec + "sh -c 'echo ready2; cat; echo cat-done'; echo rc:$?; " + exec +
                          "sh -c 'echo ready3; sleep 30'; echo rc:$?");
        REQUIRE(run.read_until("ready\r\n", 20s).find("ready\r\n") != std::string::npos);
        run.type("hello\n");
        REQUIRE(run.read_until("ready2", 20s).find("ready2") != std::string::npos);
        run.type("abc\n\x04");
        REQUIRE(run.read_until("ready3", 20s).find("ready3") != std::string::npos);
        run.type("\x03");
        std::string out = run.finish(30s);
        CHECK_MESSAGE(out.find("inside:hello\nrc:6\n") != std::string::npos, out);
        CHECK(out.find("abc\ncat-done\nrc:0\n") != std::string::npos);
        CHECK(out.find("rc:130\n") != std::string::npos);
    }
    SUBCASE("window size, at the start and on SIGWINCH") {
        // The resize comes once the command has its trap (it then makes /ready), asked for
        // from beside it with pct exec, not after a guessed delay.
        ScriptRun run(host.root(),
                      "stty rows 33 cols 77; (i=0; until $P exec " + ctid +
                          " -- test -e /ready </dev/null >/dev/null 2>&1 || [ $i -ge 300 ]; "
                          "do sleep 0.1; i=$((i+1)); done; stty rows 40 cols 90 </dev/tty) & " +
                          exec +
                          "sh -c 'trap \"stty size; exit 5\" WINCH; stty size; touch /ready; "
                          "i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done'; echo rc:$?");
        std::string out = run.finish(60s);
        CHECK_MESSAGE(out.find("33 77\n40 90\nrc:5\n") != std::string::npos, out);
    }
    SUBCASE("signals to pct reach the command, and the terminal comes back from raw mode") {
        // Waits (at most 30 s) for pct to put the terminal ($a: its modes before) in raw mode,
        // which it does once it relays, instead of a guessed delay.
        const std::string until_raw =
            "i=0; while [ \"$a\" = \"$(stty -g)\" ] && [ $i -lt 300 ]; do sleep 0.1; "
            "i=$((i+1)); done; ";
        ScriptRun run(host.root(),
                      "a=$(stty -g); " + exec + "sleep 30 </dev/tty & p=$!; " + until_raw +
                          "[ \"$a\" != \"$(stty -g)\" ] && echo raw-meanwhile; kill -TERM $p; "
                          "wait $p; echo rc:$?; " +
                          exec + "sleep 30 </dev/tty & p=$!; " + until_raw +
                          "kill -HUP $p; wait $p; "
                          "echo rc:$?; [ \"$a\" = \"$(stty -g)\" ] && echo modes-same");
        std::string out = run.finish(60s);
        CHECK_MESSAGE(out.find("raw-meanwhile\nrc:143\nrc:129\nmodes-same\n") != std::string::npos,
                      out);
    }
    SUBCASE("without a terminal too, signals to pct reach the command") {
        // The command has a session of its own: Ctrl-C at the caller's terminal reaches only
        // pct, which must send it on as it does with a pty.
        ScriptRun run(host.root(),
                      exec +
                          "sh -c 'trap \"exit 7\" TERM; touch /started; i=0; "
                          "while [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done' "
                          "</dev/null >/dev/null 2>&1 & p=$!; i=0; until $P exec " +
                          ctid +
                          " -- test -e /started </dev/null >/dev/null 2>&1 || [ $i -ge 300 ]; "
                          "do sleep 0.1; i=$((i+1)); done; kill -TERM $p; wait $p; echo rc:$?");
        std::string out = run.finish(60s);
        CHECK_MESSAGE(out == "rc:7\n", out);
    }
}

TEST_CASE("runtime pty: Container::run on a terminal gives the command a pty of its own") {
    if (test::skip_containers("runtime pty"))
        return;
    test::CtHost host;
    Vmid id = test::unique_vmid(82);
    auto ct = attack_ready(host, id);
    TestTerminal term;
    termios before{};
    REQUIRE(::tcgetattr(term.slave.get(), &before) == 0);

    runtime::RunOptions o;
    o.argv = {"/tiocsti", "echo INJECTED\\n"};
    o.stdin_fd = o.stdout_fd = o.stderr_fd = term.slave.get();
    auto r = ct.run(o);
    REQUIRE(r.has_value());
    CHECK(*r == 0);
    // Nothing arrived as input of the test's terminal; the tool's report arrived as output.
    CHECK(TestTerminal::pending(term.slave.get()).empty());
    std::string shown = TestTerminal::pending(term.master.get());
    CHECK_MESSAGE(shown.find("fd0:injected\r\n") != std::string::npos, shown);
    termios after{};
    REQUIRE(::tcgetattr(term.slave.get(), &after) == 0);
    CHECK(after.c_lflag == before.c_lflag);
    CHECK(after.c_iflag == before.c_iflag);
    CHECK(after.c_oflag == before.c_oflag);

    // Only stdout a terminal: stdin and stderr stay the caller's pipes.
    int in[2], err[2];
    REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(err, O_CLOEXEC) == 0);
    Fd in_r(in[0]), in_w(in[1]), err_r(err[0]), err_w(err[1]);
    REQUIRE(::write(in_w.get(), "piped\n", 6) == 6);
    in_w.reset();
    o.argv = {"sh", "-c",
              "read x; echo got:$x; [ -t 0 ] || echo in-pipe; [ -t 1 ] && echo out-tty; "
              "echo to-err >&2; exit 4"};
    o.stdin_fd = in_r.get();
    o.stderr_fd = err_w.get();
    r = ct.run(o);
    REQUIRE(r.has_value());
    CHECK(*r == 4);
    err_w.reset();
    shown = TestTerminal::pending(term.master.get());
    CHECK_MESSAGE(shown == "got:piped\r\nin-pipe\r\nout-tty\r\n", shown);
    CHECK(TestTerminal::pending(err_r.get()) == "to-err\n");

    // No terminal at all: the caller's descriptors pass through as before.
    int out[2];
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    Fd out_r(out[0]), out_w(out[1]);
    o.argv = {"sh", "-c", "[ -t 0 ] || [ -t 1 ] || [ -t 2 ] || echo no-tty; exit 9"};
    o.stdin_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    o.stdout_fd = o.stderr_fd = out_w.get();
    r = ct.run(o);
    ::close(o.stdin_fd);
    REQUIRE(r.has_value());
    CHECK(*r == 9);
    out_w.reset();
    CHECK(TestTerminal::pending(out_r.get()) == "no-tty\n");
}

TEST_CASE("runtime pty: no descriptor of the caller but stdio reaches a command") {
    if (test::skip_containers("runtime pty"))
        return;
    test::CtHost host;
    Vmid id = test::unique_vmid(83);
    auto ct = host.create(id, {{"hostname", "pty-fds"}, {"memory", "96"}});
    REQUIRE(ct.start().has_value());
    TestTerminal term;
    // A terminal the caller left inheritable (no close-on-exec), as C programs do by default.
    REQUIRE(::dup2(term.slave.get(), 60) == 60);
    Fd leaked(60);

    runtime::ExecOptions e;
    e.argv = {"sh", "-c", list_terminals};
    auto captured = ct.exec(e);
    REQUIRE(captured.has_value());
    CHECK(captured->out.empty());

    int out[2];
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    Fd out_r(out[0]), out_w(out[1]);
    runtime::RunOptions o;
    o.argv = {"sh", "-c", list_terminals};
    o.stdin_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    o.stdout_fd = o.stderr_fd = out_w.get();
    auto r = ct.run(o);
    ::close(o.stdin_fd);
    REQUIRE(r.has_value());
    out_w.reset();
    CHECK(TestTerminal::pending(out_r.get()).empty());

    // On a terminal, the command's three are its own pty.
    o.stdin_fd = o.stdout_fd = o.stderr_fd = term.slave.get();
    r = ct.run(o);
    REQUIRE(r.has_value());
    std::string shown = TestTerminal::pending(term.master.get());
    CHECK_MESSAGE(shown == "tty:0\r\ntty:1\r\ntty:2\r\n", shown);
}

TEST_CASE("runtime pty: a command run with captured pipes has no controlling terminal") {
    if (test::skip_containers("runtime pty"))
        return;
    test::CtHost host;
    Vmid id = test::unique_vmid(84);
    auto ct = attack_ready(host, id);
    TestTerminal term;
    int report[2];
    REQUIRE(::pipe2(report, O_CLOEXEC) == 0);
    Fd report_r(report[0]), report_w(report[1]);
    // A library user with a controlling terminal (the test's pty) runs the tool with
    // Container::exec, the path of the C ABI's and pypct's exec, and reports what it printed.
    pid_t user = ::fork();
    REQUIRE(user >= 0);
    if (user == 0) {
        if (::setsid() < 0 || ::ioctl(term.slave.get(), TIOCSCTTY, 0) != 0)
            ::_exit(2);
        runtime::ExecOptions e;
        e.argv = {"/tiocsti", "--tty", "echo INJECTED\\n"};
        auto r = ct.exec(e);
        std::string text = r ? r->out : "exec failed: " + r.error().message;
        ::_exit(::write(report_w.get(), text.data(), text.size()) ==
                        static_cast<ssize_t>(text.size())
                    ? 0
                    : 3);
    }
    report_w.reset();
    int status = 0;
    REQUIRE(::waitpid(user, &status, 0) == user);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    std::string said = TestTerminal::pending(report_r.get());
    CHECK_MESSAGE(said == "devtty:No such device or address\n", said);
    CHECK(TestTerminal::pending(term.slave.get()).empty());
}

namespace {
void note_signal(int) {}
} // namespace

TEST_CASE("runtime pty: running a command on descriptor 0 keeps the caller's SIGINT and SIGQUIT") {
    if (test::skip_containers("runtime pty"))
        return;
    test::CtHost host;
    Vmid id = test::unique_vmid(85);
    auto ct = host.create(id, {{"hostname", "pty-sig"}, {"memory", "96"}});
    REQUIRE(ct.start().has_value());
    // Descriptor 0 not a terminal, so that liblxc gets it as is (its SIG_IGN case).
    Fd saved_stdin(::fcntl(0, F_DUPFD_CLOEXEC, 3));
    Fd null_in(::open("/dev/null", O_RDWR | O_CLOEXEC));
    REQUIRE(null_in.get() >= 0);
    REQUIRE(::dup2(null_in.get(), 0) == 0);
    struct sigaction mine {};
    mine.sa_handler = note_signal;
    struct sigaction old_int {
    }, old_quit{};
    REQUIRE(::sigaction(SIGINT, &mine, &old_int) == 0);
    REQUIRE(::sigaction(SIGQUIT, &mine, &old_quit) == 0);

    runtime::RunOptions o;
    o.argv = {"true"};
    o.stdin_fd = 0;
    o.stdout_fd = o.stderr_fd = null_in.get();
    auto r = ct.run(o);
    struct sigaction after_int {
    }, after_quit{};
    ::sigaction(SIGINT, &old_int, &after_int);
    ::sigaction(SIGQUIT, &old_quit, &after_quit);
    if (saved_stdin.get() >= 0)
        ::dup2(saved_stdin.get(), 0);
    else
        ::close(0);
    REQUIRE(r.has_value());
    CHECK(*r == 0);
    bool int_kept = after_int.sa_handler == &note_signal;
    bool quit_kept = after_quit.sa_handler == &note_signal;
    CHECK(int_kept);
    CHECK(quit_kept);
}
