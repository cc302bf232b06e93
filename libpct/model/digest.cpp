// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/model/digest.hpp>

#include <ostream>

namespace pct {

std::ostream& operator<<(std::ostream& out, const Digest& digest) { return out << digest.view(); }

} // namespace pct
