// SPDX-License-Identifier: AGPL-3.0-or-later
// write_pct_config (§6): the canonical text, built in one reserved string.
#include <pct/parse/config.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/config.hpp>

#include "pct/internal/bytes.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace pct::render {

namespace {

std::unexpected<Error> newline_error(std::string_view key) {
    return fail(Errc::invalid_argument,
                "detected invalid newline inside property '" + std::string(key) + "'",
                {.key = key});
}

bool has_newline(std::string_view s) { return pct::detail::has_byte(s, '\n'); }

using pct::detail::same_bytes;

// `mp0`..`mp255` exactly as Proxmox spells them (no leading zeros).
bool is_mount_point_key(std::string_view key) {
    if (!pct::detail::has_prefix(key, "mp") || key.size() < 3 || key.size() > 5)
        return false;
    std::string_view digits = key.substr(2);
    if (digits.size() > 1 && digits[0] == '0')
        return false;
    unsigned n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return false;
        n = n * 10 + static_cast<unsigned>(c - '0');
    }
    return n < 256;
}

// PVE::Storage::parse_volume_id: ^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$ (case-insensitive).
bool is_volume_id(std::string_view volid) {
    auto colon = volid.find(':');
    if (colon == std::string_view::npos || colon < 2 || colon + 1 >= volid.size())
        return false;
    auto alnum = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    std::string_view sid = volid.substr(0, colon);
    if (!((sid[0] >= 'a' && sid[0] <= 'z') || (sid[0] >= 'A' && sid[0] <= 'Z')))
        return false;
    if (!alnum(sid.back()))
        return false;
    for (char c : sid)
        if (!alnum(c) && c != '-' && c != '_' && c != '.')
            return false;
    return true;
}

// get_vm_volumes: the volume ids of rootfs/mp0..mp255 that parse (noerr), are of type
// `volume`, are Perl-true and look like `storage:name`.
std::vector<std::string> used_volumes(const Section& main) {
    std::vector<std::string> used;
    for (const auto& [key, value] : main.options) {
        bool rootfs = key == "rootfs";
        if (!rootfs && !is_mount_point_key(key))
            continue;
        Result<MountPoint> mp = rootfs ? parse::rootfs(value) : parse::mount_point(value);
        if (!mp || mp->kind() != VolumeKind::volume)
            continue;
        if (!parse::perl_true(mp->volume) || !is_volume_id(mp->volume))
            continue;
        used.push_back(std::move(mp->volume));
    }
    return used;
}

// Per first letter, the lengths of the keys below starting with it: most keys are
// cleared by one table lookup.
constexpr std::array<std::uint16_t, 32> k_skip_lengths = [] {
    std::array<std::uint16_t, 32> t{};
    for (std::string_view k :
         {"env", "lxc", "digest", "pending", "snapname", "snapshots", "description"})
        t[static_cast<unsigned char>(k[0]) & 31] |= static_cast<std::uint16_t>(1u << k.size());
    return t;
}();

// The keys of `options` that are never written as `key: value` lines.
bool skipped_key(std::string_view key) {
    if (key.empty() || key.size() > 15 ||
        !((k_skip_lengths[static_cast<unsigned char>(key[0]) & 31] >> key.size()) & 1))
        return false;
    switch (key.size()) {
    case 3:
        return same_bytes(key, "env") || same_bytes(key, "lxc");
    case 6:
        return same_bytes(key, "digest");
    case 7:
        return same_bytes(key, "pending");
    case 8:
        return same_bytes(key, "snapname");
    case 9:
        return same_bytes(key, "snapshots");
    case 11:
        return same_bytes(key, "description");
    default:
        return false;
    }
}

// The size of `key: value\n`.
std::size_t line_size(const std::pair<std::string, std::string>& option) {
    return option.first.size() + option.second.size() + 3;
}
std::size_t line_size(const LxcEntry& entry) { return entry.key.size() + entry.value.size() + 3; }

// Appends lines to a string whose capacity the caller has reserved: the bytes are written
// through a raw pointer, and the string's length is set once per block of lines instead of
// once per line.
class LineBlock {
  public:
    // Room for `bound` more bytes after the current end of `out`.
    LineBlock(std::string& out, std::size_t bound) : m_out(out), m_old(out.size()) {
        // The size argument is ignored on purpose: libstdc++ 12 passes the grown capacity there.
        out.resize_and_overwrite(m_old + bound, [&](char* buf, std::size_t) {
            m_p = buf + m_old;
            return m_old + bound;
        });
    }
    LineBlock(const LineBlock&) = delete;
    LineBlock& operator=(const LineBlock&) = delete;
    // Trims the string to what was written (also on an early return).
    ~LineBlock() { finish(); }
    void finish() noexcept { m_out.resize(static_cast<std::size_t>(m_p - m_out.data())); }

    // `key: value\n`
    void line(std::string_view key, std::string_view value) noexcept {
        char* p = m_p;
        pct::detail::copy_bytes(p, key.data(), key.size());
        p += key.size();
        p[0] = ':';
        p[1] = ' ';
        p += 2;
        pct::detail::copy_bytes(p, value.data(), value.size());
        p += value.size();
        *p++ = '\n';
        m_p = p;
    }

  private:
    std::string& m_out;
    std::size_t m_old;
    char* m_p = nullptr;
};

// The bytes the `key: value` lines of `entries` take at most.
template <class Entries> std::size_t lines_bound(const Entries& entries) {
    std::size_t n = 0;
    for (const auto& entry : entries)
        n += line_size(entry);
    return n;
}

