// SPDX-License-Identifier: AGPL-3.0-or-later
// Stands in for a module that has no sources yet (see libpct/CMakeLists.txt).
