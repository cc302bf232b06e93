// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct cpusets`: the CPUs each running container may use. Proxmox reads the effective cpuset
// of the CT's cgroup; the kernel shows the same set as `Cpus_allowed_list` of every process in
// that cgroup, so the CT's init answers it without the CLI re-deriving cgroup paths.
#include "commands.hpp"
#include "cpuset_table.hpp"
#include "output_format.hpp"

#include <pct/runtime/container.hpp>
#include <pct/storage/host.hpp>

#include <fstream>
#include <iostream>
#include <memory>

namespace pct::cli {

namespace {

std::optional<std::set<unsigned>> allowed_cpus(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("Cpus_allowed_list:"))
            return parse_cpu_list(line.substr(line.find_first_not_of(" \t", 18)));
    return std::nullopt;
}

// Proxmox has no API call for it: an object of CTID -> the CPU numbers it may use, ascending.
nlohmann::json api_cpusets(const std::map<std::string, std::set<unsigned>>& cpus) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [vmid, set] : cpus)
        out[vmid] = nlohmann::json(std::vector<unsigned>(set.begin(), set.end()));
    return out;
}

} // namespace

void register_cpusets_command(CLI::App& app, const Globals& globals, int& exit_code) {
    const Globals* g = &globals;
    int* rc = &exit_code;
    auto* cmd = app.add_subcommand("cpusets", "Print the list of assigned CPU sets.");
    auto format = std::make_shared<OutputFormat>(OutputFormat::text);
    add_output_format(cmd, *format);
    cmd->callback([=] {
        storage::Host host(g->root);
        auto entries = runtime::list(host);
        if (!entries) {
            *rc = report(entries.error());
            return;
        }
        std::map<std::string, std::set<unsigned>> cpus;
        for (const runtime::ListEntry& e : *entries) {
            auto ct = runtime::Container::open(host, e.vmid);
            int pid = ct ? ct->init_pid() : 0;
            if (pid <= 0)
                continue; // not running
            if (auto set = allowed_cpus(pid))
                cpus[std::to_string(e.vmid.value)] = std::move(*set);
            else // Proxmox warns and goes on with the next CT
                std::cerr << "CT " << e.vmid.value << ": cannot read the CPUs of PID " << pid
                          << '\n';
        }
        if (*format == OutputFormat::text)
            std::cout << format_cpusets(cpus);
        else
            std::cout << render_data(api_cpusets(cpus), *format);
        *rc = 0;
    });
}

} // namespace pct::cli
