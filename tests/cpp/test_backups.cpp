// SPDX-License-Identifier: AGPL-3.0-or-later
// Backup files on storage (spec vzdump-format.md §1, §5, §6.2).
#include <pct/storage/backups.hpp>
#include <pct/storage/host.hpp>

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace pct;
using namespace pct::storage;
using pct::test::read_text;
using pct::test::TempDir;
using pct::test::write_text;
namespace fs = std::filesystem;

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

TEST_CASE("backups: notes template escapes and variables") {
    NotesVars vars{.guestname = "web1", .node = "pve1", .vmid = 105};
    CHECK(render_notes_template("{{guestname}} on {{node}} ({{vmid}}), {{cluster}}", vars) ==
          "web1 on pve1 (105), standalone node");
    CHECK(render_notes_template(R"(a\nb\\c\\n)", vars) == "a\nb\\c\\n");
    CHECK(render_notes_template(R"(trailing\)", vars) == "trailing\\");
    CHECK(render_notes_template("{{{vmid}}} {{ vmid }} {vmid}", vars) == "{105} {{ vmid }} {vmid}");
    CHECK(render_notes_template("", vars) == "");
    vars.guestname.clear();
    vars.cluster = "prod";
    CHECK(render_notes_template("{{guestname}}@{{cluster}}", vars) == "CT105@prod");

    // The length cap counts characters, not bytes.
    CHECK(render_notes_template(std::string(1024, 'x'), vars));
    std::string umlauts;
    for (int i = 0; i < 1024; ++i)
        umlauts += "\xc3\xa4";
    CHECK(render_notes_template(umlauts, vars));

    struct Bad {
        std::string tmpl;
        const char* message;
    };
    for (const auto& bad : {Bad{std::string(1025, 'x'), "value may only be 1024 characters long"},
                            Bad{umlauts + "a", "value may only be 1024 characters long"},
                            Bad{"two\nlines", "value must be a single line"},
                            Bad{"cr\r", "value must be a single line"},
                            Bad{R"(tab\t)", "unexpected escape character 't'"},
                            Bad{R"(\{{vmid}})", "unexpected escape character '{'"},
                            Bad{"{{hostname}}", "unexpected variable name 'hostname'"},
                            Bad{"{{vmid}} {{VMID}}", "unexpected variable name 'VMID'"},
                            Bad{"{{a{{vmid}}}}", "unexpected variable name 'a105'"}}) {
        CAPTURE(bad.tmpl);
        auto r = render_notes_template(bad.tmpl, vars);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::invalid_argument);
        CHECK(r.error().key == "notes-template");
        CHECK(r.error().message == bad.message);
    }
}

TEST_CASE("backups: prune-backups property string") {
    CHECK(parse_prune_backups("keep-last=3") == PruneOptions{.keep_last = 3});
    CHECK(parse_prune_backups("keep-daily=7,keep-last=3,,keep-yearly=0") ==
          PruneOptions{.keep_last = 3, .keep_daily = 7, .keep_yearly = 0});
    // No positive count keeps everything (validate_prune_backups).
    for (const char* all : {"", "keep-all=1", "keep-all=0", "keep-last=0,keep-daily=0",
                            "keep-all=yes,keep-last=0", "keep-weekly=-0"}) {
        CAPTURE(all);
        CHECK(parse_prune_backups(all) == PruneOptions{.keep_all = true});
    }
    CHECK(parse_prune_backups("keep-all=0,keep-hourly=2") == PruneOptions{.keep_hourly = 2});

    CHECK(format_prune_backups(PruneOptions{.keep_all = true}) == "keep-all=1");
    CHECK(format_prune_backups(PruneOptions{.keep_last = 3,
                                            .keep_hourly = 0,
                                            .keep_daily = 7,
                                            .keep_weekly = 4,
                                            .keep_monthly = 6,
                                            .keep_yearly = 1}) ==
          "keep-daily=7,keep-hourly=0,keep-last=3,keep-monthly=6,keep-weekly=4,keep-yearly=1");
    for (const char* text : {"keep-all=1", "keep-last=3", "keep-daily=7,keep-monthly=1"}) {
        auto options = parse_prune_backups(text);
        REQUIRE(options);
        CHECK(format_prune_backups(*options) == text);
    }

    struct Bad {
        const char* text;
        const char* message;
        const char* subkey;
    };
    for (auto bad :
         {Bad{"keep-all=1,keep-last=1", "keep-all cannot be set together with other options.", ""},
          Bad{"keep-last=1,keep-last=2",
              "duplicate key in comma-separated list property: keep-last", "keep-last"},
          Bad{"keep-lastt=1",
              "property is not defined in schema and the schema does not allow additional "
              "properties",
              "keep-lastt"},
          Bad{"keep-last=-1", "value must have a minimum value of 0", "keep-last"},
          Bad{"keep-last=1.5", "type check ('integer') failed - got '1.5'", "keep-last"},
          Bad{"keep-last= 1", "type check ('integer') failed - got ' 1'", "keep-last"},
          Bad{"keep-all=maybe", "type check ('boolean') failed - got 'maybe'", "keep-all"},
          Bad{"3", "value without key, but schema does not define a default key", ""},
          Bad{"keep-last=", "missing key in comma-separated list property", ""}}) {
        CAPTURE(bad.text);
        auto r = parse_prune_backups(bad.text);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::parse);
        CHECK(r.error().key == "prune-backups");
        CHECK(r.error().subkey == bad.subkey);
        CHECK(r.error().message == bad.message);
    }
}

