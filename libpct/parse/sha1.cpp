// SPDX-License-Identifier: AGPL-3.0-or-later
// Sha1Stream: SHA-1 with the x86 SHA instructions, half a block (40 rounds) per call, so
// that the reader can spread a block's rounds over its lines; OpenSSL where they are missing.
#include "sha1_impl.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace pct::parse::detail {

namespace {

constexpr std::array<std::uint32_t, 5> k_initial = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu,
                                                    0x10325476u, 0xC3D2E1F0u};

// The two lower-case hex digits of each byte value.
constexpr std::array<char, 512> k_hex_pairs = [] {
    constexpr char digits[] = "0123456789abcdef";
    std::array<char, 512> t{};
    for (std::size_t i = 0; i < 256; ++i) {
        t[2 * i] = digits[i >> 4];
        t[2 * i + 1] = digits[i & 0xf];
    }
    return t;
}();

std::string to_hex(const std::array<std::uint32_t, 5>& h) {
    // Two digits per byte from the table, written once (no fill first).
    std::string out;
    out.resize_and_overwrite(40, [&h](char* p, std::size_t) noexcept {
        for (std::size_t w = 0; w < 5; ++w) {
            for (std::size_t b = 0; b < 4; ++b) {
                std::size_t byte = (h[w] >> (24 - 8 * b)) & 0xff;
                std::memcpy(p + 8 * w + 2 * b, &k_hex_pairs[2 * byte], 2);
            }
        }
        return std::size_t{40};
    });
    return out;
}

#if defined(__x86_64__)

bool has_sha_ni() noexcept {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1))
        return false;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    return (b & bit_SHA) != 0;
}

// Rounds 4*I .. 4*I+3 of a block (Intel's SHA extensions sample code, one group per step):
// the message words of group I are in msg[I % 4], and the schedule for the later groups is
// advanced as far as this one's words allow.
template <int I>
[[gnu::target("sha,sse4.1"), gnu::always_inline]] inline void
group(__m128i& abcd, __m128i& e0, __m128i& e1, __m128i (&msg)[4], const char* block) {
    constexpr int c = I % 4;
    if constexpr (I < 4) {
        const __m128i swap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
        msg[c] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * I)),
                                  swap);
    }
    __m128i& e = I % 2 == 0 ? e0 : e1;
    __m128i& other = I % 2 == 0 ? e1 : e0;
    if constexpr (I == 0)
        e = _mm_add_epi32(e, msg[0]);
    else
        e = _mm_sha1nexte_epu32(e, msg[c]);
    other = abcd;
    if constexpr (I >= 3 && I <= 18)
        msg[(I + 1) % 4] = _mm_sha1msg2_epu32(msg[(I + 1) % 4], msg[c]);
    abcd = _mm_sha1rnds4_epu32(abcd, e, I / 5);
    if constexpr (I >= 1 && I <= 16)
        msg[(I + 3) % 4] = _mm_sha1msg1_epu32(msg[(I + 3) % 4], msg[c]);
    if constexpr (I >= 2 && I <= 17)
        msg[(I + 2) % 4] = _mm_xor_si128(msg[(I + 2) % 4], msg[c]);
}

// Half a block: groups 10*H .. 10*H+9, with the state in registers in between.
template <int H>
[[gnu::target("sha,sse4.1")]] void half(Sha1NiState& s, const char* block) noexcept {
    __m128i abcd = s.abcd, e0 = s.e0, e1 = s.e1;
    __m128i msg[4] = {s.msg[0], s.msg[1], s.msg[2], s.msg[3]};
    if constexpr (H == 0) {
        s.abcd_save = abcd;
        s.e0_save = e0;
    }
    group<10 * H>(abcd, e0, e1, msg, block);
    group<10 * H + 1>(abcd, e0, e1, msg, block);
    group<10 * H + 2>(abcd, e0, e1, msg, block);
    group<10 * H + 3>(abcd, e0, e1, msg, block);
    group<10 * H + 4>(abcd, e0, e1, msg, block);
    group<10 * H + 5>(abcd, e0, e1, msg, block);
    group<10 * H + 6>(abcd, e0, e1, msg, block);
    group<10 * H + 7>(abcd, e0, e1, msg, block);
    group<10 * H + 8>(abcd, e0, e1, msg, block);
    group<10 * H + 9>(abcd, e0, e1, msg, block);
    if constexpr (H == 1) {
        e0 = _mm_sha1nexte_epu32(e0, s.e0_save);
        abcd = _mm_add_epi32(abcd, s.abcd_save);
    }
    s.abcd = abcd;
    s.e0 = e0;
    s.e1 = e1;
    for (int i = 0; i < 4; ++i)
        s.msg[i] = msg[i];
}

