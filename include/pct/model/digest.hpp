// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// `pct::Digest`: a config file's digest, the SHA-1 of its bytes as 40 lower-case hex digits
/// (Proxmox's `digest`), held inline.
///
/// A fixed-size value: reading a file makes no allocation for it (a `std::string` of 40
/// characters did, on every parse). It reads as a `std::string_view` and compares with
/// strings; `str()` makes a `std::string`. The default value is the empty digest (no file
/// read yet): `empty()`, and `view()` is "".
///
/// Threading: a plain value, freely copyable; no shared state.
#pragma once

#include <array>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace pct {

class Digest {
  public:
    /// The number of hex digits.
    static constexpr std::size_t hex_size = 40;

    constexpr Digest() noexcept = default;

    /// From 40 lower-case hex digits; anything else gives the empty digest.
    static constexpr Digest from_hex(std::string_view hex) noexcept {
        Digest d;
        if (hex.size() != hex_size)
            return d;
        for (char c : hex)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                return d;
        for (std::size_t i = 0; i < hex_size; ++i)
            d.m_hex[i] = hex[i];
        return d;
    }

    [[nodiscard]] constexpr bool empty() const noexcept { return m_hex[0] == '\0'; }
    [[nodiscard]] constexpr std::string_view view() const noexcept {
        return {m_hex.data(), empty() ? 0 : hex_size};
    }
    constexpr operator std::string_view() const noexcept { return view(); }
    [[nodiscard]] std::string str() const { return std::string(view()); }
    /// The digits, NUL-terminated ("" when empty).
    [[nodiscard]] constexpr const char* c_str() const noexcept { return m_hex.data(); }

    /// The 40 digits, for the code that computes them.
    [[nodiscard]] constexpr char* hex_data() noexcept { return m_hex.data(); }

    friend constexpr bool operator==(const Digest&, const Digest&) noexcept = default;
    friend constexpr bool operator==(const Digest& d, std::string_view hex) noexcept {
        return d.view() == hex;
    }

  private:
    std::array<char, hex_size + 1> m_hex{};
};

/// Writes the digits.
std::ostream& operator<<(std::ostream& out, const Digest& digest);

} // namespace pct