namespace {

// An entry as list_backups makes it, from a name alone.
BackupEntry entry_named(const std::string& name, bool is_protected = false) {
    BackupEntry entry;
    entry.path = "/dump/" + name;
    if (auto info = archive_info(name)) {
        entry.info = *info;
    } else {
        entry.info.filename = name;
        entry.info.type = "unknown";
    }
    entry.is_protected = is_protected;
    return entry;
}

// pve-storage's prune test list (src/test/prune_backups_test.pm, "default"): per vmid five
// qemu backups and a protected one around 2020-01-01 12:18:21 UTC, one lxc backup, one
// renamed file.
std::vector<BackupEntry> proxmox_default_list(std::uint64_t vmid) {
    auto id = std::to_string(vmid);
    return {entry_named("vzdump-qemu-" + id + "-2018_05_26-11_18_21.tar.zst"),
            entry_named("vzdump-qemu-" + id + "-2019_12_31-11_18_21.tar.zst"),
            entry_named("vzdump-qemu-" + id + "-2019_12_31-11_18_51.tar.zst", true),
            entry_named("vzdump-qemu-" + id + "-2019_12_31-11_19_21.tar.zst"),
            entry_named("vzdump-qemu-" + id + "-2020_01_01-11_18_21.tar.zst"),
            entry_named("vzdump-qemu-" + id + "-2020_01_01-12_18_21.tar.zst"),
            entry_named("vzdump-lxc-" + id + "-2020_01_01-12_18_21.tar.zst"),
            entry_named("vzdump-" + id + "-renamed.tar.zst")};
}

std::vector<std::string> mark_names(const std::vector<std::pair<BackupEntry, PruneMark>>& marks) {
    std::vector<std::string> names;
    for (const auto& [entry, mark] : marks)
        names.emplace_back(prune_mark_name(mark));
    return names;
}

} // namespace

