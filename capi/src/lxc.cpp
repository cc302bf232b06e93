// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "lxc": LXC config generation.
#include "config_impl.hpp"

#include <pct/lxcconf.hpp>

using namespace pct::capi;

extern "C" {

int pct_lxc_options_init(pct_lxc_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (!supported_version(version, PCT_LXC_OPTIONS_VERSION))
            return set_error(unsupported_version("pct_lxc_options", version));
        options->version = version;
        options->profile = PCT_LXC_PROFILE_NATIVE;
        options->host = PCT_LXC_HOST_DETECT;
        options->vmid = 0;
        options->lxcpath = nullptr;
        return PCT_OK;
    });
}

int pct_lxc_generate(pct_lxc_result** out, const pct_config* config,
                     const pct_lxc_options* options) noexcept {
    return guard([&] {
        if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
            return rc;
        auto read = options_or_defaults(options, pct_lxc_options_init, "pct_lxc_options",
                                        PCT_LXC_OPTIONS_VERSION);
        if (!read)
            return set_error(read.error());
        const pct_lxc_options& opts = *read;
        pct::lxcconf::GenerateOptions gen;
        switch (opts.profile) {
        case PCT_LXC_PROFILE_NATIVE:
            gen.profile = pct::lxcconf::Profile::native;
            break;
        case PCT_LXC_PROFILE_PROXMOX:
            gen.profile = pct::lxcconf::Profile::proxmox;
            break;
        default:
            return set_error(error(pct::Errc::invalid_argument,
                                   "unknown profile " + std::to_string(opts.profile)));
        }
        gen.vmid = opts.vmid ? opts.vmid : config->doc.options().vmid;
        std::string lxcpath = opts.lxcpath ? opts.lxcpath : "/var/lib/lxc";
        pct::lxcconf::HostFacts host;
        if (opts.host == PCT_LXC_HOST_REFERENCE) {
            host = pct::lxcconf::HostFacts::proxmox_reference();
            if (opts.lxcpath)
                host.lxcpath = lxcpath;
        } else if (opts.host == PCT_LXC_HOST_DETECT) {
            auto detected = pct::lxcconf::detect_host(lxcpath);
            if (!detected)
                return set_error(detected.error());
            host = std::move(*detected);
        } else {
            return set_error(error(pct::Errc::invalid_argument,
                                   "unknown host facts " + std::to_string(opts.host)));
        }
        return deliver(out, pct::lxcconf::generate(config->doc.config(), host, gen),
                       [](pct::lxcconf::Generated&& generated) {
                           return new pct_lxc_result{std::move(generated)};
                       });
    });
}

const char* pct_lxc_result_config(const pct_lxc_result* result) noexcept {
    return result ? result->generated.config.c_str()
                  : invalid_access<const char*>(nullptr, "result is NULL");
}

size_t pct_lxc_result_warning_count(const pct_lxc_result* result) noexcept {
    return result ? result->generated.warnings.size() : 0;
}

const char* pct_lxc_result_warning_at(const pct_lxc_result* result, size_t index) noexcept {
    if (!result || index >= result->generated.warnings.size())
        return invalid_access<const char*>(nullptr, "warning index out of range");
    return result->generated.warnings[index].c_str();
}

size_t pct_lxc_result_file_count(const pct_lxc_result* result) noexcept {
    return result ? result->generated.files.size() : 0;
}

const char* pct_lxc_result_file_path(const pct_lxc_result* result, size_t index) noexcept {
    if (!result || index >= result->generated.files.size())
        return invalid_access<const char*>(nullptr, "file index out of range");
    return result->generated.files[index].path.c_str();
}

const char* pct_lxc_result_file_content(const pct_lxc_result* result, size_t index) noexcept {
    if (!result || index >= result->generated.files.size())
        return invalid_access<const char*>(nullptr, "file index out of range");
    return result->generated.files[index].content.c_str();
}

void pct_lxc_result_free(pct_lxc_result* result) noexcept { delete result; }

} // extern "C"
