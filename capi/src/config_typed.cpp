// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "config" (typed): netN, rootfs, mpN, unusedN, devN, features and startup of a
// section, parsed from / printed into the stored property strings.
#include "config_impl.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using namespace pct::capi;

namespace {

pct::Result<std::string> indexed_key(const char* family, uint32_t index, uint32_t max) {
    if (index > max)
        return fail(pct::Errc::invalid_argument, std::string(family) + " index " +
                                                     std::to_string(index) + " out of range 0.." +
                                                     std::to_string(max));
    return family + std::to_string(index);
}

// The stored value of `key` parsed by `parse`; the parser's errors name the key.
template <class Parse>
auto parse_stored(const pct_config& config, const char* section, const std::string& key,
                  Parse&& parse) -> decltype(parse(std::string_view())) {
    auto text = stored_value(config, section_name(section), key);
    if (!text)
        return std::unexpected(std::move(text).error());
    auto value = parse(std::string_view(**text));
    if (!value)
        return std::unexpected(with_key(std::move(value).error(), key));
    return value;
}

// Stores the text `print()` makes under `key`; the printer's errors name the key.
template <class Print>
int store_printed(pct_config& config, const char* section, const pct::Result<std::string>& key,
                  Print&& print) {
    if (!key)
        return set_error(key.error());
    auto text = print();
    if (!text)
        return set_error(with_key(text.error(), *key));
    return status(set_key(config, section_name(section), *key, *text));
}

// Parses the stored value of `key` into a new handle.
template <class H, class Parse>
int get_typed(H** out, const pct_config* config, const char* section, pct::Result<std::string> key,
              Parse&& parse) {
    if (int rc = require_out(out, {{"config", config}}); rc != PCT_OK)
        return rc;
    if (!key)
        return set_error(key.error());
    return deliver_handle(out, parse_stored(*config, section, *key, parse));
}

// Prints a handle's value and stores it under `key`.
template <class H, class Print>
int set_typed(pct_config* config, const char* section, pct::Result<std::string> key, const H* h,
              Print&& print) {
    if (int rc = require({{"config", config}, {"value", h}}); rc != PCT_OK)
        return rc;
    return store_printed(*config, section, key, [&] { return print(h->value); });
}

} // namespace

extern "C" {

int pct_config_get_net(pct_net** out, const pct_config* config, const char* section,
                       uint32_t index) noexcept {
    return guard([&] {
        return get_typed(out, config, section, indexed_key("net", index, 31), pct::parse::net);
    });
}

int pct_config_set_net(pct_config* config, const char* section, uint32_t index,
                       const pct_net* net) noexcept {
    return guard([&] {
        return set_typed(config, section, indexed_key("net", index, 31), net, pct::render::net);
    });
}

int pct_config_get_rootfs(pct_mount_point** out, const pct_config* config,
                          const char* section) noexcept {
    return guard([&] {
        int rc = get_typed(out, config, section, std::string("rootfs"), pct::parse::rootfs);
        if (rc == PCT_OK)
            (*out)->rootfs = true;
        return rc;
    });
}

int pct_config_set_rootfs(pct_config* config, const char* section,
                          const pct_mount_point* rootfs) noexcept {
    return guard([&] {
        return set_typed(config, section, std::string("rootfs"), rootfs, pct::render::rootfs);
    });
}

int pct_config_get_mount_point(pct_mount_point** out, const pct_config* config, const char* section,
                               uint32_t index) noexcept {
    return guard([&] {
        return get_typed(out, config, section, indexed_key("mp", index, 255),
                         pct::parse::mount_point);
    });
}

int pct_config_set_mount_point(pct_config* config, const char* section, uint32_t index,
                               const pct_mount_point* mp) noexcept {
    return guard([&] {
        return set_typed(config, section, indexed_key("mp", index, 255), mp,
                         pct::render::mount_point);
    });
}

int pct_config_get_unused(const char** volume_out, const pct_config* config, const char* section,
                          uint32_t index) noexcept {
    return guard([&] {
        if (int rc = require_out(volume_out, "volume_out", {{"config", config}}); rc != PCT_OK)
            return rc;
        auto key = indexed_key("unused", index, 255);
        if (!key)
            return set_error(key.error());
        return deliver(volume_out, parse_stored(*config, section, *key, pct::parse::unused),
                       [&](pct::UnusedVolume&& value) {
                           return config->m_borrowed.keep(std::string(section_name(section)) +
                                                              '\n' + *key,
                                                          std::move(value.volume));
                       });
    });
}

int pct_config_set_unused(pct_config* config, const char* section, uint32_t index,
                          const char* volume) noexcept {
    return guard([&] {
        if (int rc = require({{"config", config}, {"volume", volume}}); rc != PCT_OK)
            return rc;
        return store_printed(*config, section, indexed_key("unused", index, 255),
                             [&] { return pct::render::unused(pct::UnusedVolume{volume}); });
    });
}

int pct_config_get_device(pct_device** out, const pct_config* config, const char* section,
                          uint32_t index) noexcept {
    return guard([&] {
        return get_typed(out, config, section, indexed_key("dev", index, 255), pct::parse::device);
    });
}

int pct_config_set_device(pct_config* config, const char* section, uint32_t index,
                          const pct_device* dev) noexcept {
    return guard([&] {
        return set_typed(config, section, indexed_key("dev", index, 255), dev, pct::render::device);
    });
}

int pct_config_get_features(pct_features** out, const pct_config* config,
                            const char* section) noexcept {
    return guard([&] {
        return get_typed(out, config, section, std::string("features"), pct::parse::features);
    });
}

int pct_config_set_features(pct_config* config, const char* section,
                            const pct_features* features) noexcept {
    return guard([&] {
        return set_typed(config, section, std::string("features"), features, pct::render::features);
    });
}

int pct_config_get_startup(pct_startup** out, const pct_config* config,
                           const char* section) noexcept {
    return guard([&] {
        return get_typed(out, config, section, std::string("startup"), pct::parse::startup);
    });
}

int pct_config_set_startup(pct_config* config, const char* section,
                           const pct_startup* startup) noexcept {
    return guard([&] {
        return set_typed(config, section, std::string("startup"), startup, pct::render::startup);
    });
}

} // extern "C"
