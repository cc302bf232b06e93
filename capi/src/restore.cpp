// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "restore": pct::runtime's restore of vzdump backups, the config peek and the merge.
#include "config_impl.hpp"
#include "progress.hpp"

#include <pct/render/config.hpp>
#include <pct/runtime/restore.hpp>

#include <cstring>

using namespace pct::capi;

extern "C" {

int pct_restore_options_init(pct_restore_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_RESTORE_OPTIONS_VERSION))
            return set_error(
                unsupported_version("pct_restore_options", version, PCT_RESTORE_OPTIONS_VERSION));
        pct_restore_options defaults{};
        defaults.version = version;
        defaults.input_fd = -1;
        *options = defaults;
        return PCT_OK;
    });
}

int pct_container_restore(pct_container** out, const pct_host* host, uint32_t vmid,
                          const pct_restore_options* options) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"host", host}, {"options", options}}); rc != PCT_OK)
            return rc;
        if (!supported_version(options->version, PCT_RESTORE_OPTIONS_VERSION))
            return set_error(unsupported_version("pct_restore_options", options->version,
                                                 PCT_RESTORE_OPTIONS_VERSION));
        if (!options->archive)
            return null_argument("options->archive");
        auto id = pct::storage::Host::check_vmid(vmid);
        if (!id)
            return set_error(id.error());
        pct::runtime::RestoreOptions r;
        r.archive = options->archive;
        r.input_fd = options->input_fd;
        if (options->storage)
            r.storage = options->storage;
        if (options->config) {
            const pct::Section& main = options->config->doc.config().main;
            for (const auto& [key, value] : main.options)
                r.options.emplace(key, value);
            if (!main.description.empty())
                r.options.emplace("description", main.description);
        }
        r.unique = options->unique != 0;
        r.ignore_unpack_errors = options->ignore_unpack_errors != 0;
        r.force = options->force != 0;
        r.start = options->start != 0;
        r.bwlimit_kib = options->bwlimit_kib;
        r.progress = progress_of(options->progress, options->progress_user);
        r.log = log_of(options->log, options->log_user);
        return deliver(out, pct::runtime::restore(host->host, *id, r),
                       [](pct::runtime::Container&& ct) {
                           return new pct_container{std::move(ct), {}};
                       });
    });
}

int pct_backup_config_read(char** out, const char* archive) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"archive", archive}}); rc != PCT_OK)
            return rc;
        return deliver(out, pct::runtime::read_backup_config(archive), dup_string);
    });
}

int pct_restore_merge_config(pct_config** out, const pct_config* archived, const pct_config* given,
                             int32_t root, int32_t unique) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"archived", archived}, {"given", given}}); rc != PCT_OK)
            return rc;
        pct::runtime::MergeOptions o;
        o.root = root != 0;
        o.unique = unique != 0;
        auto merged =
            pct::runtime::merge_restored_config(archived->doc.config(), given->doc.config(), o);
        if (!merged)
            return set_error(merged.error());
        auto text = pct::render::config(*merged);
        if (!text)
            return set_error(text.error());
        return deliver(out, make_config(*text, {}));
    });
}

} // extern "C"
