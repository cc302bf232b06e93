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


def main() -> int:
    bench = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 21
    text = subprocess.run([bench, "--print-config"], check=True, capture_output=True,
                          text=True).stdout
    native = subprocess.run([bench, "--rounds", str(rounds)], check=True, capture_output=True,
                            text=True).stdout.split()
    fields = dict(zip(native[::2], native[1::2]))
    cxx_ns, c_ns = float(fields["cxx_ns"]), float(fields["c_ns"])

    estimate = per_op_ns(container_config, text, 200)
    iterations = max(100, int(100e6 / estimate))  # ~100 ms per round
    sides = {"pypct ContainerConfig.parse().render()": container_config,
             "pypct ParsedConfig.parse().render()": parsed_config}
    results: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, func in sides.items():
            results[name].append(per_op_ns(func, text, iterations))

    print(f"config: {len(text)} bytes, {rounds} rounds, medians")
    print(f"C++ parse::config + render::config     {cxx_ns:8.0f} ns  1.00x")
    print(f"C   pct_config_parse + pct_config_write {c_ns:8.0f} ns  {c_ns / cxx_ns:.2f}x")
    for name, values in results.items():
        ns = statistics.median(values)
        print(f"{name:<39} {ns:8.0f} ns  {ns / cxx_ns:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
