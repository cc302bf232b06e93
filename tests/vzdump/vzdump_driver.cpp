// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-test-vzdump: the conformance suite's way to the C++ API while `pct restore` / `pct backup`
// are not in the CLI:
//   pct-test-vzdump ROOT restore VMID ARCHIVE [--key value]...  (--storage, --unique,
//       --ignore-unpack-errors, --force; other keys are config options)
//   pct-test-vzdump ROOT backup VMID [--dumpdir D] [--mode M] [--compress C]
// Prints libpct's error and exits 255 on failure, as `pct` does; backup prints its log.
#include <pct/runtime/restore.hpp>
#if __has_include(<pct/runtime/backup.hpp>)
#include <pct/runtime/backup.hpp>
#define PCT_TEST_HAVE_BACKUP 1
#endif

#include <cstdio>
#include <string>
#include <string_view>

namespace {

int usage() {
    std::fputs("usage: pct-test-vzdump ROOT restore VMID ARCHIVE [--key value]...\n"
               "       pct-test-vzdump ROOT backup VMID [--dumpdir D] [--mode M] [--compress C]\n",
               stderr);
    return 2;
}

bool truthy(std::string_view v) { return v == "1" || v == "yes" || v == "true"; }

} // namespace

#ifdef PCT_TEST_HAVE_BACKUP
int backup(const pct::storage::Host& host, pct::Vmid vmid, int argc, char** argv) {
    pct::runtime::BackupOptions options;
    options.log = [](std::string_view line) {
        std::printf("%.*s\n", int(line.size()), line.data());
    };
    for (int i = 4; i + 1 < argc; i += 2) {
        std::string_view key(argv[i]);
        std::string value(argv[i + 1]);
        if (key == "--dumpdir") {
            options.dumpdir = value;
        } else if (key == "--mode") {
            auto mode = pct::runtime::parse_backup_mode(value);
            if (!mode)
                return usage();
            options.mode = *mode;
        } else if (key == "--compress") {
            auto compress = pct::storage::parse_compression(value);
            if (!compress)
                return usage();
            options.compress = *compress;
        } else {
            return usage();
        }
    }
    auto report = pct::runtime::backup(host, vmid, options);
    if (!report) {
        std::fprintf(stderr, "%s\n", pct::to_string(report.error()).c_str());
        return 255;
    }
    return 0;
}
#endif

int main(int argc, char** argv) {
    if (argc < 4)
        return usage();
    pct::storage::Host host(argv[1]);
    pct::Vmid vmid{static_cast<std::uint32_t>(std::stoul(argv[3]))};
#ifdef PCT_TEST_HAVE_BACKUP
    if (std::string_view(argv[2]) == "backup" && argc % 2 == 0)
        return backup(host, vmid, argc, argv);
#endif
    if (argc < 5 || std::string_view(argv[2]) != "restore" || (argc - 5) % 2 != 0)
        return usage();
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
