// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzzes the config parser and writer. Beyond "no crash, no sanitizer report", it checks the
// writer's contract: the canonical text settles after at most two round trips (write -> parse
// -> write is stable from the third text on), and strict mode refuses exactly what lenient
// mode warns about (deprecated lxc keys stay warnings). Proxmox's own writer is no exact
// fixpoint: a blank `env` value is written as `lxc.environment.runtime:  `, which reads back as
// an empty `env` that prints no line, and a `[pve:pending]` section holding only that prints a
// bare header, which reads back as no section (`[pve:pending]\nenv: ` takes both steps; see
// test_config_roundtrip and fuzz/corpus/config/blank-env.conf). Text with a NUL byte is no
// config: both modes refuse it (parse::check_bytes).
#include <pct/parse/config.hpp>
#include <pct/render/config.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = pct::parse::config(text);
    if (!parsed) {
        // Lenient mode fails only on binary data (a NUL byte), in both modes alike.
        pct::parse::ConfigOptions strict;
        strict.strict = true;
        if (text.find('\0') == std::string_view::npos || parsed.error().code != pct::Errc::parse ||
            pct::parse::config(text, strict))
            std::abort();
        return 0;
    }
    pct::parse::ConfigOptions strict;
    strict.strict = true;
    auto strict_parsed = pct::parse::config(text, strict);
    bool only_deprecations = true;
    for (const auto& w : parsed->warnings)
        only_deprecations = only_deprecations && w.code == pct::DiagCode::lxc_key_deprecated;
    if (strict_parsed.has_value() != only_deprecations)
        std::abort();

    auto first = pct::render::config(parsed->config);
    if (!first)
        return 0; // the writer refuses what Proxmox's writer dies on
    // One round trip of canonical text: read again (never fails), written again (never refused).
    auto round_trip = [](const std::string& canonical) {
        auto again = pct::parse::config(canonical);
        if (!again)
            std::abort();
        auto out = pct::render::config(again->config);
        if (!out)
            std::abort();
        return std::move(*out);
    };
    std::string second = round_trip(*first);
    std::string third = round_trip(second);
    if (round_trip(third) != third)
        std::abort();
    return 0;
}