// Writes one section. With `checked`, every key and value is first tested for a newline
// (Proxmox's die); without, the caller verifies the whole text afterwards by counting its
// newlines against `lines`, the number of lines written. `room` is at least the size of the
// `key: value` lines of this section and the ones after it (lines_bound summed): a block
// may take all of it, so the options are walked once, and what a block wrote is taken off.
Result<void> section(std::string& out, const Section& s, bool top_level,
                     const std::vector<std::string>& used, bool checked, std::size_t& lines,
                     std::size_t& room) {
    if (parse::perl_true(s.description)) {
        std::string_view d = s.description;
        // split /\n/ drops trailing empty fields.
        while (!d.empty() && d.back() == '\n')
            d.remove_suffix(1);
        while (!d.empty()) {
            auto nl = d.find('\n');
            out += '#';
            encode_text_append(out, d.substr(0, nl));
            out += '\n';
            ++lines;
            if (nl == std::string_view::npos)
                break;
            d.remove_prefix(nl + 1);
        }
    }
    const std::string* env = nullptr;
    {
        std::size_t before = out.size();
        LineBlock block(out, room);
        for (const auto& [key, value] : s.options) {
            if (skipped_key(key)) {
                if (same_bytes(key, "env"))
                    env = &value;
                continue;
            }
            // Only `snapstate` and `unused*` are special at the top level.
            if (top_level && !key.empty() && (key[0] == 's' || key[0] == 'u')) {
                if (same_bytes(key, "snapstate"))
                    continue;
                if (pct::detail::has_prefix(key, "unused") &&
                    std::find(used.begin(), used.end(), value) != used.end())
                    continue;
            }
            if (checked) {
                if (has_newline(key))
                    return fail(Errc::invalid_argument,
                                "detected invalid newline inside a key name", {.key = key});
                if (has_newline(value))
                    return newline_error(key);
            }
            block.line(key, value);
            ++lines;
        }
        block.finish();
        room -= out.size() - before;
    }
    if (env) {
        if (checked && has_newline(*env))
            return newline_error("env");
        // split /\0+/: runs of NULs separate; a leading empty field stays, trailing ones go.
        std::string_view rest = *env;
        while (!rest.empty() && rest.back() == '\0')
            rest.remove_suffix(1);
        while (!rest.empty()) {
            auto nul = rest.find('\0');
            out += "lxc.environment.runtime: ";
            out += rest.substr(0, nul);
            out += '\n';
            ++lines;
            if (nul == std::string_view::npos)
                break;
            rest.remove_prefix(nul);
            while (!rest.empty() && rest.front() == '\0')
                rest.remove_prefix(1);
        }
    }
    if (!s.lxc.empty()) {
        std::size_t before = out.size();
        LineBlock block(out, room);
        for (const LxcEntry& entry : s.lxc) {
            if (same_bytes(entry.key, "lxc.environment.runtime"))
                continue;
            if (checked && (has_newline(entry.key) || has_newline(entry.value)))
                return newline_error(entry.key);
            block.line(entry.key, entry.value);
            ++lines;
        }
        block.finish();
        room -= out.size() - before;
    }
    return {};
}

// A name the reader would take back as this snapshot: [a-zA-Z][a-zA-Z0-9_-]+.
bool valid_snapshot_name(std::string_view name) {
    if (name.size() < 2)
        return false;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!alpha(name[0]))
        return false;
    for (char c : name.substr(1))
        if (!alpha(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-')
            return false;
    return true;
}

// The size of the section's text (exact but for escapes in the description): one
// allocation for the whole output. Adds the size of its `key: value` lines to `room`.
std::size_t estimate(const Section& s, std::size_t& room) {
    std::size_t n = s.description.size() + s.description.size() / 4 + 8;
    std::size_t lines = lines_bound(s.options) + lines_bound(s.lxc);
    room += lines;
    return n + lines;
}

} // namespace

namespace {

// The whole text; see section() for `checked`.
Result<std::string> write(const ContainerConfig& cfg, const std::vector<std::string>& used,
                          bool checked) {
    std::size_t room = 0;
    std::size_t size = estimate(cfg.main, room) + estimate(cfg.pending, room) + 16;
    for (const auto& [name, snap] : cfg.snapshots)
        size += name.size() + 4 + estimate(snap, room);
    std::string out;
    out.reserve(size);

    std::size_t lines = 0;
    if (auto r = section(out, cfg.main, true, used, checked, lines, room); !r)
        return std::unexpected(std::move(r).error());
    if (!cfg.pending.empty()) {
        out += "\n[pve:pending]\n";
        lines += 2;
        if (auto r = section(out, cfg.pending, false, used, checked, lines, room); !r)
            return std::unexpected(std::move(r).error());
    }
    for (const auto& [name, snap] : cfg.snapshots) {
        if (!valid_snapshot_name(name)) {
            // Report a newline written before this section first, as the checked path does.
            if (!checked)
                return write(cfg, used, true);
            return fail(Errc::invalid_argument, "invalid snapshot name '" + name + "'");
        }
        out += "\n[";
        out += name;
        out += "]\n";
        lines += 2;
        if (auto r = section(out, snap, false, used, checked, lines, room); !r)
            return std::unexpected(std::move(r).error());
    }
    if (!checked && pct::detail::count_byte(out, '\n') != lines) {
        // A key or value holds a newline: write again, testing each, for the exact error.
        return write(cfg, used, true);
    }
    return out;
}

} // namespace

Result<std::string> config(const ContainerConfig& cfg) {
    std::vector<std::string> used;
    // The options are sorted: an `unused*` key, if any, is where "unused" would go.
    auto unused = cfg.main.options.lower_bound("unused");
    if (unused != cfg.main.options.end() && pct::detail::has_prefix(unused->first, "unused"))
        used = used_volumes(cfg.main);
    // Values with newlines are rare (only edits can make them): one count over the text
    // replaces a test per key and value.
    return write(cfg, used, false);
}

} // namespace pct::render
