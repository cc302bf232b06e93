// SPDX-License-Identifier: AGPL-3.0-or-later
#include "commands.hpp"

namespace pct::cli {

void register_file_commands(CLI::App&, const Globals&, int&) {}

} // namespace pct::cli
