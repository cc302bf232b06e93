// SPDX-License-Identifier: AGPL-3.0-or-later
#include "credentials.hpp"

#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <crypt.h>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace pct::runtime::detail::setup {

namespace {

// Runs `argv` with stdin, stdout and stderr on /dev/null; its exit status (-1: not started).
int run_quiet(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    ::posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return -1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::optional<std::string> slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

bool is_crypt_hash(std::string_view text) {
    static const std::regex hash_re(
        R"(^\$(?:1|2[axy]?|5|6)\$[a-zA-Z0-9./]{1,16}\$[a-zA-Z0-9./]+$)");
    return std::regex_match(text.begin(), text.end(), hash_re);
}

Result<std::optional<std::string>> password_hash(const std::optional<std::string>& password,
                                                 bool fixed_salt) {
    if (!password)
        return std::nullopt;
    if (is_crypt_hash(*password))
        return password;
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (fixed_salt) {
        std::snprintf(salt, sizeof salt, "%s", "$6$SALTSALT$");
    } else if (!::crypt_gensalt_rn("$6$", 0, nullptr, 0, salt, sizeof salt)) {
        return fail(Errc::io,
                    fmt::format("unable to make a password salt: {}", std::strerror(errno)));
    }
    auto data = std::make_unique<crypt_data>();
    const char* hash = ::crypt_r(password->c_str(), salt, data.get());
    if (!hash || std::string_view(hash).substr(0, 3) != "$6$")
        return fail(Errc::io, "unable to hash the root password (SHA-512 crypt)");
    return std::string(hash);
}

Result<void> rewrite_ssh_host_keys(const CtRoot& root, const std::string& hostname) {
    if (!root.is_dir("/etc/ssh"))
        return {};
    std::string short_name = hostname.substr(0, hostname.find('.'));
    if (short_name.empty())
        short_name = "localhost";
    std::string tmpl = (std::filesystem::temp_directory_path() / "pct-hostkeys.XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
        return std::unexpected(storage::io_error("create a directory like", tmpl, errno));
    struct Cleanup {
        std::string dir;
        ~Cleanup() {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    } cleanup{tmpl};
    for (const char* type : {"rsa", "ecdsa", "ed25519"}) {
        std::string file = tmpl + "/" + type;
        int rc = run_quiet({"ssh-keygen", "-q", "-f", file, "-t", type, "-N", "", "-E", "sha256",
                            "-C", "root@" + short_name});
        if (rc != 0)
            return fail(Errc::io,
                        fmt::format("command 'ssh-keygen -t {}' failed: exit code {}", type, rc));
        auto priv = slurp(file), pub = slurp(file + ".pub");
        if (!priv || !pub)
            return fail(Errc::io, fmt::format("ssh-keygen left no {} key in {}", type, tmpl));
        std::string base = fmt::format("/etc/ssh/ssh_host_{}_key", type);
        if (auto ok = root.write(base, *priv, 0600); !ok)
            return ok;
        if (auto ok = root.write(base + ".pub", *pub, 0644); !ok)
            return ok;
    }
    return {};
}

} // namespace pct::runtime::detail::setup
