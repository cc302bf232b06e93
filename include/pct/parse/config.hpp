// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Reading config files with Proxmox's exact semantics (`parse_pct_config`).
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/model/digest.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pct::parse {

struct ConfigOptions {
    /// The CTID named in messages (`vm N - ...`).
    std::uint32_t vmid = 100;
    /// Strict mode (Proxmox's remote-migration reads): the first problem that lenient mode
    /// would warn about is returned as an `Errc::parse` error instead. Deprecated raw lxc
    /// keys stay warnings, as in Proxmox.
    bool strict = false;
    /// The file name, for `Error::context`; may be empty.
    std::string file;
};

/// A parsed file: the config, the SHA-1 of the raw bytes, and every warning in order.
struct ParsedConfig {
    ContainerConfig config;
    Digest digest; ///< the SHA-1 of the text, 40 lower-case hex digits
    std::vector<Diagnostic> warnings;
    friend bool operator==(const ParsedConfig&, const ParsedConfig&) = default;
};

/// Parses config text exactly as Proxmox's `parse_pct_config` (one pass, no regex engine).
///
/// Lenient mode never fails: malformed lines are dropped and bad values kept verbatim, each
/// with a `Diagnostic` carrying Proxmox's warning text (without its trailing newline), the
/// 1-based line, the column of the value (1 for whole-line problems), the key, the failing
/// property-string sub-key and the section. Values are checked with `parse::check_type`
/// (booleans and integers come back normalized) and raw keys with `parse::check_lxc_key`.
///
/// Strict mode returns the first problem as `Errc::parse` with `context` = `options.file`,
/// line, column, key and sub-key; deprecated raw lxc keys stay warnings, as in Proxmox.
///
/// Where Proxmox's hash and this model differ: a generic `description: ` line (whose value is
/// blank) sets `Section::description` verbatim, and a truthy comment block of the section
/// replaces it at the section end, as in Proxmox; `lxc.environment.runtime` lines append to
/// `options["env"]` (NUL-joined); `digest`, `snapname`, `pending`, `snapshots` and `lxc`
/// lines are kept in `options` like any unknown key (the writer skips them). The top-level
/// `snapstate` is dropped. `digest` is the SHA-1 of `text`.
///
/// In both modes a text holding a NUL byte is no config at all (binary data; Proxmox's
/// values could not carry one through its API either): `Errc::parse` from `check_bytes`.
[[nodiscard]] Result<ParsedConfig> config(std::string_view text, const ConfigOptions& options = {});

/// The one rule for bytes no config may hold, which every reader applies (`config` above, the
/// CLI, the C ABI and pypct through it): a NUL byte. `Errc::parse` with `context` =
/// `options.file`, the line, the column and the key of the line holding the first one, and a
/// message naming its byte offset: "binary data: NUL byte at byte offset 11 (line 2)".
[[nodiscard]] Result<void> check_bytes(std::string_view text, const ConfigOptions& options = {});

/// An `Errc::parse` error about the byte at `offset` of `text` (at most `text.size()`):
/// "WHAT at byte offset N (line L)", with `context` = `options.file`, the 1-based line and
/// column, and the key of that line when it has one. For readers with rules of their own on
/// top of `check_bytes` (pypct refuses text that is not UTF-8, which Python cannot hold).
[[nodiscard]] Error byte_error(std::string_view text, std::size_t offset, std::string_view what,
                               const ConfigOptions& options = {});

/// What one line of a config file is, decided by Proxmox's rules in their order (§5.1).
enum class LineKind : unsigned char {
    blank,           ///< only white space: skipped
    pending_header,  ///< `[pve:pending]` (any case)
    snapshot_header, ///< `[name]`: `key` is the name
    comment,         ///< `#...`: `value` is the raw text after `#` (not yet decoded)
    lxc,             ///< `lxc.key: v` or `lxc.key = v`: `key`, `value`, `separator`
    description,     ///< `description: text`: `value` is the raw (not yet decoded) text
    snapstate,       ///< a line *ending* in `snapstate: prepare|delete`: `value` is the word
    delete_key,      ///< `delete: list`: `value` is the list, verbatim
    option,          ///< `key: value` (generic): `key`, `value`
    invalid,         ///< anything else: "unable to parse config"
};

/// One classified line. The views point into the line that was classified.
struct ConfigLine {
    LineKind kind = LineKind::invalid;
    std::string_view key;   ///< section name, lxc key or option key (`snapstate`, `delete` too)
    std::string_view value; ///< the value exactly as Proxmox captures it (trimmed)
    char separator = 0;     ///< lxc lines: `:` or `=`
};

/// Classifies one line (without its `\n`; a trailing `\r` is part of the line, as in Proxmox).
/// White space is Perl's ASCII `\s` (space, TAB, LF, VT, FF, CR). Never fails.
[[nodiscard]] ConfigLine classify_line(std::string_view line) noexcept;

/// Proxmox's truth test for a description: false for "" and "0".
[[nodiscard]] constexpr bool perl_true(std::string_view text) noexcept {
    return !text.empty() && text != "0";
}

/// The SHA-1 of `bytes` as lower-case hex (Proxmox's config digest).
[[nodiscard]] std::string sha1_hex(std::string_view bytes);

/// Proxmox's `decode_text`: `%XX` un-escaping (invalid sequences stay literal), then Perl's
/// lax `utf8` decoding, which replaces every malformed byte sequence with U+FFFD (as UTF-8).
/// The result is UTF-8 text (lax: surrogates and code points above U+10FFFF pass, as in Perl).
[[nodiscard]] std::string decode_text(std::string_view text);

/// `decode_text` appending to `out` (no temporary for plain ASCII input).
void decode_text_append(std::string& out, std::string_view text);

/// The CTID that messages about a file name: the digits of `<N>.conf`, else the leading
/// digits of the base name, else 100.
[[nodiscard]] std::uint32_t vmid_from_path(std::string_view path);

} // namespace pct::parse
