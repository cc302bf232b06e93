// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "mount_point": rootfs / mpN values as handles.
#include "fields.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using namespace pct::capi;

namespace {

pct::Result<std::string> print_as(const pct::MountPoint& v, bool rootfs) {
    return rootfs ? pct::render::rootfs(v) : pct::render::mount_point(v);
}

} // namespace

extern "C" {

int pct_mount_point_new(pct_mount_point** out) noexcept {
    return guard([&] { return handle_new(out); });
}

int pct_mount_point_parse(pct_mount_point** out, const char* text) noexcept {
    return guard([&] {
        return handle_parse(out, text, [](std::string_view s) { return pct::parse::mount_point(s); });
    });
}

int pct_mount_point_parse_rootfs(pct_mount_point** out, const char* text) noexcept {
    return guard([&] {
        int rc = handle_parse(out, text, [](std::string_view s) { return pct::parse::rootfs(s); });
        if (rc == PCT_OK)
            (*out)->rootfs = true;
        return rc;
    });
}

int pct_mount_point_print(char** out, const pct_mount_point* mp) noexcept {
    return guard([&] {
        return handle_print(out, mp, [](const auto& v) { return pct::render::mount_point(v); });
    });
}

int pct_mount_point_print_rootfs(char** out, const pct_mount_point* mp) noexcept {
    return guard([&] {
        return handle_print(out, mp, [](const auto& v) { return pct::render::rootfs(v); });
    });
}

int pct_mount_point_get(const char** value_out, const pct_mount_point* mp, const char* subkey) noexcept {
    return guard([&] { return handle_get(value_out, mp, subkey, mount_point_fields()); });
}

int pct_mount_point_set(pct_mount_point* mp, const char* subkey, const char* value) noexcept {
    return guard([&] {
        return handle_set(mp, subkey, value, mount_point_fields(),
                          [](const pct::MountPoint& v, const pct_mount_point& h) {
                              return print_as(v, h.rootfs);
                          });
    });
}

int pct_mount_point_unset(pct_mount_point* mp, const char* subkey) noexcept {
    return guard([&] { return handle_unset(mp, subkey, mount_point_fields()); });
}

int pct_mount_point_kind(const pct_mount_point* mp) noexcept {
    return guard([&] {
        if (!mp)
            return null_argument("mp");
        switch (mp->value.kind()) {
        case pct::VolumeKind::volume: return PCT_VOLUME_KIND_VOLUME;
        case pct::VolumeKind::bind: return PCT_VOLUME_KIND_BIND;
        case pct::VolumeKind::device: return PCT_VOLUME_KIND_DEVICE;
        }
        return set_error(PCT_EINTERNAL, "unknown volume kind");
    });
}

int pct_mount_point_clone(pct_mount_point** out, const pct_mount_point* mp) noexcept {
    return guard([&] { return handle_clone(out, mp); });
}

void pct_mount_point_free(pct_mount_point* mp) noexcept { delete mp; }

} // extern "C"
