// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/model/properties.hpp>

#include <charconv>
#include <limits>

namespace pct {

double Number::value() const {
    std::string_view t = text;
    // from_chars takes no leading '+', which Proxmox's is_number accepts.
    if (!t.empty() && t.front() == '+')
        t.remove_prefix(1);
    double out = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size())
        return std::numeric_limits<double>::quiet_NaN();
    return out;
}

VolumeKind MountPoint::kind() const {
    // classify_mountpoint: "/dev/..." is a device, any other absolute path a bind mount.
    if (volume.starts_with('/'))
        return volume.starts_with("/dev/") ? VolumeKind::device : VolumeKind::bind;
    return VolumeKind::volume;
}

} // namespace pct
