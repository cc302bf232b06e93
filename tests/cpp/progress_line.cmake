# SPDX-License-Identifier: AGPL-3.0-or-later
# How pct prints progress (libpct/cli/progress_line.cpp, compiled in): the line's text, a
# redrawn line on a terminal (a pty), plain lines otherwise, nothing with --quiet.
pct_add_test(progress_line pct::runtime CLI11::CLI11 fmt::fmt util TIMEOUT 60)
target_sources(test_progress_line PRIVATE ${PROJECT_SOURCE_DIR}/libpct/cli/progress_line.cpp)
target_include_directories(test_progress_line PRIVATE ${PROJECT_SOURCE_DIR}/libpct/cli)
