// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// A parsed config as JSON, in the shape of the conformance corpus (`expected/**/*.json`):
///
///     { "canon_is_fixpoint": "true", "conf": {...}, "error": null, "strict_error": null,
///       "vmid": "101", "warnings": ["vm 101 - ...\n", ...] }
///
/// `conf` holds every option of the main section as a string, `description` (decoded text),
/// `lxc` as `[[key, value], ...]` in file order, `digest`, `pending` and `snapshots` (name ->
/// the same shape). `env` is one NUL-joined string. Warnings and errors carry Proxmox's
/// trailing newline. Byte strings that are not UTF-8 are written with U+FFFD replacements.
#pragma once

#include <pct/error.hpp>
#include <pct/parse/config.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace pct::render {

/// The JSON text (3-space indented, sorted keys, trailing newline) of `parsed`.
///
/// `vmid` is the CTID the messages name. `strict_error` is what a strict read of the same
/// text failed with (nullopt = it succeeded). `canon_is_fixpoint` is computed by writing the
/// canonical text, reading it back and writing it again. `error` is the writer's failure
/// (Proxmox's `die` text), in which case `canon_is_fixpoint` is null. Never fails.
[[nodiscard]] std::string json(const parse::ParsedConfig& parsed, std::uint32_t vmid,
                               const std::optional<Error>& strict_error);

/// The same text written to `out` as it is made, in pieces of about 1 MiB, never whole in
/// memory: `pct file json` peaks at about three times the file's size (the model and, while
/// `canon_is_fixpoint` is computed, the canonical text and its model). Stream errors are left
/// in `out`'s state.
void json(std::ostream& out, const parse::ParsedConfig& parsed, std::uint32_t vmid,
          const std::optional<Error>& strict_error);

} // namespace pct::render