void run_half(Sha1NiState& s, const char* block, int h) noexcept {
    if (h == 0)
        half<0>(s, block);
    else
        half<1>(s, block);
}

void run_block(Sha1NiState& s, const char* block) noexcept {
    half<0>(s, block);
    half<1>(s, block);
}

#endif

} // namespace

Sha1Stream::Sha1Stream(std::string_view text) noexcept
    : m_hashed(text.data()), m_end(text.data() + text.size()), m_size(text.size()) {
#if defined(__x86_64__)
    static const bool ni = has_sha_ni();
    m_ni = ni;
    // The register forms of Intel's sample: ABCD with A in the top lane, E in the top lane.
    // Stores rather than a memset, which GCC makes a `rep stos` (slow to start for 144 bytes).
    const __m128i zero = _mm_setzero_si128();
    m_state.e1 = zero;
    for (__m128i& m : m_state.msg)
        m = zero;
    m_state.abcd_save = zero;
    m_state.e0_save = zero;
    m_state.abcd = _mm_set_epi32(static_cast<int>(k_initial[0]), static_cast<int>(k_initial[1]),
                                 static_cast<int>(k_initial[2]), static_cast<int>(k_initial[3]));
    m_state.e0 = _mm_set_epi32(static_cast<int>(k_initial[4]), 0, 0, 0);
#else
    m_ni = false;
#endif
}

void Sha1Stream::step_slow(const char* read) noexcept {
#if defined(__x86_64__)
    if (m_ni) {
        // Half a block per line: lines are about half a block long, so the hashing keeps up.
        run_half(m_state, m_hashed, m_half);
        if (++m_half == 2) {
            m_half = 0;
            m_hashed += 64;
        }
        return;
    }
#endif
    auto blocks = static_cast<std::size_t>(read - m_hashed) & ~std::size_t{63};
    m_fallback.update(m_hashed, blocks);
    m_hashed += blocks;
}

std::string Sha1Stream::finish() {
#if defined(__x86_64__)
    if (m_ni) {
        if (m_half == 1) {
            run_half(m_state, m_hashed, 1);
            m_half = 0;
            m_hashed += 64;
        }
        for (; m_end - m_hashed >= 64; m_hashed += 64)
            run_block(m_state, m_hashed);
        // The padding: 0x80, zeros, and the length in bits, big-endian, at the end of the
        // last block (one or two blocks).
        alignas(16) unsigned char tail[128] = {};
        auto rest = static_cast<std::size_t>(m_end - m_hashed);
        if (rest != 0) // an empty text's view may hold nullptr
            std::memcpy(tail, m_hashed, rest);
        tail[rest] = 0x80;
        std::size_t blocks = rest + 9 <= 64 ? 1 : 2;
        std::uint64_t bits = std::uint64_t{m_size} * 8;
        for (int i = 0; i < 8; ++i)
            tail[blocks * 64 - 1 - static_cast<std::size_t>(i)] =
                static_cast<unsigned char>(bits >> (8 * i));
        for (std::size_t b = 0; b < blocks; ++b)
            run_block(m_state, reinterpret_cast<const char*>(tail + 64 * b));
        alignas(16) std::uint32_t abcd[4];
        alignas(16) std::uint32_t e[4];
        _mm_store_si128(reinterpret_cast<__m128i*>(abcd), m_state.abcd);
        _mm_store_si128(reinterpret_cast<__m128i*>(e), m_state.e0);
        return to_hex({abcd[3], abcd[2], abcd[1], abcd[0], e[3]});
    }
#endif
    m_fallback.update(m_hashed, static_cast<std::size_t>(m_end - m_hashed));
    return m_fallback.hex();
}

} // namespace pct::parse::detail
