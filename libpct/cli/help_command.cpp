// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct help [CMD] [--verbose]` (PVE::CLIHandler::help): without CMD the usage line of every
// command (`--verbose`: each command's full help); with CMD its usage line (`--verbose`: the
// full help). CMD may be several words (`pct help file set`).
#include "bool_option.hpp"
#include "commands.hpp"
#include "usage.hpp"

#include <iostream>
#include <memory>

namespace pct::cli {

namespace {

// The command `words` names below `app`, or null.
const CLI::App* find_command(const CLI::App& app, const std::vector<std::string>& words) {
    const CLI::App* at = &app;
    for (const std::string& w : words) {
        auto match = at->get_subcommands([&](const CLI::App* s) { return s->check_name(w); });
        if (match.empty())
            return nullptr;
        at = match.front();
    }
    return at;
}

} // namespace

void register_help_command(CLI::App& app, int& exit_code) {
    const CLI::App* root = &app;
    int* rc = &exit_code;
    auto words = std::make_shared<std::vector<std::string>>();
    auto verbose = std::make_shared<BoolOpt>();
    auto* cmd = app.add_subcommand("help", "Get help about specified command.");
    cmd->add_option("extra-args", *words, "Shows help for a specific command");
    add_bool(cmd, "--verbose", *verbose, "Verbose output format.");
    cmd->callback([=] {
        const CLI::App* target = find_command(*root, *words);
        std::string joined;
        for (const std::string& w : *words)
            joined += (joined.empty() ? "" : " ") + w;
        if (!target || (target != root && target->get_group().empty())) {
            std::cerr << "no such command '" << joined << "'\n";
            *rc = exit_failed;
            return;
        }
        auto commands = target == root ? all_commands(*root) : all_commands(*target);
        if (target != root && commands.empty()) {
            std::cout << (verbose->value() ? usage_long(*target) : "USAGE: " + usage_line(*target))
                      << '\n';
        } else if (verbose->value()) {
            for (const CLI::App* c : commands)
                std::cout << usage_long(*c) << "\n\n";
        } else {
            std::cout << "USAGE: pct <COMMAND> [ARGS] [OPTIONS]\n";
            for (const CLI::App* c : commands)
                std::cout << "       " << usage_line(*c) << '\n';
        }
        *rc = 0;
    });
}

} // namespace pct::cli
