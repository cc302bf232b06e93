// SPDX-License-Identifier: AGPL-3.0-or-later
// Reading a whole file and replacing one atomically (temporary file + fsync + rename).
#pragma once

#include <pct/error.hpp>

#include <string>
#include <string_view>

namespace pct::capi {

/// The file's bytes; `Errc::not_found` for ENOENT, else `Errc::io` (errno and path set).
Result<std::string> read_file(const std::string& path);

/// Writes `data` to `path` through a temporary file in the same directory.
Result<void> write_file_atomic(const std::string& path, std::string_view data);

} // namespace pct::capi
