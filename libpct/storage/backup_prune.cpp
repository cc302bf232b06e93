// SPDX-License-Identifier: AGPL-3.0-or-later
// Backup retention: the `prune-backups` property (pve-common JSONSchema `prune-backups` format
// and validate_prune_backups) and pve-storage's marking (Plugin.pm prune_backups, Storage.pm
// prune_mark_backup_group). Spec storage.md §1.6, vzdump-format.md §1.2.
#include <pct/storage/backups.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <map>
#include <set>

namespace pct::storage {

namespace {

constexpr std::string_view prune_key = "prune-backups";

using Count = std::optional<unsigned> PruneOptions::*;

// The counted keys in alphabetical order (the order the property string is printed in).
constexpr std::array<std::pair<std::string_view, Count>, 6> counted_keys{{
    {"keep-daily", &PruneOptions::keep_daily},
    {"keep-hourly", &PruneOptions::keep_hourly},
    {"keep-last", &PruneOptions::keep_last},
    {"keep-monthly", &PruneOptions::keep_monthly},
    {"keep-weekly", &PruneOptions::keep_weekly},
    {"keep-yearly", &PruneOptions::keep_yearly},
}};

std::unexpected<Error> prune_error(std::string message, std::string_view subkey = {}) {
    return fail(Errc::parse, std::move(message), {.key = prune_key, .subkey = subkey});
}

std::optional<bool> parse_boolean(std::string_view text) {
    std::string lower;
    for (char c : text)
        lower += char(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "1" || lower == "on" || lower == "yes" || lower == "true")
        return true;
    if (lower == "0" || lower == "off" || lower == "no" || lower == "false")
        return false;
    return std::nullopt;
}

bool any_positive(const PruneOptions& options) {
    return std::ranges::any_of(counted_keys,
                               [&](const auto& key) { return (options.*key.second).value_or(0); });
}

} // namespace

Result<PruneOptions> parse_prune_backups(std::string_view text) {
    PruneOptions options;
    std::set<std::string, std::less<>> seen;
    std::optional<bool> keep_all;
    while (!text.empty()) {
        auto comma = text.find(',');
        std::string_view part = text.substr(0, comma);
        text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
        if (part.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos)
            continue;
        auto eq = part.find('=');
        if (eq == std::string_view::npos)
            return prune_error("value without key, but schema does not define a default key");
        if (eq == 0 || eq + 1 == part.size())
            return prune_error("missing key in comma-separated list property");
        std::string_view key = part.substr(0, eq);
        std::string_view value = part.substr(eq + 1);
        if (!seen.emplace(key).second)
            return prune_error(
                fmt::format("duplicate key in comma-separated list property: {}", key), key);
        if (key == "keep-all") {
            keep_all = parse_boolean(value);
            if (!keep_all)
                return prune_error(fmt::format("type check ('boolean') failed - got '{}'", value),
                                   key);
            continue;
        }
        auto counted = std::ranges::find(counted_keys, key, [](const auto& k) { return k.first; });
        if (counted == counted_keys.end())
            return prune_error(
                "property is not defined in schema and the schema does not allow additional "
                "properties",
                key);
        std::string_view digits = value.starts_with('-') ? value.substr(1) : value;
        if (digits.empty() ||
            !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; }))
            return prune_error(fmt::format("type check ('integer') failed - got '{}'", value), key);
        if (value.starts_with('-') && digits.find_first_not_of('0') != std::string_view::npos)
            return prune_error("value must have a minimum value of 0", key);
        unsigned count = 0; // "-0" stays 0
        if (std::from_chars(digits.data(), digits.data() + digits.size(), count).ec != std::errc{})
            return prune_error(fmt::format("value '{}' is too large", value), key);
        options.*(counted->second) = count;
    }
    // validate_prune_backups: no positive count means keep everything.
    if (!any_positive(options))
        return PruneOptions{.keep_all = true};
    if (keep_all.value_or(false))
        return prune_error("keep-all cannot be set together with other options.");
    return options;
}

std::string format_prune_backups(const PruneOptions& options) {
    if (options.keep_all)
        return "keep-all=1";
    std::string text;
    for (const auto& [name, member] : counted_keys) {
        if (auto count = options.*member) {
            if (!text.empty())
                text += ',';
            text += fmt::format("{}={}", name, *count);
        }
    }
    return text;
}

