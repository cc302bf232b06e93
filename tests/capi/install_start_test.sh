#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The installed library finds its own start helper: installs the libpct component of BUILD_DIR
# into a temporary prefix, moves that prefix elsewhere (so no configure-time path can be right),
# hides the build tree's helper (a tmpfs over BUILD_DIR/libexec in a private mount namespace),
# and starts a real container from a C program linked against the moved install, and (when
# pypct is built) from python through the moved pypct.
# usage: install_start_test.sh BUILD_DIR SOURCE_DIR C_COMPILER TEMPLATE SWEEPER
set -euo pipefail
build=$1 src=$2 cc=$3 template=$4 sweeper=$5
if [[ $(id -u) != 0 || ! -r $template ]]; then
    echo "SKIP install_start: needs root and the busybox template (real containers)"
    exit 0
fi
"$sweeper"
tmp=$(mktemp -d /tmp/pct-rt-XXXXXX) # a test root: the sweeper removes it if this run is killed
"$sweeper" claim "$tmp" $$
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build" --prefix "$tmp/prefix" --component libpct >/dev/null
cmake --install "$build" --prefix "$tmp/prefix" --component python >/dev/null
mv "$tmp/prefix" "$tmp/moved"
prefix=$tmp/moved
libdir=$(find "$prefix" -name 'libpct.so' -printf '%h\n' | head -n1)
test -x "$prefix/libexec/pct/pct-lxc-start" || { echo "install_start: helper not installed"; exit 1; }
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror -I"$prefix/include" \
    "$src/tests/capi/install_start.c" -L"$libdir" -Wl,-rpath,"$libdir" -lpct \
    -o "$tmp/install_start"

unset PCT_LXC_START_HELPER
mkdir -p "$tmp/root"
pypct=$(find "$prefix" -name '_pypct*.so' -printf '%h\n' | head -n1)
unshare --mount --propagation private sh -c '
    mount -t tmpfs -o size=1m pct-hidden "$1/libexec" || exit 3
    test ! -e "$1/libexec/pct/pct-lxc-start" || exit 4
    "$2/install_start" "$2/root" "$3" || exit 5
    test -n "$4" || { echo "install_start: pypct not built, python part skipped"; exit 0; }
    PYTHONPATH=$(dirname "$4") exec /usr/bin/python3 -c "
import os, sys, pypct
assert pypct.__file__.startswith(sys.argv[1]), pypct.__file__
vmid = 900000000 + (os.getpid() % 90000) * 100 + 64
host = pypct.Host(sys.argv[2])
with pypct.Container.create(vmid, sys.argv[3], {\"ostype\": \"debian\"}, host=host) as ct:
    try:
        ct.start(log_level=\"info\")
        assert ct.running
        print(f\"install_start: CT {vmid} running through the installed pypct\")
    finally:
        ct.destroy(force=True)
" "$4" "$2/root" "$3"' sh "$build" "$tmp" "$template" "$pypct"
echo "install_start: ok"