TEST_CASE("backups: prune marks are pve-storage's (its own test cases)") {
    use_time_zone("UTC"); // the names of Proxmox's test list are UTC times
    struct Case {
        const char* description;
        PruneOptions keep;
        // marks of the five unprotected qemu backups (oldest first) and the lxc one
        std::array<const char*, 6> marks;
    };
    const Case cases[] = {
        {"last=3", {.keep_last = 3}, {"remove", "remove", "keep", "keep", "keep", "keep"}},
        {"weekly=2", {.keep_weekly = 2}, {"keep", "remove", "remove", "remove", "keep", "keep"}},
        {"daily=weekly=monthly=1, hourly=0",
         {.keep_hourly = 0, .keep_daily = 1, .keep_weekly = 1, .keep_monthly = 1},
         {"keep", "remove", "keep", "remove", "keep", "keep"}},
        {"hourly=4, daily=0",
         {.keep_hourly = 4, .keep_daily = 0},
         {"keep", "remove", "keep", "keep", "keep", "keep"}},
        {"yearly=2, others 0",
         {.keep_hourly = 0, .keep_daily = 0, .keep_weekly = 0, .keep_monthly = 0, .keep_yearly = 2},
         {"remove", "remove", "keep", "remove", "keep", "keep"}},
        {"last=2, hourly=2",
         {.keep_last = 2, .keep_hourly = 2},
         {"keep", "remove", "keep", "keep", "keep", "keep"}},
        {"last=1, monthly=2",
         {.keep_last = 1, .keep_monthly = 2},
         {"keep", "remove", "keep", "remove", "keep", "keep"}},
        {"monthly=3", {.keep_monthly = 3}, {"keep", "remove", "keep", "remove", "keep", "keep"}},
        {"last=daily=weekly=1",
         {.keep_last = 1, .keep_daily = 1, .keep_weekly = 1},
         {"keep", "remove", "keep", "remove", "keep", "keep"}},
        {"last=daily=weekly=1, others zero",
         {.keep_last = 1,
          .keep_hourly = 0,
          .keep_daily = 1,
          .keep_weekly = 1,
          .keep_monthly = 0,
          .keep_yearly = 0},
         {"keep", "remove", "keep", "remove", "keep", "keep"}},
        {"daily=2", {.keep_daily = 2}, {"remove", "remove", "keep", "remove", "keep", "keep"}},
        {"weekly=monthly=1",
         {.keep_weekly = 1, .keep_monthly = 1},
         {"keep", "remove", "remove", "remove", "keep", "keep"}},
        {"weekly=yearly=1",
         {.keep_weekly = 1, .keep_yearly = 1},
         {"keep", "remove", "remove", "remove", "keep", "keep"}},
        {"all missing", {}, {"keep", "keep", "keep", "keep", "keep", "keep"}},
        {"all zero",
         {.keep_last = 0, .keep_hourly = 0, .keep_daily = 0, .keep_weekly = 0, .keep_yearly = 0},
         {"keep", "keep", "keep", "keep", "keep", "keep"}},
        {"keep-all", {.keep_all = true}, {"keep", "keep", "keep", "keep", "keep", "keep"}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.description);
        std::vector<BackupEntry> list = proxmox_default_list(1234);
        for (auto& entry : proxmox_default_list(9001))
            list.push_back(std::move(entry));
        auto marks = prune_marks(list, c.keep);
        REQUIRE(marks.size() == list.size());
        for (std::size_t vm = 0; vm < 2; ++vm) {
            std::vector<std::string> got = mark_names(marks);
            std::vector<std::string> expected{c.marks[0], c.marks[1], "protected", c.marks[2],
                                              c.marks[3], c.marks[4], c.marks[5],  "renamed"};
            CHECK(std::vector(got.begin() + long(vm * 8), got.begin() + long(vm * 8 + 8)) ==
                  expected);
            CHECK(marks[vm * 8].first == list[vm * 8]); // entries come back unchanged
        }
    }

    // "yearly=1, year before 2000"
    auto marks = prune_marks({entry_named("vzdump-lxc-321-1970_01_01-00_01_23.tar.zst"),
                              entry_named("vzdump-lxc-321-2070_01_01-00_01_00.tar.zst")},
                             {.keep_yearly = 1});
    CHECK(mark_names(marks) == std::vector<std::string>{"remove", "keep"});
    // "last=1, no vmid": a renamed file is never pruned.
    marks = prune_marks({entry_named("vzdump-lxc-novmid.tar.gz")}, {.keep_last = 1});
    CHECK(mark_names(marks) == std::vector<std::string>{"renamed"});
    // "daily=weekly=monthly=1": the month is already covered by the backup kept weekly.
    marks = prune_marks({entry_named("vzdump-qemu-7654-2019_12_25-12_18_21.tar.zst"),
                         entry_named("vzdump-qemu-7654-2019_12_31-12_18_21.tar.zst"),
                         entry_named("vzdump-qemu-7654-2020_01_01-12_18_21.tar.zst")},
                        {.keep_daily = 1, .keep_weekly = 1, .keep_monthly = 1});
    CHECK(mark_names(marks) == std::vector<std::string>{"keep", "remove", "keep"});
    // "daily=weekly=1, week boundary": ISO weeks start on Monday (2020-12-07).
    marks = prune_marks({entry_named("vzdump-qemu-7654-2020_12_03-12_18_21.tar.zst"),
                         entry_named("vzdump-qemu-7654-2020_12_04-12_18_21.tar.zst"),
                         entry_named("vzdump-qemu-7654-2020_12_07-12_18_21.tar.zst")},
                        {.keep_daily = 1, .keep_weekly = 1});
    CHECK(mark_names(marks) == std::vector<std::string>{"remove", "keep", "keep"});
}

