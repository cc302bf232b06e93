// SPDX-License-Identifier: AGPL-3.0-or-later
// Backup files on storage (spec vzdump-format.md §1, §5, §6.2).
#include <pct/storage/backups.hpp>

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <string>

using namespace pct;
using namespace pct::storage;

namespace {

// Names are local time: every case that builds or parses one fixes the zone first.
void use_time_zone(const char* tz) {
    ::setenv("TZ", tz, 1);
    ::tzset();
}

} // namespace

TEST_CASE("backups: basename is vzdump-lxc-<id>-<local start time>") {
    use_time_zone("UTC");
    CHECK(backup_basename(Vmid{100}, 0) == "vzdump-lxc-100-1970_01_01-00_00_00");
    CHECK(backup_basename(Vmid{999999999}, 1767322800 + 3 * 3600 + 4 * 60 + 5) ==
          "vzdump-lxc-999999999-2026_01_02-06_04_05");
    use_time_zone("Europe/Vienna"); // UTC+1 in winter, UTC+2 in summer
    CHECK(backup_basename(Vmid{101}, 1767322800) == "vzdump-lxc-101-2026_01_02-04_00_00");
    CHECK(backup_basename(Vmid{101}, 1782993600) == "vzdump-lxc-101-2026_07_02-14_00_00");
}

TEST_CASE("backups: compression names and extensions") {
    CHECK(backup_extension(BackupCompression::none) == ".tar");
    CHECK(backup_extension(BackupCompression::gzip) == ".tar.gz");
    CHECK(backup_extension(BackupCompression::lzo) == ".tar.lzo");
    CHECK(backup_extension(BackupCompression::zstd) == ".tar.zst");

    CHECK(parse_compression("0") == BackupCompression::none);
    CHECK(parse_compression("1") == BackupCompression::lzo);
    CHECK(parse_compression("lzo") == BackupCompression::lzo);
    CHECK(parse_compression("gzip") == BackupCompression::gzip);
    CHECK(parse_compression("zstd") == BackupCompression::zstd);
    for (const char* bad : {"", "2", "gz", "zst", "ZSTD", "bzip2", "xz", "pigz", " 0"}) {
        CAPTURE(bad);
        auto r = parse_compression(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().key == "compress");
        CHECK(r.error().message ==
              "value '" + std::string(bad) +
                  "' does not have a value in the enumeration '0, 1, gzip, lzo, zstd'");
    }
}

TEST_CASE("backups: temp name replaces the last extension with .dat") {
    CHECK(temp_archive_name("vzdump-lxc-100-2026_01_02-03_04_05.tar.zst") ==
          "vzdump-lxc-100-2026_01_02-03_04_05.tar.dat");
    CHECK(temp_archive_name("vzdump-lxc-100-2026_01_02-03_04_05.tar") ==
          "vzdump-lxc-100-2026_01_02-03_04_05.dat");
    CHECK(temp_archive_name("/var/lib/vz/dump/vzdump-lxc-100-2026_01_02-03_04_05.tar.gz") ==
          "/var/lib/vz/dump/vzdump-lxc-100-2026_01_02-03_04_05.tar.dat");
    CHECK(temp_archive_name("/a.b/noext") == "/a.b/noext.dat");
}

