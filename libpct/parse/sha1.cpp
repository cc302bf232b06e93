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

// Half a block: groups 10*H .. 10*H+9, with the state in registers in between. Inlined into
// step_slow(), the one function that runs rounds: one call per half block, not three.
template <int H>
[[gnu::target("sha,sse4.1"), gnu::always_inline]] inline void half(Sha1NiState& s,
                                                                   const char* block) noexcept {
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

[[gnu::target("sha,sse4.1"), gnu::always_inline]] inline void
run_half(Sha1NiState& s, const char* block, int h) noexcept {
    if (h == 0)
        half<0>(s, block);
    else
        half<1>(s, block);
}

#endif

} // namespace

Digest to_digest(const unsigned char (&bytes)[20]) noexcept {
    // Two digits per byte from the table, written once (no fill first).
    Digest d;
    char* out = d.hex_data();
    for (std::size_t i = 0; i < 20; ++i)
        std::memcpy(out + 2 * i, &k_hex_pairs[2 * std::size_t{bytes[i]}], 2);
    return d;
}

Sha1Stream::Sha1Stream(std::string_view text, bool instructions) noexcept
    : m_text(text.data()), m_size(text.size()), m_whole(text.size() & ~std::size_t{63}) {
#if defined(__x86_64__)
    static const bool ni = has_sha_ni();
    if (!ni || !instructions)
        return; // finish() hashes it all with OpenSSL
    // The padding (0x80, zeros, the length in bits) fits after the rest of the text in one
    // block, or takes a second one.
    m_stop = m_whole + (m_size - m_whole + 9 <= 64 ? 64 : 128);
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
    (void)instructions;
#endif
}

#if defined(__x86_64__)
const char* Sha1Stream::tail_block(std::size_t at) noexcept {
    if (!m_tail_ready) {
        // The rest of the text, 0x80, zeros, and the length in bits, big-endian, at the end.
        std::size_t rest = m_size - m_whole;
        std::memset(m_tail, 0, sizeof m_tail);
        if (rest != 0) // an empty text's view may hold nullptr
            std::memcpy(m_tail, m_text + m_whole, rest);
        m_tail[rest] = 0x80;
        std::uint64_t bits = std::uint64_t{m_size} * 8;
        std::size_t last = m_stop - m_whole - 1;
        for (std::size_t i = 0; i < 8; ++i)
            m_tail[last - i] = static_cast<unsigned char>(bits >> (8 * i));
        m_tail_ready = true;
    }
    return reinterpret_cast<const char*>(m_tail) + (at - m_whole);
}

// Only reached with the SHA instructions (m_stop is 0 without them).
[[gnu::target("sha,sse4.1")]] void Sha1Stream::step_slow() noexcept {
    run_half(m_state, block(m_next & ~std::size_t{63}), (m_next & 32) ? 1 : 0);
    m_next += 32;
}
#else
const char* Sha1Stream::tail_block(std::size_t) noexcept { return nullptr; }
void Sha1Stream::step_slow() noexcept {}
#endif

Digest Sha1Stream::finish() {
#if defined(__x86_64__)
    if (m_stop != 0) {
        while (m_next < m_stop)
            step_slow();
        alignas(16) std::uint32_t abcd[4];
        alignas(16) std::uint32_t e[4];
        _mm_store_si128(reinterpret_cast<__m128i*>(abcd), m_state.abcd);
        _mm_store_si128(reinterpret_cast<__m128i*>(e), m_state.e0);
        // A, B, C, D from the top lane down, then E: big-endian bytes.
        const std::uint32_t words[5] = {abcd[3], abcd[2], abcd[1], abcd[0], e[3]};
        unsigned char bytes[20];
        for (std::size_t w = 0; w < 5; ++w)
            for (std::size_t b = 0; b < 4; ++b)
                bytes[4 * w + b] = static_cast<unsigned char>(words[w] >> (24 - 8 * b));
        return to_digest(bytes);
    }
#endif
    Sha1 fallback;
    fallback.update(m_text, m_size);
    return fallback.digest();
}

} // namespace pct::parse::detail
