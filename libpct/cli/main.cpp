// SPDX-License-Identifier: AGPL-3.0-or-later
// pct: Proxmox's container tool, on libpct.
#include "commands.hpp"

#include <cstdlib>
#include <iostream>

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
    pct::cli::register_file_commands(app, globals, exit_code);
    pct::cli::register_lxc_commands(app, globals, exit_code);
    pct::cli::register_runtime_commands(app, globals, exit_code);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    std::cout.flush();
    return exit_code;
}
