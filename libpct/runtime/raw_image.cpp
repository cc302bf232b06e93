// SPDX-License-Identifier: AGPL-3.0-or-later
#include "raw_image.hpp"

#include <pct/internal/command.hpp>

namespace pct::runtime::detail {

Result<void> clear_copied_mmp(storage::Storages& storages, std::string_view volid) {
    auto ref = storages.parse_volume(volid);
    if (!ref || ref->format != storage::VolumeFormat::raw)
        return {};
    auto path = storages.path(volid);
    if (!path)
        return std::unexpected(std::move(path).error());
    if (auto cleared = internal::run_command({"tune2fs", "-f", "-E", "clear_mmp", *path}); !cleared)
        return std::unexpected(std::move(cleared).error());
    return {};
}

} // namespace pct::runtime::detail
