// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/error.hpp>

namespace pct {

const char* errc_name(Errc code) noexcept {
    switch (code) {
    case Errc::invalid_argument:
        return "invalid_argument";
    case Errc::parse:
        return "parse";
    case Errc::not_found:
        return "not_found";
    case Errc::already_exists:
        return "already_exists";
    case Errc::io:
        return "io";
    case Errc::lxc:
        return "lxc";
    case Errc::bad_state:
        return "bad_state";
    case Errc::unsupported:
        return "unsupported";
    case Errc::internal:
        return "internal";
    case Errc::digest_mismatch:
        return "digest_mismatch";
    case Errc::no_quorum:
        return "no_quorum";
    }
    return "unknown";
}

Error error(Errc code, std::string message, const ErrorAt& at) {
    Error e;
    e.code = code;
    e.message = std::move(message);
    e.context = std::string(at.context);
    e.line = at.line;
    e.column = at.column;
    e.key = std::string(at.key);
    e.subkey = std::string(at.subkey);
    e.sys_errno = at.sys_errno;
    return e;
}

std::string to_string(const Error& error) {
    std::string out;
    if (!error.context.empty()) {
        out += error.context;
        if (error.line > 0) {
            out += ':' + std::to_string(error.line);
            if (error.column > 0)
                out += ':' + std::to_string(error.column);
        }
        out += ": ";
    }
    if (!error.key.empty()) {
        out += error.key;
        if (!error.subkey.empty())
            out += '.' + error.subkey;
        out += ": ";
    }
    out += error.message;
    out += " (";
    out += errc_name(error.code);
    out += ')';
    return out;
}

} // namespace pct
