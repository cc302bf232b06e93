// SPDX-License-Identifier: AGPL-3.0-or-later
#include "random_mac.hpp"

#include <fmt/format.h>

#include <random>

namespace pct::runtime::detail {

std::string random_mac() {
    std::random_device rd;
    auto byte = [&] { return rd() & 0xff; };
    return fmt::format("BC:24:11:{:02X}:{:02X}:{:02X}", byte(), byte(), byte());
}

} // namespace pct::runtime::detail
