// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "files": pct push / pct pull through pct::runtime::push/pull.
#include "guard.hpp"
#include "handles.hpp"

#include <pct/runtime/files.hpp>

using namespace pct::capi;

namespace {

pct::Result<pct::runtime::FileCopyOptions> copy_options(const pct_file_copy_options* options) {
    auto read = options_or_defaults(options, pct_file_copy_options_init, "pct_file_copy_options",
                                    PCT_FILE_COPY_OPTIONS_VERSION);
    if (!read)
        return std::unexpected(std::move(read).error());
    pct::runtime::FileCopyOptions o;
    if (read->user)
        o.user = read->user;
    if (read->group)
        o.group = read->group;
    if (read->perms != -1) {
        if (read->perms < 0)
            return pct::fail(pct::Errc::invalid_argument, "perms must be -1 or a mode up to 07777",
                             {.key = "perms"});
        o.perms = static_cast<std::uint32_t>(read->perms);
    }
    return o;
}

template <class Copy>
int copy_file(pct_container* ct, const char* source, const char* destination,
              const pct_file_copy_options* options, Copy&& copy) {
    return guard([&] {
        if (int rc = require({{"ct", ct}, {"source", source}, {"destination", destination}});
            rc != PCT_OK)
            return rc;
        auto o = copy_options(options);
        if (!o)
            return set_error(o.error());
        std::lock_guard lock(ct->m_mutex);
        return status(copy(ct->ct, source, destination, *o));
    });
}

} // namespace

extern "C" {

int pct_file_copy_options_init(pct_file_copy_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_FILE_COPY_OPTIONS_VERSION))
            return set_error(unsupported_version("pct_file_copy_options", version,
                                                 PCT_FILE_COPY_OPTIONS_VERSION));
        *options = pct_file_copy_options{version, nullptr, nullptr, -1};
        return PCT_OK;
    });
}

int pct_container_push(pct_container* ct, const char* source, const char* destination,
                       const pct_file_copy_options* options) noexcept {
    return copy_file(
        ct, source, destination, options,
        [](const pct::runtime::Container& c, const char* from, const char* to,
           const pct::runtime::FileCopyOptions& o) { return pct::runtime::push(c, from, to, o); });
}

int pct_container_pull(pct_container* ct, const char* source, const char* destination,
                       const pct_file_copy_options* options) noexcept {
    return copy_file(
        ct, source, destination, options,
        [](const pct::runtime::Container& c, const char* from, const char* to,
           const pct::runtime::FileCopyOptions& o) { return pct::runtime::pull(c, from, to, o); });
}

} // extern "C"
