#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Install smoke test: installs the libpct component of BUILD_DIR into a temporary prefix, then
# builds examples/c with `pkg-config --cflags --libs libpct` (its Makefile) and examples/cpp with
# find_package(pct CONFIG), and runs both on a copy of examples/data/101.conf.
# usage: install_test.sh BUILD_DIR SOURCE_DIR CXX_COMPILER C_COMPILER
set -euo pipefail
build=$1 src=$2 cxx=$3 cc=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pct-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" --component libpct >/dev/null
libdir=$(find "$prefix" -name 'libpct.so' -printf '%h\n' | head -n1)
test -n "$libdir" || { echo "install_test: libpct.so was not installed"; exit 1; }
test -f "$prefix/include/pct/pct.h" || { echo "install_test: pct.h missing"; exit 1; }
test -f "$libdir/pkgconfig/libpct.pc" || { echo "install_test: libpct.pc missing"; exit 1; }
test -f "$libdir/cmake/pct/pctConfig.cmake" || { echo "install_test: pctConfig.cmake missing"; exit 1; }
export PKG_CONFIG_PATH=$libdir/pkgconfig
echo "pkg-config: $(pkg-config --cflags --libs libpct)"
[[ "$(pkg-config --modversion libpct)" == "$(sed -n 's/^project(pct VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")" ]] \
    || { echo "install_test: libpct.pc has the wrong version"; exit 1; }

# The installed library exports only pct_* and has the ABI SONAME.
soname=$(objdump -p "$libdir/libpct.so" | awk '/SONAME/ {print $2}')
[[ "$soname" == libpct.so.0 ]] || { echo "install_test: SONAME is '$soname'"; exit 1; }

# The runtime's start helper (libpct/runtime/helper) is installed and runs.
helper=$prefix/libexec/pct/pct-lxc-start
test -x "$helper" || { echo "install_test: $helper missing"; exit 1; }
rc=0; "$helper" >/dev/null 2>&1 || rc=$?
[[ $rc == 2 ]] || { echo "install_test: $helper without arguments exited $rc, not 2"; exit 1; }

cp "$src/examples/data/101.conf" "$tmp/101.conf"

echo "== examples/c (pkg-config)"
make -s -C "$src/examples/c" CC="$cc" OUT="$tmp/c" >/dev/null
LD_LIBRARY_PATH=$libdir "$tmp/c/edit_net" "$tmp/101.conf" > "$tmp/c.out"
cat "$tmp/c.out"
grep -q '^net0: name=eth0,bridge=vmbr1,' "$tmp/101.conf" || { echo "install_test: C example did not edit"; exit 1; }
grep -q '^# Web server' "$tmp/101.conf" || { echo "install_test: C example lost the comment"; exit 1; }
if LD_LIBRARY_PATH=$libdir "$tmp/c/edit_net" "$tmp/missing.conf" >/dev/null 2>"$tmp/c.err"; then
    echo "install_test: C example should fail on a missing file"; exit 1
fi
grep -q 'not_found' "$tmp/c.err" || { cat "$tmp/c.err"; echo "install_test: C example error text"; exit 1; }

echo "== examples/cpp (find_package)"
cp "$src/examples/data/101.conf" "$tmp/101.conf"
cmake -S "$src/examples/cpp" -B "$tmp/cpp" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_C_COMPILER="$cc" >/dev/null
cmake --build "$tmp/cpp" -j2 >/dev/null
"$tmp/cpp/edit_net" "$tmp/101.conf" > "$tmp/cpp.out"
cat "$tmp/cpp.out"
grep -q '^net0: name=eth0,bridge=vmbr1,' "$tmp/101.conf" || { echo "install_test: C++ example did not edit"; exit 1; }
grep -q '^# Web server' "$tmp/101.conf" || { echo "install_test: C++ example lost the comment"; exit 1; }
"$tmp/cpp/edit_net_capi" "$tmp/101.conf" > /dev/null

echo "install_test: ok"
