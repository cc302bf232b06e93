// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct file lxc`: the LXC config a container config file turns into.
// Exit codes: 0 printed, 1 the config cannot be turned into an LXC config, 2 the file cannot be
// read or is not a container config.
#include "commands.hpp"
#include "config_file.hpp"

#include <pct/lxcconf.hpp>
#include <pct/parse/config.hpp>

#include <iostream>
#include <memory>

namespace pct::cli {

namespace {

struct LxcFileArgs {
    std::string profile = "native";
    std::uint32_t vmid = 0;
    bool with_files = false;
    std::string file;
};

std::string lxcpath_under(const std::string& root) {
    std::string path = root;
    while (!path.empty() && path.back() == '/')
        path.pop_back();
    return path + "/var/lib/lxc";
}

int run_file_lxc(const LxcFileArgs& args, const Globals& globals) {
    auto file = read_config_file(args.file);
    if (!file)
        return exit_not_a_config;

    std::uint32_t vmid = args.vmid ? args.vmid : parse::vmid_from_path(args.file);
    parse::ConfigOptions popts;
    popts.vmid = vmid;
    popts.file = args.file;
    auto parsed = parse::config(file->text, popts);
    if (!parsed) {
        std::cerr << args.file << ": " << parsed.error().message << '\n';
        return 1;
    }
    for (const auto& w : parsed->warnings)
        std::cerr << w.message << '\n';

    lxcconf::GenerateOptions gopts;
    gopts.vmid = vmid;
    lxcconf::HostFacts host;
    if (args.profile == "proxmox") {
        gopts.profile = lxcconf::Profile::proxmox;
        host = lxcconf::HostFacts::proxmox_reference();
    } else {
        gopts.profile = lxcconf::Profile::native;
        auto detected = lxcconf::detect_host(lxcpath_under(globals.root));
        if (!detected) {
            std::cerr << detected.error().message << '\n';
            return 1;
        }
        host = std::move(*detected);
    }

    auto generated = lxcconf::generate(parsed->config, host, gopts);
    if (!generated) {
        std::cerr << args.file << ": " << generated.error().message << '\n';
        return 1;
    }
    for (const auto& w : generated->warnings)
        std::cerr << "warning: " << w << '\n';
    std::cout << generated->config;
    if (args.with_files) {
        for (const auto& f : generated->files)
            std::cout << "### " << f.path << '\n' << f.content;
    }
    return 0;
}

} // namespace

void register_lxc_commands(CLI::App& app, const Globals& globals, int& exit_code) {
    // `file` is the group of offline file commands; it may already have been registered.
    CLI::App* file = nullptr;
    auto found = app.get_subcommands([](CLI::App* sub) { return sub->get_name() == "file"; });
    if (!found.empty())
        file = found.front();
    else
        file = app.add_subcommand("file", "Work on container config files offline");

    auto args = std::make_shared<LxcFileArgs>();
    auto* lxc = file->add_subcommand("lxc", "Print the LXC config generated from a CT config file");
    lxc->add_option("--profile", args->profile,
                    "proxmox: what Proxmox writes (reference host facts); native: for this host")
        ->check(CLI::IsMember({"proxmox", "native"}))
        ->default_val("native");
    lxc->add_option("--vmid", args->vmid, "CTID (default: from the file name, else 100)")
        ->check(CLI::Range(1u, 999999999u));
    lxc->add_flag("--with-files", args->with_files,
                  "Also print each extra file (rules.seccomp) after a '### PATH' line");
    lxc->add_option("FILE", args->file, "Container config file")->required();
    lxc->callback([args, &globals, &exit_code] { exit_code = run_file_lxc(*args, globals); });
}

} // namespace pct::cli
