// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The error model of libpct: every fallible call returns `pct::Result<T>`, a
/// `std::expected<T, pct::Error>`. Exceptions are reserved for bugs and `std::bad_alloc`.
///
/// The numbers of `Errc` are a public contract shared with the C ABI (`PCT_E*` = -code) and
/// the Python exception classes: they are never renumbered, and a retired slot is never reused.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace pct {

/// Stable error categories (C: `PCT_E<NAME>` = -value).
enum class Errc : int {
    invalid_argument = 1, ///< a value breaks the schema, or an argument is out of range
    parse = 2,            ///< text that cannot be parsed (config line, property string, size)
    not_found = 3,        ///< a container, file, key, snapshot or bridge does not exist
    already_exists = 4,   ///< a container id, key or snapshot name is taken
    io = 5,               ///< the operating system refused (see `sys_errno`)
    lxc = 6,              ///< liblxc failed (the message carries liblxc's reason)
    bad_state = 7,        ///< the container is in the wrong state (running, locked, ...)
    unsupported = 8,      ///< valid, but this host or build cannot do it
    digest_mismatch = 9,  ///< a file changed since it was read (Proxmox's `digest` check)
    internal = 99,        ///< a bug in libpct
    // 100 is reserved: the C ABI's PCT_ENOMEM (-100), for std::bad_alloc, has no C++ Errc.
    no_quorum = 10, ///< the cluster store has no quorum (or no member answers): nothing written
};

/// The stable name of a code, e.g. `"parse"` for `Errc::parse`.
[[nodiscard]] const char* errc_name(Errc code) noexcept;

/// One error, with every piece of context that exists for it.
///
/// `message` is complete on its own (for config problems it is Proxmox's exact text without
/// the trailing newline); the other fields let programs react without parsing the message.
struct Error {
    Errc code = Errc::internal;
    std::string message;
    std::string context; ///< the file path (or other object) the error is about; may be empty
    int line = 0;        ///< 1-based line in `context`, 0 when not about a line
    int column = 0;      ///< 1-based column, 0 when unknown
    std::string key;     ///< config key (`net0`, `lxc.idmap`), empty when none
    std::string subkey;  ///< property-string sub-key (`bridge`), empty when none
    int sys_errno = 0;   ///< errno for `Errc::io`, else 0

    friend bool operator==(const Error&, const Error&) = default;
};

template <class T> using Result = std::expected<T, Error>;

/// Where an error is: every field of `Error` besides its code and message, named with
/// designated initializers in `Error`'s order, e.g. `{.context = path, .line = 3, .key = "net0"}`.
/// The views are copied into the `Error` at once, so temporaries are fine as arguments.
struct ErrorAt {
    std::string_view context = {};
    int line = 0;
    int column = 0;
    std::string_view key = {};
    std::string_view subkey = {};
    int sys_errno = 0;
};

/// The one way to build an `Error`: `pct::error(Errc::parse, "bad value", {.key = "net0"})`.
[[nodiscard]] Error error(Errc code, std::string message, const ErrorAt& at = {});

/// `pct::error(...)` as a failed `Result`: `return pct::fail(Errc::not_found, "no such CT");`.
[[nodiscard]] inline std::unexpected<Error> fail(Errc code, std::string message,
                                                 const ErrorAt& at = {}) {
    return std::unexpected(error(code, std::move(message), at));
}

/// `error` about `key`: sets `Error::key`, replacing the one it had. The property-string
/// parsers name the key family (`net`); a caller that knows the concrete key (`net3`) says so.
[[nodiscard]] inline Error with_key(Error error, std::string_view key) {
    error.key = std::string(key);
    return error;
}

/// "FILE:LINE: KEY: SUBKEY: message (code)" with the parts that exist.
[[nodiscard]] std::string to_string(const Error& error);

} // namespace pct
