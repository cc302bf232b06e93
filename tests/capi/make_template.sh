#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Test fixture: the busybox CT template in BUILD_DIR/test-templates (the same file and lock the
# C++ runtime suites use), built by scripts/mk-busybox-template when missing or outdated.
# usage: make_template.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1 dir=$2/test-templates
tpl=$dir/busybox-test_1.35_amd64.tar.zst
script=$src/scripts/mk-busybox-template
if [ "$(id -u)" != 0 ] || ! command -v busybox >/dev/null || ! command -v zstd >/dev/null; then
    echo "make_template: containers cannot run here; the runtime checks will skip"
    exit 0
fi
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ ! -s "$tpl" ] || [ "$script" -nt "$tpl" ]; then
    sh "$script" "$dir" >/dev/null
fi
echo "make_template: $tpl"
