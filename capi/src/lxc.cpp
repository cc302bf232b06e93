// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "lxc": LXC config generation.
#include "config_impl.hpp"

#include <pct/lxcconf.hpp>

using namespace pct::capi;

namespace {

const char* out_of_range(const char* what) {
    set_error(PCT_EINVAL, what);
    return nullptr;
}

} // namespace

extern "C" {

int pct_lxc_options_init(pct_lxc_options* options, uint32_t version) noexcept {
    return guard([&] {
        if (!options)
            return null_argument("options");
        if (version == 0 || version > PCT_LXC_OPTIONS_VERSION)
            return set_error(make_error(pct::Errc::invalid_argument,
                                        "unsupported pct_lxc_options version " +
                                            std::to_string(version)));
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
        if (!out)
            return null_argument("out");
        *out = nullptr;
        if (!config)
            return null_argument("config");
        pct_lxc_options opts{};
        pct_lxc_options_init(&opts, PCT_LXC_OPTIONS_VERSION);
        if (options) {
            if (options->version == 0 || options->version > PCT_LXC_OPTIONS_VERSION)
                return set_error(make_error(pct::Errc::invalid_argument,
                                            "unsupported pct_lxc_options version " +
                                                std::to_string(options->version) +
                                                " (this library knows " +
                                                std::to_string(PCT_LXC_OPTIONS_VERSION) + ")"));
            opts = *options; // version 1 is the whole struct
        }
        pct::lxcconf::GenerateOptions gen;
        switch (opts.profile) {
        case PCT_LXC_PROFILE_NATIVE: gen.profile = pct::lxcconf::Profile::native; break;
        case PCT_LXC_PROFILE_PROXMOX: gen.profile = pct::lxcconf::Profile::proxmox; break;
        default:
            return set_error(make_error(pct::Errc::invalid_argument,
                                        "unknown profile " + std::to_string(opts.profile)));
        }
        gen.vmid = opts.vmid ? opts.vmid : config->options.vmid;
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
            return set_error(make_error(pct::Errc::invalid_argument,
                                        "unknown host facts " + std::to_string(opts.host)));
        }
        auto generated = pct::lxcconf::generate(config->parsed.config, host, gen);
        if (!generated)
            return set_error(generated.error());
        auto* result = new pct_lxc_result();
        result->generated = std::move(*generated);
        *out = result;
        return PCT_OK;
    });
}

const char* pct_lxc_result_config(const pct_lxc_result* result) noexcept {
    return result ? result->generated.config.c_str() : out_of_range("result is NULL");
}

size_t pct_lxc_result_warning_count(const pct_lxc_result* result) noexcept {
    return result ? result->generated.warnings.size() : 0;
}

const char* pct_lxc_result_warning_at(const pct_lxc_result* result, size_t index) noexcept {
    if (!result || index >= result->generated.warnings.size())
        return out_of_range("warning index out of range");
    return result->generated.warnings[index].c_str();
}

size_t pct_lxc_result_file_count(const pct_lxc_result* result) noexcept {
    return result ? result->generated.files.size() : 0;
}

const char* pct_lxc_result_file_path(const pct_lxc_result* result, size_t index) noexcept {
    if (!result || index >= result->generated.files.size())
        return out_of_range("file index out of range");
    return result->generated.files[index].path.c_str();
}

const char* pct_lxc_result_file_content(const pct_lxc_result* result, size_t index) noexcept {
    if (!result || index >= result->generated.files.size())
        return out_of_range("file index out of range");
    return result->generated.files[index].content.c_str();
}

void pct_lxc_result_free(pct_lxc_result* result) noexcept { delete result; }

} // extern "C"
