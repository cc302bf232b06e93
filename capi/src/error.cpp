// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "error": last error, status names, version, string ownership.
#include "guard.hpp"

#include <cstdlib>
#include <cstring>

namespace pct::capi {

LastError& last_error() noexcept {
    thread_local LastError state;
    return state;
}

void clear_error() noexcept {
    LastError& e = last_error();
    e.code = PCT_OK;
    // clear() keeps capacity, so resetting never allocates.
    e.message.clear();
    e.file.clear();
    e.key.clear();
    e.subkey.clear();
    e.line = e.column = e.sys_errno = 0;
}

int set_error(const Error& error) noexcept {
    clear_error();
    LastError& e = last_error();
    e.code = status_of(error.code);
    try {
        e.message = error.message;
        e.file = error.context;
        e.key = error.key;
        e.subkey = error.subkey;
    } catch (...) {
        e.code = PCT_ENOMEM;
        return PCT_ENOMEM;
    }
    e.line = error.line;
    e.column = error.column;
    e.sys_errno = error.sys_errno;
    return e.code;
}

int set_error(int code, const char* message) noexcept {
    clear_error();
    LastError& e = last_error();
    e.code = code;
    try {
        e.message = message;
    } catch (...) {
        e.code = PCT_ENOMEM;
    }
    return e.code;
}

int null_argument(const char* name) noexcept {
    clear_error();
    LastError& e = last_error();
    e.code = PCT_EINVAL;
    try {
        e.message = std::string(name) + " must not be NULL";
    } catch (...) {
        e.code = PCT_ENOMEM;
    }
    return e.code;
}

char* dup_string(const std::string& s) {
    auto* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

Error unsupported_version(const char* what, std::uint32_t version,
                          std::optional<std::uint32_t> known) {
    std::string message =
        std::string("unsupported ") + what + " version " + std::to_string(version);
    if (known)
        message += " (this library knows " + std::to_string(*known) + ")";
    return error(Errc::invalid_argument, std::move(message));
}

} // namespace pct::capi

using namespace pct::capi;

static_assert(PCT_VERSION_NUMBER == PCT_PROJECT_VERSION_NUMBER,
              "pct.h's PCT_VERSION_* differ from the project() version");

extern "C" {

const char* pct_version(void) noexcept { return PCT_PROJECT_VERSION; }

uint32_t pct_version_number(void) noexcept { return PCT_VERSION_NUMBER; }

int pct_error_last_code(void) noexcept { return last_error().code; }
const char* pct_error_last_message(void) noexcept { return last_error().message.c_str(); }
const char* pct_error_last_file(void) noexcept { return last_error().file.c_str(); }
int pct_error_last_line(void) noexcept { return last_error().line; }
int pct_error_last_column(void) noexcept { return last_error().column; }
const char* pct_error_last_key(void) noexcept { return last_error().key.c_str(); }
const char* pct_error_last_subkey(void) noexcept { return last_error().subkey.c_str(); }
int pct_error_last_errno(void) noexcept { return last_error().sys_errno; }
void pct_error_clear(void) noexcept { clear_error(); }

const char* pct_error_name(int code) noexcept {
    switch (code) {
    case PCT_OK:
        return "ok";
    case PCT_ENOMEM:
        return "no_memory";
    default:
        break;
    }
    if (code < 0 && code >= PCT_EINTERNAL) {
        const char* name = pct::errc_name(static_cast<pct::Errc>(-code));
        return name;
    }
    return "unknown";
}

void pct_string_free(char* str) noexcept { std::free(str); }

} // extern "C"