TEST_CASE("backups: archive_info of standard names") {
    use_time_zone("Europe/Vienna");
    auto info = archive_info("vzdump-lxc-100-2026_01_02-03_04_05.tar.zst");
    REQUIRE(info);
    CHECK(info->filename == "vzdump-lxc-100-2026_01_02-03_04_05.tar.zst");
    CHECK(info->type == "lxc");
    CHECK(info->vmid == 100);
    CHECK(info->is_std_name);
    CHECK(info->format == "tar");
    CHECK(info->compression == "zst");
    CHECK(info->ctime == std::time_t{1767319445}); // 2026-01-02 02:04:05 UTC
    CHECK(info->log_filename == "vzdump-lxc-100-2026_01_02-03_04_05.log");
    CHECK(info->notes_filename == "vzdump-lxc-100-2026_01_02-03_04_05.tar.zst.notes");
    CHECK(info->protected_filename == "vzdump-lxc-100-2026_01_02-03_04_05.tar.zst.protected");

    // A directory part is ignored; summer time is local too (UTC+2).
    info = archive_info("/var/lib/vz/dump/vzdump-qemu-999999999-2026_07_02-14_00_00.vma.lzo");
    REQUIRE(info);
    CHECK(info->filename == "vzdump-qemu-999999999-2026_07_02-14_00_00.vma.lzo");
    CHECK(info->type == "qemu");
    CHECK(info->vmid == 999999999);
    CHECK(info->format == "vma");
    CHECK(info->compression == "lzo");
    CHECK(info->ctime == std::time_t{1782993600});

    struct Case {
        const char* name;
        const char* format;
        const char* compression;
    };
    for (auto c : {Case{"vzdump-lxc-100-2026_01_02-03_04_05.tar", "tar", ""},
                   Case{"vzdump-lxc-100-2026_01_02-03_04_05.tar.gz", "tar", "gz"},
                   Case{"vzdump-lxc-100-2026_01_02-03_04_05.tar.lzo", "tar", "lzo"},
                   Case{"vzdump-lxc-100-2026_01_02-03_04_05.tar.bz2", "tar", "bz2"},
                   Case{"vzdump-openvz-100-2026_01_02-03_04_05.tgz", "tar", "gz"},
                   Case{"vzdump-qemu-100-2026_01_02-03_04_05.vma", "vma", ""},
                   Case{"vzdump-qemu-100-2026_01_02-03_04_05.vma.zst", "vma", "zst"}}) {
        CAPTURE(c.name);
        info = archive_info(c.name);
        REQUIRE(info);
        CHECK(info->is_std_name);
        CHECK(info->format == c.format);
        CHECK(info->compression == c.compression);
    }
}

TEST_CASE("backups: archive_info of other names") {
    use_time_zone("UTC");
    // Recognised, listed and restorable, but not standard: no vmid, ctime or side-file names.
    for (const char* name :
         {"vzdump-lxc-99-2026_01_02-03_04_05.tar",         // vmid < 100
          "vzdump-lxc-1000000000-2026_01_02-03_04_05.tar", // > 999999999
          "vzdump-lxc-0100-2026_01_02-03_04_05.tar",       // leading zero
          "vzdump-lxc-100-2026_01_02.tar",                 // no time
          "vzdump-lxc-100-2026_01_02-03_04_05-copy.tar.zst", "vzdump-lxc-my-backup.tar.gz",
          "vzdump-lxc-100-2026-01-02.tgz", "vzdump-lxc-100-2026_01_02-03_04_05.tar.tar"}) {
        CAPTURE(name);
        auto info = archive_info(name);
        REQUIRE(info);
        CHECK_FALSE(info->is_std_name);
        CHECK(info->vmid == 0);
        CHECK_FALSE(info->ctime);
        CHECK(info->log_filename.empty());
        CHECK(info->notes_filename.empty());
        CHECK(info->protected_filename == std::string(name) + ".protected");
    }
    auto info = archive_info("vzdump-lxc-100-2026_01_02-03_04_05.tar.tar");
    REQUIRE(info);
    CHECK(info->format == "tar");
    CHECK(info->compression.empty());

    // Not a backup at all.
    for (const char* name :
         {"vzdump-lxc-100-2026_01_02-03_04_05.tar.xz",
          "vzdump-lxc-100-2026_01_02-03_04_05.tar.zstd", "vzdump-lxc-100-2026_01_02-03_04_05.log",
          "vzdump-lxc-100-2026_01_02-03_04_05.tar.zst.notes",
          "vzdump-lxc-100-2026_01_02-03_04_05.tar.dat", "vzdump-lxc-100-2026_01_02-03_04_05.tgz.gz",
          "vzdump-lxc-.tar", "vzdump-kvm-100-2026_01_02-03_04_05.tar",
          "backup-lxc-100-2026_01_02-03_04_05.tar", "vzdump-lxc-100.TAR", "", "/"}) {
        CAPTURE(name);
        CHECK_FALSE(archive_info(name));
    }

    // timelocal dies on an impossible date, so archive_info refuses the name.
    for (const char* name :
         {"vzdump-lxc-100-2026_13_02-03_04_05.tar", "vzdump-lxc-100-2026_02_29-03_04_05.tar",
          "vzdump-lxc-100-2026_01_02-24_04_05.tar"}) {
        CAPTURE(name);
        CHECK_FALSE(archive_info(name));
    }
    CHECK(archive_info("vzdump-lxc-100-2028_02_29-03_04_05.tar"));
}