TEST_CASE("backups: prune buckets are local days") {
    // 22:30 and 23:30 UTC on 2026-03-01 are two different days in Vienna (UTC+1), one in UTC.
    std::vector<BackupEntry> list{entry_named("vzdump-lxc-100-2026_03_01-22_30_00.tar"),
                                  entry_named("vzdump-lxc-100-2026_03_01-23_30_00.tar")};
    use_time_zone("UTC");
    CHECK(mark_names(prune_marks(list, {.keep_daily = 2})) ==
          std::vector<std::string>{"remove", "keep"});
    // The names are local time, so move the same instants into Vienna's names.
    use_time_zone("Europe/Vienna");
    std::vector<BackupEntry> vienna{entry_named("vzdump-lxc-100-2026_03_01-23_30_00.tar"),
                                    entry_named("vzdump-lxc-100-2026_03_02-00_30_00.tar")};
    CHECK(mark_names(prune_marks(vienna, {.keep_daily = 2})) ==
          std::vector<std::string>{"keep", "keep"});
}

namespace {

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

} // namespace

TEST_CASE("backups: list_backups reads a dump directory") {
    use_time_zone("UTC");
    TempDir tmp;
    const std::string dump = tmp.sub("dump");
    const std::string a = dump + "/vzdump-lxc-100-2026_01_02-03_04_05.tar.zst";
    const std::string b = dump + "/vzdump-lxc-100-2026_01_03-03_04_05.tar";
    write_text(a, "12345");
    write_text(a + ".notes", "first line\nsecond line\n");
    write_text(a + ".protected", "");
    write_text(b, "");
    write_text(dump + "/vzdump-lxc-100-2026_01_02-03_04_05.log", "log");
    write_text(dump + "/vzdump-lxc-1000-2026_01_02-03_04_05.tar.gz", "other guest");
    write_text(dump + "/vzdump-qemu-101-2026_01_02-03_04_05.vma.zst", "vm");
    write_text(dump + "/my-copy-100-of-ct.tar.lzo", "renamed by hand");
    write_text(dump + "/vzdump-lxc-100-2026_01_04-03_04_05.tar.dat", "unfinished");
    write_text(dump + "/vzdump-lxc-100-2026_01_04-03_04_05.tar.xz", "not a backup");
    fs::create_directory(dump + "/vzdump-lxc-100-2026_01_05-03_04_05.tar");
    fs::create_symlink(a, dump + "/vzdump-lxc-100-2026_01_06-03_04_05.tar.zst");

    auto all = list_backups(dump);
    REQUIRE(all);
    std::vector<std::string> names;
    for (const auto& e : *all)
        names.push_back(e.info.filename);
    CHECK(names == std::vector<std::string>{"my-copy-100-of-ct.tar.lzo",
                                            "vzdump-lxc-100-2026_01_02-03_04_05.tar.zst",
                                            "vzdump-lxc-100-2026_01_03-03_04_05.tar",
                                            "vzdump-lxc-1000-2026_01_02-03_04_05.tar.gz",
                                            "vzdump-qemu-101-2026_01_02-03_04_05.vma.zst"});
    const BackupEntry& renamed = (*all)[0];
    CHECK(renamed.info.type == "unknown");
    CHECK(renamed.info.vmid == 100); // from `-100-` as list_volumes does
    CHECK_FALSE(renamed.info.is_std_name);
    CHECK(renamed.info.format == "tar");
    CHECK(renamed.info.compression == "lzo");
    const BackupEntry& first = (*all)[1];
    CHECK(first.path == a);
    CHECK(first.size == 5);
    CHECK(first.is_protected);
    CHECK(first.notes == "first line");
    CHECK(first.info.vmid == 100);
    CHECK_FALSE((*all)[2].is_protected);
    CHECK((*all)[2].notes.empty());

    auto ct100 = list_backups(dump, Vmid{100});
    REQUIRE(ct100);
    REQUIRE(ct100->size() == 3);
    CHECK((*ct100)[0].info.filename == "my-copy-100-of-ct.tar.lzo");
    CHECK((*ct100)[2].path == b);
    CHECK(list_backups(dump, Vmid{101})->size() == 1);
    CHECK(list_backups(dump, Vmid{102})->empty());

    auto missing = list_backups(tmp.sub("nope"));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
}