std::string_view prune_mark_name(PruneMark mark) noexcept {
    switch (mark) {
    case PruneMark::keep:
        return "keep";
    case PruneMark::remove:
        return "remove";
    case PruneMark::protected_:
        return "protected";
    case PruneMark::renamed:
        break;
    }
    return "renamed";
}

namespace {

// One entry of a group being marked: its time and its mark so far (nullopt = undecided).
struct Candidate {
    std::size_t index;
    std::time_t ctime;
    std::optional<PruneMark> mark;
};

using BucketOf = std::function<std::string(std::time_t)>;

std::string local_bucket(std::time_t t, const char* format) {
    std::tm tm{};
    localtime_r(&t, &tm);
    std::array<char, 64> text{};
    std::strftime(text.data(), text.size(), format, &tm);
    return text.data();
}

// prune_mark: keep the newest undecided entry of up to `count` buckets not yet covered by a
// kept entry; later undecided entries of a newly kept bucket are removed. Stops at the first
// entry of a bucket beyond `count`.
void mark_buckets(std::vector<Candidate>& group, std::optional<unsigned> count,
                  const BucketOf& bucket_of) {
    if (!count.value_or(0))
        return;
    std::set<std::string> already_included;
    for (const auto& c : group)
        if (c.mark == PruneMark::keep)
            already_included.insert(bucket_of(c.ctime));
    std::set<std::string> newly_included;
    for (auto& c : group) {
        if (c.mark)
            continue;
        std::string id = bucket_of(c.ctime);
        if (already_included.contains(id))
            continue;
        if (!newly_included.contains(id)) {
            if (newly_included.size() >= *count)
                break;
            newly_included.insert(id);
            c.mark = PruneMark::keep;
        } else {
            c.mark = PruneMark::remove;
        }
    }
}

void mark_group(std::vector<Candidate>& group, const PruneOptions& options) {
    if (options.keep_all || !any_positive(options)) {
        for (auto& c : group)
            if (!c.mark || c.mark == PruneMark::remove)
                c.mark = PruneMark::keep;
        return;
    }
    // Newest first; Perl's sort is stable, so equal times keep their listing order.
    std::ranges::stable_sort(group, std::greater{}, &Candidate::ctime);
    mark_buckets(group, options.keep_last, [](std::time_t t) { return std::to_string(t); });
    mark_buckets(group, options.keep_hourly,
                 [](std::time_t t) { return local_bucket(t, "%H/%d/%m/%Y"); });
    mark_buckets(group, options.keep_daily,
                 [](std::time_t t) { return local_bucket(t, "%d/%m/%Y"); });
    mark_buckets(group, options.keep_weekly,
                 [](std::time_t t) { return local_bucket(t, "%V/%G"); });
    mark_buckets(group, options.keep_monthly,
                 [](std::time_t t) { return local_bucket(t, "%m/%Y"); });
    mark_buckets(group, options.keep_yearly, [](std::time_t t) { return local_bucket(t, "%Y"); });
    for (auto& c : group)
        if (!c.mark)
            c.mark = PruneMark::remove;
}

} // namespace

std::vector<std::pair<BackupEntry, PruneMark>> prune_marks(std::vector<BackupEntry> entries,
                                                           const PruneOptions& options) {
    std::vector<std::optional<PruneMark>> marks(entries.size());
    std::map<std::pair<std::string, std::uint64_t>, std::vector<Candidate>> groups;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& info = entries[i].info;
        std::optional<PruneMark> mark;
        if (!info.is_std_name || !info.ctime)
            mark = PruneMark::renamed;
        if (entries[i].is_protected)
            mark = PruneMark::protected_;
        if (info.is_std_name && info.ctime)
            groups[{info.type, info.vmid}].push_back({i, *info.ctime, mark});
        else
            marks[i] = mark;
    }
    for (auto& [id, group] : groups) {
        mark_group(group, options);
        for (const auto& c : group)
            marks[c.index] = c.mark;
    }
    std::vector<std::pair<BackupEntry, PruneMark>> result;
    result.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i)
        result.emplace_back(std::move(entries[i]), marks[i].value_or(PruneMark::keep));
    return result;
}

} // namespace pct::storage
