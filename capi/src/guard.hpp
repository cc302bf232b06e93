// SPDX-License-Identifier: AGPL-3.0-or-later
// The C boundary: the thread-local last error and capi_guard(), which turns every outcome of a
// C++ call (Result error, bad_alloc, any other exception) into a PCT_E* status.
#pragma once

#include <pct/error.hpp>
#include <pct/pct.h>

#include <exception>
#include <new>
#include <string>
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

/// Returns a status for a Result, recording its error.
template <class T> int status(const Result<T>& r) noexcept {
    return r ? PCT_OK : set_error(r.error());
}

/// A malloc'ed copy for `char **out` results (freed by pct_string_free).
char* dup_string(const std::string& s);

/// Makes an Error with code, message, key and subkey.
Error make_error(Errc code, std::string message, std::string key = {}, std::string subkey = {});

} // namespace pct::capi
