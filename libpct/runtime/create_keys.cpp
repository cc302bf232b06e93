// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/model/schema.hpp>
#include <pct/runtime/create.hpp>

namespace pct::runtime {

bool settable_at_create(std::string_view key) noexcept {
    // find() knows family members only in the schema's ranges (`net31` yes, `net32` no).
    const schema::KeyInfo* info = schema::find(key);
    return info && info->api_settable && info->name != "unused" && key != "lock";
}

} // namespace pct::runtime
