#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Config throughput beside its floor, in one run: bench/config.sh [BUILD_DIR] [SECONDS]
# Pins to one core (taskset) so that the figure is single-core.
set -euo pipefail
build=${1:-build}
seconds=${2:-3}
bench="$build/bin/pct-bench"
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
"$bench" corpus "$corpus" 200
pin=(taskset -c 0)
command -v taskset >/dev/null || pin=()
echo "corpus: 200 generated configs, $(cat "$corpus"/*.conf | wc -c) bytes"
printf 'floor  (split into lines):     '
"${pin[@]}" "$bench" floor "$seconds" "$corpus"/*.conf
printf 'config (parse + canonical):    '
"${pin[@]}" "$bench" config "$seconds" "$corpus"/*.conf