TEST_CASE("backups: remove, protect and notes side files") {
    TempDir tmp;
    const std::string archive = tmp.sub("vzdump-lxc-100-2026_01_02-03_04_05.tar.zst");
    const std::string log = tmp.sub("vzdump-lxc-100-2026_01_02-03_04_05.log");
    write_text(archive, "data");
    write_text(log, "log");

    REQUIRE(set_backup_notes(archive, "hello\nworld"));
    CHECK(read_text(archive + ".notes") == "hello\nworld");
    struct stat st {};
    REQUIRE(::stat((archive + ".notes").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0644);
    REQUIRE(set_backup_notes(archive, ""));
    CHECK_FALSE(exists(archive + ".notes"));
    REQUIRE(set_backup_notes(archive, "")); // deleting absent notes is fine
    REQUIRE(set_backup_notes(archive, "kept"));

    REQUIRE(set_backup_protected(archive, true));
    REQUIRE(::stat((archive + ".protected").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0644);
    CHECK(st.st_size == 0);
    REQUIRE(set_backup_protected(archive, true)); // already protected

    auto refused = remove_backup(archive);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::bad_state);
    CHECK(refused.error().message == "cannot remove protected archive '" + archive + "'");
    CHECK(exists(archive));
    CHECK(exists(log));
    CHECK(exists(archive + ".notes"));

    REQUIRE(set_backup_protected(archive, false));
    CHECK_FALSE(exists(archive + ".protected"));
    REQUIRE(set_backup_protected(archive, false));
    REQUIRE(remove_backup(archive));
    CHECK_FALSE(exists(archive));
    CHECK_FALSE(exists(log));
    CHECK_FALSE(exists(archive + ".notes"));
    REQUIRE(remove_backup(archive)); // a missing archive is no error (Proxmox's ENOENT rule)

    // Non-standard names keep their side files; a missing archive cannot get attributes.
    const std::string odd = tmp.sub("vzdump-lxc-100-copy.tar");
    write_text(odd, "x");
    write_text(odd + ".notes", "n");
    REQUIRE(remove_backup(odd));
    CHECK(exists(odd + ".notes"));
    for (auto r : {set_backup_protected(odd, true), set_backup_notes(odd, "x")}) {
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::not_found);
        CHECK(r.error().message == "backup file '" + odd + "' does not exist");
    }
}

TEST_CASE("backups: prune_backups removes by the rules, never protected or renamed") {
    use_time_zone("UTC");
    TempDir tmp;
    auto make = [&](const std::string& name) {
        write_text(tmp.sub(name), name);
        return tmp.sub(name);
    };
    // Four daily backups, the oldest protected, a renamed one, a VM's and another CT's.
    const std::string d1 = make("vzdump-lxc-100-2026_01_01-01_00_00.tar.zst");
    const std::string d2 = make("vzdump-lxc-100-2026_01_02-01_00_00.tar.zst");
    const std::string d3 = make("vzdump-lxc-100-2026_01_03-01_00_00.tar");
    const std::string d4 = make("vzdump-lxc-100-2026_01_04-01_00_00.tar.zst");
    make("vzdump-lxc-100-2026_01_02-01_00_00.log");
    make("vzdump-lxc-100-2026_01_02-01_00_00.tar.zst.notes");
    make("vzdump-lxc-100-2026_01_03-01_00_00.log");
    REQUIRE(set_backup_protected(d1, true));
    const std::string renamed = make("vzdump-lxc-100-before-upgrade.tar.zst");
    const std::string vm = make("vzdump-qemu-100-2026_01_01-01_00_00.vma.zst");
    const std::string other = make("vzdump-lxc-101-2026_01_01-01_00_00.tar.zst");

    auto dry = prune_backups(tmp.path(), Vmid{100}, {.keep_last = 1}, true);
    REQUIRE(dry);
    CHECK(*dry == std::vector<std::string>{d2, d3});
    CHECK(exists(d2));

    auto removed = prune_backups(tmp.path(), Vmid{100}, {.keep_last = 1}, false);
    REQUIRE(removed);
    CHECK(*removed == std::vector<std::string>{d2, d3});
    CHECK_FALSE(exists(d2));
    CHECK_FALSE(exists(d3));
    CHECK_FALSE(exists(tmp.sub("vzdump-lxc-100-2026_01_02-01_00_00.log")));
    CHECK_FALSE(exists(tmp.sub("vzdump-lxc-100-2026_01_02-01_00_00.tar.zst.notes")));
    CHECK_FALSE(exists(tmp.sub("vzdump-lxc-100-2026_01_03-01_00_00.log")));
    for (const auto& kept : {d1, d1 + ".protected", d4, renamed, vm, other})
        CHECK(exists(kept));

    auto all = prune_backups(tmp.path(), Vmid{100}, {.keep_all = true}, false);
    REQUIRE(all);
    CHECK(all->empty());
    CHECK(exists(d4));
}

