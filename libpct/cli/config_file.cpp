// SPDX-License-Identifier: AGPL-3.0-or-later
#include "config_file.hpp"

#include <pct/model/schema.hpp>
#include <pct/parse/config.hpp>
#include <pct/storage/atomic_file.hpp>

#include <cstring>
#include <iostream>
#include <string_view>
#include <utility>

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
    // The core's reader: the same refusals (not a regular file, above the size cap) as the
    // library, the C ABI and pypct.
    ConfigFile file;
    auto text = storage::read_file(path, &file.mode);
    if (!text) {
        const Error& e = text.error();
        if (e.code == Errc::invalid_argument) // the message names the path
            std::cerr << e.message << ", not a container config\n";
        else
            std::cerr << path << ": cannot read: " << std::strerror(e.sys_errno) << '\n';
        return std::nullopt;
    }
    file.text = std::move(*text);
    if (auto bytes = parse::check_bytes(file.text); !bytes) {
        std::cerr << path << ": not a container config (" << bytes.error().message << ")\n";
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
