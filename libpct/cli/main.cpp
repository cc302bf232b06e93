// SPDX-License-Identifier: AGPL-3.0-or-later
// pct: Proxmox's container tool, on libpct.
#include "commands.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace pct::cli {

std::vector<std::string> long_options(int argc, char** argv) {
    std::vector<std::string> out;
    bool options = true;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--")
            options = false;
        else if (options && arg.size() > 2 && arg[0] == '-' && arg[1] >= 'a' && arg[1] <= 'z')
            arg.insert(0, "-");
        out.push_back(std::move(arg));
    }
    return out;
}

} // namespace pct::cli

int main(int argc, char** argv) {
    CLI::App app{"pct - manage Proxmox-style LXC containers (libpct)"};
    app.require_subcommand(1);
    app.fallthrough();

    pct::cli::Globals globals;
    if (const char* env_root = std::getenv("PCT_ROOT"))
        globals.root = env_root;
    else
        globals.root = "/";
    app.add_option("--root", globals.root,
                   "Host root holding etc/pve, var/lib/lxc, run/lock (default: $PCT_ROOT or /)");

    int exit_code = 0;
    pct::cli::register_config_commands(app, globals, exit_code);
    pct::cli::register_file_commands(app, globals, exit_code);
    pct::cli::register_lxc_commands(app, globals, exit_code);
    pct::cli::register_runtime_commands(app, globals, exit_code);
    pct::cli::register_mount_commands(app, globals, exit_code);
    pct::cli::register_volume_commands(app, globals, exit_code);
    pct::cli::register_lock_commands(app, globals, exit_code);
    pct::cli::register_snapshot_commands(app, globals, exit_code);
    pct::cli::register_clone_commands(app, globals, exit_code);
    pct::cli::register_file_copy_commands(app, globals, exit_code);

    try {
        std::vector<std::string> args = pct::cli::long_options(argc, argv);
        std::reverse(args.begin(), args.end()); // CLI11 takes them last first
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    std::cout.flush();
    return exit_code;
}