TEST_CASE("backups: protected limit") {
    TempDir tmp;
    const std::string a = tmp.sub("vzdump-lxc-100-2026_01_01-01_00_00.tar");
    const std::string b = tmp.sub("vzdump-lxc-100-2026_01_02-01_00_00.tar");
    write_text(a, "");
    write_text(b, "");
    write_text(tmp.sub("vzdump-lxc-101-2026_01_01-01_00_00.tar"), "");
    write_text(tmp.sub("vzdump-lxc-101-2026_01_01-01_00_00.tar.protected"), "");
    CHECK(check_protected_limit(tmp.path(), Vmid{100}, 1, "local"));
    REQUIRE(set_backup_protected(a, true));
    auto r = check_protected_limit(tmp.path(), Vmid{100}, 1, "local");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::bad_state);
    CHECK(r.error().message ==
          "The number of protected backups per guest is limited to 1 on storage 'local'");
    CHECK(check_protected_limit(tmp.path(), Vmid{100}, 2, "local"));
    CHECK(check_protected_limit(tmp.path(), Vmid{100}, -1, "local"));
    CHECK_FALSE(check_protected_limit(tmp.path(), Vmid{100}, 0, "local"));
}

TEST_CASE("backups: storage dump directory and retention options") {
    TempDir root;
    write_text(root.sub("etc/pve/storage.cfg"),
               "dir: local\n\tpath /var/lib/vz\n\tcontent backup,rootdir,vztmpl\n"
               "\tprune-backups keep-last=3,keep-daily=2\n\tmax-protected-backups 4\n\n"
               "dir: moved\n\tpath /srv/moved\n\tcontent backup,images\n"
               "\tcontent-dirs backup=my/dumps\n\n"
               "dir: noback\n\tpath /srv/noback\n\tcontent rootdir,images\n\n"
               "dir: badprune\n\tpath /srv/bad\n\tcontent backup\n"
               "\tprune-backups keep-all=1,keep-last=1\n\n");
    storage::Host host(root.path());

    auto local = backup_dir(host, "local");
    REQUIRE(local);
    CHECK(*local == root.sub("var/lib/vz/dump"));
    CHECK(fs::is_directory(*local)); // activation creates it, as Proxmox does
    auto moved = backup_dir(host, "moved");
    REQUIRE(moved);
    CHECK(*moved == root.sub("srv/moved/my/dumps"));

    auto noback = backup_dir(host, "noback");
    REQUIRE_FALSE(noback);
    CHECK(noback.error().code == Errc::invalid_argument);
    CHECK(noback.error().message == "can't use storage 'noback' for backups - wrong content type");
    auto unknown = backup_dir(host, "nope");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == Errc::not_found);

    CHECK(storage_prune_options(host, "local") == PruneOptions{.keep_last = 3, .keep_daily = 2});
    CHECK(storage_prune_options(host, "moved") == PruneOptions{.keep_all = true});
    auto bad = storage_prune_options(host, "badprune");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::parse);
    CHECK(bad.error().message == "keep-all cannot be set together with other options.");
    CHECK(bad.error().context == "storage 'badprune'");

    CHECK(storage_max_protected_backups(host, "local") == 4);
    CHECK(storage_max_protected_backups(host, "moved") == -1);
    CHECK_FALSE(storage_max_protected_backups(host, "nope"));
}
