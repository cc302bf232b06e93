// SPDX-License-Identifier: AGPL-3.0-or-later
// Backup file names (spec vzdump-format.md §1.1, §5): pve-storage's archive_info and
// vzdump's naming.
#include <pct/storage/backups.hpp>

#include <fmt/format.h>

#include <array>
#include <regex>

namespace pct::storage {

std::string backup_basename(Vmid vmid, std::time_t start) {
    std::tm tm{};
    localtime_r(&start, &tm);
    std::array<char, 32> stamp{};
    std::strftime(stamp.data(), stamp.size(), "%Y_%m_%d-%H_%M_%S", &tm);
    return fmt::format("vzdump-lxc-{}-{}", vmid.value, stamp.data());
}

std::string_view backup_extension(BackupCompression compression) noexcept {
    switch (compression) {
    case BackupCompression::gzip:
        return ".tar.gz";
    case BackupCompression::lzo:
        return ".tar.lzo";
    case BackupCompression::zstd:
        return ".tar.zst";
    case BackupCompression::none:
        break;
    }
    return ".tar";
}

Result<BackupCompression> parse_compression(std::string_view value) {
    if (value == "0")
        return BackupCompression::none;
    if (value == "1" || value == "lzo")
        return BackupCompression::lzo;
    if (value == "gzip")
        return BackupCompression::gzip;
    if (value == "zstd")
        return BackupCompression::zstd;
    return fail(Errc::invalid_argument,
                fmt::format("value '{}' does not have a value in the enumeration '0, 1, gzip, "
                            "lzo, zstd'",
                            value),
                {.key = "compress"});
}

std::string temp_archive_name(std::string_view final_name) {
    auto dot = final_name.rfind('.');
    auto slash = final_name.rfind('/');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
        return std::string(final_name) + ".dat";
    return std::string(final_name.substr(0, dot)) + ".dat";
}

namespace {

// Time::Local's timelocal refuses out-of-range fields; archive_info then dies.
bool valid_stamp(int year, int month, int day, int hour, int minute, int second) {
    static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int limit = days[std::size_t(month - 1)] + (month == 2 && leap ? 1 : 0);
    return day <= limit;
}

} // namespace

std::optional<BackupFileInfo> archive_info(std::string_view path) {
    // pve-storage: BACKUP_EXT_RE_2 with COMPRESSOR_RE `gz|lzo|zst|bz2`; `.+` is greedy, so the
    // extension is the last one that matches.
    static const std::regex any_re(
        R"(^(vzdump-(lxc|openvz|qemu)-.+\.(tgz|(tar|vma)(?:\.(gz|lzo|zst|bz2))?))$)");
    static const std::regex std_re(
        R"(^(vzdump-(lxc|openvz|qemu)-([1-9][0-9]{2,8})-(\d{4})_(\d{2})_(\d{2})-(\d{2})_(\d{2})_(\d{2}))\.(.+)$)");

    auto slash = path.rfind('/');
    std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
    std::smatch m;
    if (!std::regex_match(name, m, any_re))
        return std::nullopt;

    BackupFileInfo info;
    info.filename = name;
    info.type = m[2].str();
    std::string extension = m[3].str();
    if (extension == "tgz") {
        info.format = "tar";
        info.compression = "gz";
    } else {
        info.format = m[4].str();
        info.compression = m[5].matched ? m[5].str() : "";
    }
    info.protected_filename = name + ".protected";

    std::smatch s;
    if (std::regex_match(name, s, std_re) && s[2].str() == info.type && s[10].str() == extension) {
        auto num = [&](int i) { return std::stoi(s[i].str()); };
        if (!valid_stamp(num(4), num(5), num(6), num(7), num(8), num(9)))
            return std::nullopt;
        std::tm tm{};
        tm.tm_year = num(4) - 1900;
        tm.tm_mon = num(5) - 1;
        tm.tm_mday = num(6);
        tm.tm_hour = num(7);
        tm.tm_min = num(8);
        tm.tm_sec = num(9);
        tm.tm_isdst = -1;
        info.ctime = std::mktime(&tm);
        info.vmid = std::stoull(s[3].str());
        info.is_std_name = true;
        info.log_filename = s[1].str() + ".log";
        info.notes_filename = name + ".notes";
    }
    return info;
}

} // namespace pct::storage
