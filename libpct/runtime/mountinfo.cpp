// SPDX-License-Identifier: AGPL-3.0-or-later
#include "mountinfo.hpp"

#include <fstream>

namespace pct::runtime::detail {

namespace {

std::string decode_octal(const std::string& raw) {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 3 < raw.size()) {
            out += static_cast<char>((raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 +
                                     (raw[i + 3] - '0'));
            i += 3;
        } else {
            out += raw[i];
        }
    }
    return out;
}

} // namespace

std::vector<MountInfoEntry> read_mountinfo(const std::string& path) {
    std::vector<MountInfoEntry> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
        std::size_t pos = 0;
        for (int field = 0; field < 4 && pos != std::string::npos; ++field)
            pos = line.find(' ', pos + (field ? 1 : 0));
        if (pos == std::string::npos)
            continue;
        auto end = line.find(' ', pos + 1);
        MountInfoEntry e{decode_octal(line.substr(pos + 1, end - pos - 1)), {}};
        if (auto dash = line.find(" - "); dash != std::string::npos) {
            auto type_end = line.find(' ', dash + 3);
            e.fstype = line.substr(dash + 3, type_end - dash - 3);
        }
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace pct::runtime::detail
