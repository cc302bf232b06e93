// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's boolean options on the command line.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace pct::cli {

/// A Proxmox boolean option: `--name` alone means 1, else `--name 0|1|yes|no|true|false|on|off`.
struct BoolOpt {
    std::string text;
    CLI::Option* opt = nullptr;
    bool fallback = false;
    [[nodiscard]] bool value() const {
        if (!opt || opt->count() == 0)
            return fallback;
        return text.empty() || text == "1" || text == "yes" || text == "true" || text == "on";
    }
};

inline void add_bool(CLI::App* cmd, const std::string& name, BoolOpt& b, const std::string& help,
                     bool fallback = false) {
    b.fallback = fallback;
    b.opt = cmd->add_option(name, b.text, help)
                ->expected(0, 1)
                ->check(CLI::IsMember({"", "0", "1", "yes", "no", "true", "false", "on", "off"}));
}

} // namespace pct::cli
