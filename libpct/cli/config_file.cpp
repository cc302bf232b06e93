// SPDX-License-Identifier: AGPL-3.0-or-later
#include "config_file.hpp"

#include <pct/model/schema.hpp>
#include <pct/parse/config.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::cli {

namespace {

// Proxmox reads any text leniently (unknown keys kept, bad lines dropped), so /etc/passwd
// would "parse". A file is taken for a config when at least one line is something Proxmox's
// reader knows, or when it has nothing but comments and blank lines.
bool has_config_lines(std::string_view text) {
    bool foreign = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        parse::ConfigLine info = parse::classify_line(line);
        switch (info.kind) {
        case parse::LineKind::blank:
        case parse::LineKind::comment:
            break;
        case parse::LineKind::option:
            if (schema::find(info.key) != nullptr)
                return true;
            foreign = true;
            break;
        case parse::LineKind::invalid:
            foreign = true;
            break;
        default:
            return true;
        }
    }
    return !foreign;
}

} // namespace

std::optional<ConfigFile> read_config_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        std::cerr << path << ": cannot read: " << std::strerror(errno) << '\n';
        return std::nullopt;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        std::cerr << path << ": not a regular file, not a container config\n";
        ::close(fd);
        return std::nullopt;
    }
    ConfigFile file;
    file.mode = st.st_mode & 07777;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            std::cerr << path << ": cannot read: " << std::strerror(errno) << '\n';
            ::close(fd);
            return std::nullopt;
        }
        if (n == 0)
            break;
        file.text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (file.text.find('\0') != std::string::npos) {
        std::cerr << path << ": not a container config (binary data: NUL bytes)\n";
        return std::nullopt;
    }
    if (!has_config_lines(file.text)) {
        std::cerr << path
                  << ": not a container config (no line is a container option, "
                     "lxc.* key or section header)\n";
        return std::nullopt;
    }
    return file;
}

} // namespace pct::cli
