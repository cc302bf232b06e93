// SPDX-License-Identifier: AGPL-3.0-or-later
// libpct from C++: load a container config, move its first network interface to another
// bridge with the typed value (pct::NetInterface), and write the file back losslessly with
// pct::edit (comments and line order stay). Errors carry file, line, key and sub-key.
//
//   ./edit_net /etc/pve/lxc/101.conf [BRIDGE]
#include <pct/edit.hpp>
#include <pct/parse/config.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace {

int report(const pct::Error& error) {
    std::cerr << "error: " << pct::to_string(error) << '\n';
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    std::string path = argc > 1 ? argv[1] : "101.conf";
    std::string bridge = argc > 2 ? argv[2] : "vmbr1";

    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "error: cannot read " << path << '\n';
        return 1;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();

    pct::parse::ConfigOptions options;
    options.vmid = pct::parse::vmid_from_path(path);
    options.file = path;
    auto parsed = pct::parse::config(text, options);
    if (!parsed)
        return report(parsed.error());
    for (const pct::Diagnostic& w : parsed->warnings)
        std::cout << "warning: line " << w.line << ": " << w.message << '\n';

    // The typed value is a copy: change it, print it, store the text back.
    auto stored = parsed->config.main.get("net0");
    if (!stored) {
        std::cerr << "error: " << path << " has no net0\n";
        return 1;
    }
    auto net = pct::parse::net(*stored);
    if (!net)
        return report(net.error());
    net->bridge = bridge;
    auto line = pct::render::net(*net);
    if (!line)
        return report(line.error());
    std::cout << "net0: " << *line << '\n';

    auto edited = pct::edit::set(text, pct::edit::Target{"", "net0"}, *line);
    if (!edited)
        return report(edited.error());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << *edited;
    std::cout << "saved " << path << " (was digest " << parsed->digest << ")\n";
    return 0;
}
