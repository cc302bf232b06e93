// SPDX-License-Identifier: AGPL-3.0-or-later
// The C boundary: the thread-local last error and capi_guard(), which turns every outcome of a
// C++ call (Result error, bad_alloc, any other exception) into a PCT_E* status.
#pragma once

#include <pct/error.hpp>
#include <pct/pct.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace pct::capi {

struct LastError {
    int code = PCT_OK;
    std::string message;
    std::string file;
    std::string key;
    std::string subkey;
    int line = 0;
    int column = 0;
    int sys_errno = 0;
};

/// The calling thread's last error.
LastError& last_error() noexcept;

/// Resets the last error (status-returning calls start with it).
void clear_error() noexcept;

/// Records `error` as the last error and returns its status.
int set_error(const Error& error) noexcept;

/// Records a plain error (no details) and returns its status.
int set_error(int code, const char* message) noexcept;

/// Status of an Errc (`PCT_E*` = -code).
constexpr int status_of(Errc code) noexcept { return -static_cast<int>(code); }

/// Runs `body` (returning int status) with the last error reset; maps exceptions.
template <class F> int guard(F&& body) noexcept {
    clear_error();
    try {
        return std::forward<F>(body)();
    } catch (const std::bad_alloc&) {
        return set_error(PCT_ENOMEM, "out of memory");
    } catch (const std::exception& e) {
        return set_error(PCT_EINTERNAL, e.what());
    } catch (...) {
        return set_error(PCT_EINTERNAL, "unknown exception");
    }
}

/// Like guard() for accessors that return a value; `fallback` on exception. The last error is
/// left alone unless something fails.
template <class T, class F> T guard_value(T fallback, F&& body) noexcept {
    try {
        return std::forward<F>(body)();
    } catch (const std::bad_alloc&) {
        set_error(PCT_ENOMEM, "out of memory");
    } catch (const std::exception& e) {
        set_error(PCT_EINTERNAL, e.what());
    } catch (...) {
        set_error(PCT_EINTERNAL, "unknown exception");
    }
    return fallback;
}

/// `PCT_EINVAL` "NAME must not be NULL".
int null_argument(const char* name) noexcept;

/// Records `PCT_EINVAL` `message` and returns `fallback`: the failure of an accessor that
/// returns a value instead of a status.
template <class T> T invalid_access(T fallback, const char* message) noexcept {
    set_error(PCT_EINVAL, message);
    return fallback;
}

/// null_argument() for an accessor that returns a value: `fallback`.
template <class T> T null_argument_value(T fallback, const char* name) noexcept {
    null_argument(name);
    return fallback;
}

/// A pointer argument a call requires, named as in pct.h for the error message.
struct Required {
    const char* name;
    const void* pointer;
};

/// `PCT_EINVAL` "NAME must not be NULL" for the first NULL of `args` (in order), else PCT_OK.
inline int require(std::initializer_list<Required> args) noexcept {
    for (const Required& a : args)
        if (!a.pointer)
            return null_argument(a.name);
    return PCT_OK;
}

/// The preamble of a call with an out parameter: `out` (C name `name`) must not be NULL and is
/// reset to empty, so that it is defined after any failure; then `require(args)`.
template <class T>
int require_out(T* out, const char* name, std::initializer_list<Required> args = {}) noexcept {
    if (!out)
        return null_argument(name);
    *out = T{};
    return require(args);
}

/// require_out() for the usual name `out`.
template <class T> int require_out(T* out, std::initializer_list<Required> args = {}) noexcept {
    return require_out(out, "out", args);
}

/// Returns a status for a Result, recording its error.
template <class T> int status(const Result<T>& r) noexcept {
    return r ? PCT_OK : set_error(r.error());
}

/// Stores the value of `r` in `*out` (through `convert` when given) and returns PCT_OK, or
/// records r's error and leaves `*out` alone.
template <class T, class U> int deliver(T* out, Result<U>&& r) {
    if (!r)
        return set_error(r.error());
    *out = std::move(*r);
    return PCT_OK;
}

template <class T, class U, class Convert> int deliver(T* out, Result<U>&& r, Convert&& convert) {
    if (!r)
        return set_error(r.error());
    *out = std::forward<Convert>(convert)(std::move(*r));
    return PCT_OK;
}

/// deliver() of a new handle `H` (a PropHandle) holding the value of `r`.
template <class H, class U> int deliver_handle(H** out, Result<U>&& r) {
    return deliver(out, std::move(r), [](U&& value) {
        auto* h = new H();
        h->value = std::move(value);
        return h;
    });
}

/// A malloc'ed copy for `char **out` results (freed by pct_string_free).
char* dup_string(const std::string& s);

/// Whether a caller's options struct has a version this library reads (1 to `known`).
constexpr bool supported_version(std::uint32_t version, std::uint32_t known) noexcept {
    return version != 0 && version <= known;
}

/// `Errc::invalid_argument` "unsupported WHAT version V", with " (this library knows K)" when
/// `known` is given (each call keeps the message it was published with).
Error unsupported_version(const char* what, std::uint32_t version,
                          std::optional<std::uint32_t> known = std::nullopt);

/// A caller's options struct, or for NULL the defaults `init` writes for version `known`;
/// an unknown version is an error. Version 1 is the whole struct, so all of it is read.
template <class O, class Init>
Result<O> options_or_defaults(const O* options, Init&& init, const char* what,
                              std::uint32_t known) {
    O out{};
    init(&out, known);
    if (options) {
        if (!supported_version(options->version, known))
            return std::unexpected(unsupported_version(what, options->version, known));
        out = *options;
    }
    return out;
}

/// options_or_defaults for a struct that grew: only the first `size(version)` bytes of the
/// caller's struct are read (an older caller's struct is smaller), the rest keep the defaults.
template <class O, class Init, class Size>
Result<O> versioned_options(const O* options, Init&& init, Size&& size, const char* what,
                            std::uint32_t known) {
    O out{};
    init(&out, known);
    if (options) {
        if (!supported_version(options->version, known))
            return std::unexpected(unsupported_version(what, options->version, known));
        std::memcpy(&out, options, size(options->version));
    }
    return out;
}

} // namespace pct::capi
