// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "config" (typed): netN, rootfs, mpN, unusedN, devN, features and startup of a
// section, parsed from / printed into the stored property strings.
#include "config_impl.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using namespace pct::capi;

namespace {

// The stored value of `key`, or a not-found / missing-section error.
pct::Result<std::string_view> stored(const pct_config& config, std::string_view section,
                                     const std::string& key) {
    const pct::Section* s = find_section(config, section);
    if (!s)
        return std::unexpected(missing_section(section));
    auto v = s->get(key);
    if (!v)
        return std::unexpected(make_error(pct::Errc::not_found, "'" + key + "' is not set", key));
    return *v;
}

pct::Result<std::string> indexed_key(const char* family, uint32_t index, uint32_t max) {
    if (index > max)
        return std::unexpected(make_error(pct::Errc::invalid_argument,
                                          std::string(family) + " index " + std::to_string(index) +
                                              " out of range 0.." + std::to_string(max)));
    return family + std::to_string(index);
}

// Parses the stored value of `key` into a new handle.
template <class H, class Parse>
int get_typed(H** out, const pct_config* config, const char* section, pct::Result<std::string> key,
              Parse&& parse) {
    if (!out)
        return null_argument("out");
    *out = nullptr;
    if (!config)
        return null_argument("config");
    if (!key)
        return set_error(key.error());
    auto text = stored(*config, section_name(section), *key);
    if (!text)
        return set_error(text.error());
    auto value = parse(*text);
    if (!value) {
        pct::Error e = value.error();
        e.key = *key;
        return set_error(e);
    }
    auto* h = new H();
    h->value = std::move(*value);
    *out = h;
    return PCT_OK;
}

// Prints a handle's value and stores it under `key`.
template <class H, class Print>
int set_typed(pct_config* config, const char* section, pct::Result<std::string> key, const H* h,
              Print&& print) {
    if (!config)
        return null_argument("config");
    if (!h)
        return null_argument("value");
    if (!key)
        return set_error(key.error());
    auto text = print(h->value);
    if (!text) {
        pct::Error e = text.error();
        e.key = *key;
        return set_error(e);
    }
    return status(set_key(*config, section_name(section), *key, *text));
}

} // namespace

extern "C" {

int pct_config_get_net(pct_net** out, const pct_config* config, const char* section,
                       uint32_t index) noexcept {
    return guard([&] {
        return get_typed(out, config, section, indexed_key("net", index, 31),
                         [](std::string_view s) { return pct::parse::net(s); });
    });
}

int pct_config_set_net(pct_config* config, const char* section, uint32_t index,
                       const pct_net* net) noexcept {
    return guard([&] {
        return set_typed(config, section, indexed_key("net", index, 31), net,
                         [](const auto& v) { return pct::render::net(v); });
    });
}

int pct_config_get_rootfs(pct_mount_point** out, const pct_config* config, const char* section) noexcept {
    return guard([&] {
        int rc = get_typed(out, config, section, std::string("rootfs"),
                           [](std::string_view s) { return pct::parse::rootfs(s); });
        if (rc == PCT_OK)
            (*out)->rootfs = true;
        return rc;
    });
}

int pct_config_set_rootfs(pct_config* config, const char* section, const pct_mount_point* rootfs) noexcept {
    return guard([&] {
        return set_typed(config, section, std::string("rootfs"), rootfs,
                         [](const auto& v) { return pct::render::rootfs(v); });
    });
}

int pct_config_get_mount_point(pct_mount_point** out, const pct_config* config,
                               const char* section, uint32_t index) noexcept {
    return guard([&] {
        return get_typed(out, config, section, indexed_key("mp", index, 255),
                         [](std::string_view s) { return pct::parse::mount_point(s); });
    });
}

int pct_config_set_mount_point(pct_config* config, const char* section, uint32_t index,
                               const pct_mount_point* mp) noexcept {
    return guard([&] {
        return set_typed(config, section, indexed_key("mp", index, 255), mp,
                         [](const auto& v) { return pct::render::mount_point(v); });
    });
}

int pct_config_get_unused(const char** volume_out, const pct_config* config, const char* section,
                          uint32_t index) noexcept {
    return guard([&] {
        if (!volume_out)
            return null_argument("volume_out");
        *volume_out = nullptr;
        if (!config)
            return null_argument("config");
        auto key = indexed_key("unused", index, 255);
        if (!key)
            return set_error(key.error());
        auto text = stored(*config, section_name(section), *key);
        if (!text)
            return set_error(text.error());
        auto value = pct::parse::unused(*text);
        if (!value) {
            pct::Error e = value.error();
            e.key = *key;
            return set_error(e);
        }
        auto& slot = config->m_borrowed[std::string(section_name(section)) + '\n' + *key];
        slot = std::move(value->volume);
        *volume_out = slot.c_str();
        return PCT_OK;
    });
}

int pct_config_set_unused(pct_config* config, const char* section, uint32_t index,
                          const char* volume) noexcept {
    return guard([&] {
        if (!config)
            return null_argument("config");
        if (!volume)
            return null_argument("volume");
        auto key = indexed_key("unused", index, 255);
        if (!key)
            return set_error(key.error());
        auto text = pct::render::unused(pct::UnusedVolume{volume});
        if (!text) {
            pct::Error e = text.error();
            e.key = *key;
            return set_error(e);
        }
        return status(set_key(*config, section_name(section), *key, *text));
    });
}

int pct_config_get_device(pct_device** out, const pct_config* config, const char* section,
                          uint32_t index) noexcept {
    return guard([&] {
        return get_typed(out, config, section, indexed_key("dev", index, 255),
                         [](std::string_view s) { return pct::parse::device(s); });
    });
}

int pct_config_set_device(pct_config* config, const char* section, uint32_t index,
                          const pct_device* dev) noexcept {
    return guard([&] {
        return set_typed(config, section, indexed_key("dev", index, 255), dev,
                         [](const auto& v) { return pct::render::device(v); });
    });
}

int pct_config_get_features(pct_features** out, const pct_config* config, const char* section) noexcept {
    return guard([&] {
        return get_typed(out, config, section, std::string("features"),
                         [](std::string_view s) { return pct::parse::features(s); });
    });
}

int pct_config_set_features(pct_config* config, const char* section,
                            const pct_features* features) noexcept {
    return guard([&] {
        return set_typed(config, section, std::string("features"), features,
                         [](const auto& v) { return pct::render::features(v); });
    });
}

int pct_config_get_startup(pct_startup** out, const pct_config* config, const char* section) noexcept {
    return guard([&] {
        return get_typed(out, config, section, std::string("startup"),
                         [](std::string_view s) { return pct::parse::startup(s); });
    });
}

int pct_config_set_startup(pct_config* config, const char* section, const pct_startup* startup) noexcept {
    return guard([&] {
        return set_typed(config, section, std::string("startup"), startup,
                         [](const auto& v) { return pct::render::startup(v); });
    });
}

} // extern "C"
