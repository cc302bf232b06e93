// SPDX-License-Identifier: AGPL-3.0-or-later
// pct: Proxmox's container tool, on libpct.
#include "commands.hpp"
#include "man_page.hpp"
#include "usage.hpp"

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
    app.require_subcommand(0, 1); // none: Proxmox's "no command specified" below
    app.fallthrough();

    pct::cli::Globals globals;
    if (const char* env_root = std::getenv("PCT_ROOT"))
        globals.root = env_root;
    else
        globals.root = "/";
    app.add_option("--root", globals.root,
                   "Host root holding etc/pve, var/lib/lxc, run/lock (default: $PCT_ROOT or /)");

    // Hidden (no group): the build writes pct.1 and the completion script with these.
    bool man_page = false;
    bool bash_completion = false;
    app.add_flag("--man-page", man_page, "Write pct(1) in roff")->group("");
    app.add_flag("--bash-completion", bash_completion, "Write the bash completion")->group("");

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
    pct::cli::register_backup_commands(app, globals, exit_code);
    pct::cli::register_file_copy_commands(app, globals, exit_code);
    pct::cli::register_cpusets_command(app, globals, exit_code);
    pct::cli::register_cluster_commands(app, exit_code);
    pct::cli::register_help_command(app, exit_code);

    const std::vector<std::string> args = pct::cli::long_options(argc, argv);
    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 takes the last first
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        // `--help` anywhere: the full help of the command it follows (`pct help CMD --verbose`).
        const CLI::App* at = &app;
        for (auto parsed = at->get_subcommands(); !parsed.empty(); parsed = at->get_subcommands())
            at = parsed.front();
        if (at == &app)
            pct::cli::print_command_list(std::cout, app);
        else
            std::cout << pct::cli::usage_long(*at) << '\n';
        return 0;
    } catch (const CLI::ParseError& e) {
        return pct::cli::usage_error(app, e, args);
    }
    if (man_page || bash_completion) {
        std::cout << (man_page ? pct::cli::man_page(app) : pct::cli::bash_completion(app));
        return 0;
    }
    if (app.get_subcommands().empty()) {
        pct::cli::print_command_list(std::cerr, app, "no command specified");
        return pct::cli::exit_failed;
    }
    std::cout.flush();
    return exit_code;
}
