// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-test-vzdump: the conformance suite's way to the C++ API while `pct restore` is not in
// the CLI: `pct-test-vzdump ROOT restore VMID ARCHIVE [--key value]...` with the CLI's option
// names (--storage, --unique, --ignore-unpack-errors, --force, other keys as config options).
// Prints libpct's error and exits 255 on failure, as `pct` does.
#include <pct/runtime/restore.hpp>

#include <cstdio>
#include <string>
#include <string_view>

namespace {

int usage() {
    std::fputs("usage: pct-test-vzdump ROOT restore VMID ARCHIVE [--key value]...\n", stderr);
    return 2;
}

bool truthy(std::string_view v) { return v == "1" || v == "yes" || v == "true"; }

} // namespace

int main(int argc, char** argv) {
    if (argc < 5 || std::string_view(argv[2]) != "restore" || (argc - 5) % 2 != 0)
        return usage();
    pct::storage::Host host(argv[1]);
    pct::Vmid vmid{static_cast<std::uint32_t>(std::stoul(argv[3]))};
    pct::runtime::RestoreOptions options;
    options.archive = argv[4];
    for (int i = 5; i + 1 < argc; i += 2) {
        std::string_view key(argv[i]);
        if (!key.starts_with("--"))
            return usage();
        key.remove_prefix(2);
        std::string value(argv[i + 1]);
        if (key == "storage")
            options.storage = value;
        else if (key == "unique")
            options.unique = truthy(value);
        else if (key == "ignore-unpack-errors")
            options.ignore_unpack_errors = truthy(value);
        else if (key == "force")
            options.force = truthy(value);
        else
            options.options[std::string(key)] = value;
    }
    auto restored = pct::runtime::restore(host, vmid, options);
    if (!restored) {
        std::fprintf(stderr, "%s\n", pct::to_string(restored.error()).c_str());
        return 255;
    }
    return 0;
}
