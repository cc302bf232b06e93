#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The cost of one config parse + canonical write through pypct, against the direct C++ calls
and the C ABI measured by pct-capi-bench in the same run, on the same typical config.

    PYTHONPATH=<build>/python python3 bench/python_bench.py <build>/bin/pct-capi-bench

prints one line per side with ns per parse+write and the ratio to C++.
"""
import statistics
import subprocess
import sys
import time
from typing import Callable

import pypct


def per_op_ns(func: Callable[[str], str], text: str, iterations: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(iterations):
        func(text)
    return (time.perf_counter_ns() - start) / iterations


def container_config(text: str) -> str:
    return pypct.ContainerConfig.parse(text).render()


def parsed_config(text: str) -> str:
    return pypct.ParsedConfig.parse(text).render()


def native_round(bench: str) -> tuple[float, float]:
    """One ~100 ms round of each native side: (C++ ns, C ns) per parse+write."""
    out = subprocess.run([bench, "--rounds", "1"], check=True, capture_output=True,
                         text=True).stdout.split()
    fields = dict(zip(out[::2], out[1::2]))
    return float(fields["cxx_ns"]), float(fields["c_ns"])


def main() -> int:
    bench = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 21
    text = subprocess.run([bench, "--print-config"], check=True, capture_output=True,
                          text=True).stdout
    estimate = per_op_ns(container_config, text, 200)
    iterations = max(100, int(100e6 / estimate))  # ~100 ms per round
    sides: dict[str, Callable[[str], str]] = {
        "pypct ContainerConfig.parse().render()": container_config,
        "pypct ParsedConfig.parse().render()": parsed_config,
    }
    ns: dict[str, list[float]] = {"C++": [], "C": [], **{name: [] for name in sides}}
    ratios: dict[str, list[float]] = {"C": [], **{name: [] for name in sides}}
    # Native and Python rounds alternate, so both see the same load; ratios are per round.
    for _ in range(rounds):
        cxx, c = native_round(bench)
        ns["C++"].append(cxx)
        ns["C"].append(c)
        ratios["C"].append(c / cxx)
        for name, func in sides.items():
            value = per_op_ns(func, text, iterations)
            ns[name].append(value)
            ratios[name].append(value / cxx)

    print(f"config: {len(text)} bytes, {rounds} alternating rounds, medians")
    print(f"{'C++ parse::config + render::config':<39} {statistics.median(ns['C++']):8.0f} ns  1.00x")
    labels = {"C": "C   pct_config_parse + pct_config_write"}
    for name in ratios:
        print(f"{labels.get(name, name):<39} {statistics.median(ns[name]):8.0f} ns  "
              f"{statistics.median(ratios[name]):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
