// SPDX-License-Identifier: AGPL-3.0-or-later
// C module "mount_point": rootfs / mpN values as handles.
#include "fields.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

using namespace pct::capi;

using MountPointHandle = ValueHandle<pct_mount_point, pct::parse::mount_point,
                                     pct::render::mount_point, mount_point_fields>;

extern "C" {

int pct_mount_point_new(pct_mount_point** out) noexcept { return MountPointHandle::make(out); }

int pct_mount_point_parse(pct_mount_point** out, const char* text) noexcept {
    return MountPointHandle::parse_text(out, text);
}

int pct_mount_point_parse_rootfs(pct_mount_point** out, const char* text) noexcept {
    return guard([&] {
        int rc = handle_parse(out, text, pct::parse::rootfs);
        if (rc == PCT_OK)
            (*out)->rootfs = true;
        return rc;
    });
}

int pct_mount_point_print(char** out, const pct_mount_point* mp) noexcept {
    return MountPointHandle::print_text(out, mp);
}

int pct_mount_point_print_rootfs(char** out, const pct_mount_point* mp) noexcept {
    return guard([&] { return handle_print(out, mp, pct::render::rootfs); });
}

int pct_mount_point_get(const char** value_out, const pct_mount_point* mp,
                        const char* subkey) noexcept {
    return MountPointHandle::get(value_out, mp, subkey);
}

// The new value is checked by the printer of what the handle holds (rootfs or mpN).
int pct_mount_point_set(pct_mount_point* mp, const char* subkey, const char* value) noexcept {
    return guard([&] {
        return handle_set(mp, subkey, value, mount_point_fields(),
                          [](const pct::MountPoint& v, const pct_mount_point& h) {
                              return h.rootfs ? pct::render::rootfs(v)
                                              : pct::render::mount_point(v);
                          });
    });
}

int pct_mount_point_unset(pct_mount_point* mp, const char* subkey) noexcept {
    return MountPointHandle::unset(mp, subkey);
}

int pct_mount_point_kind(const pct_mount_point* mp) noexcept {
    return guard([&] {
        if (!mp)
            return null_argument("mp");
        switch (mp->value.kind()) {
        case pct::VolumeKind::volume:
            return PCT_VOLUME_KIND_VOLUME;
        case pct::VolumeKind::bind:
            return PCT_VOLUME_KIND_BIND;
        case pct::VolumeKind::device:
            return PCT_VOLUME_KIND_DEVICE;
        }
        return set_error(PCT_EINTERNAL, "unknown volume kind");
    });
}

int pct_mount_point_clone(pct_mount_point** out, const pct_mount_point* mp) noexcept {
    return MountPointHandle::clone(out, mp);
}

void pct_mount_point_free(pct_mount_point* mp) noexcept { delete mp; }

} // extern "C"
