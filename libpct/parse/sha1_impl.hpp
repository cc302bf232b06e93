// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: SHA-1 fed piece by piece, so that the file reader can hash the text block by
// block as it reads it. The SHA instructions of a block form one long dependency chain
// that leaves the rest of the core idle; issued between the parser's lines, they overlap
// the parsing instead of running on their own before it.
#pragma once

// The low-level SHA-1 calls (deprecated in OpenSSL 3) skip the provider fetch that the
// one-shot SHA1() does on every call; that fetch costs more than hashing a config file.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <pct/model/digest.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace pct::parse::detail {

/// The 20 bytes of a SHA-1 as its Digest (40 lower-case hex digits).
[[nodiscard]] Digest to_digest(const unsigned char (&bytes)[20]) noexcept;

class Sha1 {
  public:
    Sha1() noexcept { SHA1_Init(&m_ctx); }

    void update(const char* data, std::size_t size) noexcept { SHA1_Update(&m_ctx, data, size); }

    /// The digest (the object is spent afterwards).
    [[nodiscard]] Digest digest() noexcept {
        unsigned char md[SHA_DIGEST_LENGTH];
        SHA1_Final(md, &m_ctx);
        return to_digest(md);
    }

  private:
    SHA_CTX m_ctx;
};

#if defined(__x86_64__)
/// The working state of one SHA-1 computation with the SHA instructions (see sha1.cpp).
struct Sha1NiState {
    __m128i abcd, e0, e1, msg[4], abcd_save, e0_save;
};
#endif

/// The SHA-1 of a text that is read front to back. With the SHA instructions (most x86-64
/// CPUs since 2017), the reader calls step() after each line, and each call issues at most a
/// half block's rounds: a block's rounds are one dependency chain of about 120 cycles, and
/// in pieces that short the core runs them beside the parsing of the next line instead of
/// waiting on them (whole blocks at a time fill the reorder buffer first). The whole text is
/// in memory, so a half block is hashed as soon as the reader has reached its start, and the
/// padded last block goes the same way: little is left for finish(), which nothing
/// overlaps. Without the instructions, OpenSSL hashes the text in finish().
class Sha1Stream {
  public:
    /// `instructions` false: OpenSSL even where the SHA instructions exist (for the tests).
    explicit Sha1Stream(std::string_view text, bool instructions = true) noexcept;

    /// Hashes the next half block if the reader (at `read`) has reached its start.
    void step(const char* read) noexcept {
        if (m_next < m_stop && m_next <= static_cast<std::size_t>(read - m_text))
            step_slow();
    }

    /// The digest of the whole text (the object is spent).
    [[nodiscard]] Digest finish();

  private:
    void step_slow() noexcept;
    // The block that starts at offset `at` of the padded message.
    [[nodiscard]] const char* block(std::size_t at) noexcept {
        return at < m_whole ? m_text + at : tail_block(at);
    }
    [[nodiscard]] const char* tail_block(std::size_t at) noexcept;

    const char* m_text;
    std::size_t m_size;
    std::size_t m_whole;    // bytes in the whole blocks of the text
    std::size_t m_stop = 0; // end of the padded message (0: no SHA instructions)
    std::size_t m_next = 0; // where the next half block starts (a multiple of 32)
    bool m_tail_ready = false;
#if defined(__x86_64__)
    Sha1NiState m_state;
    alignas(16) unsigned char m_tail[128]; // the padded last one or two blocks
#endif
};

} // namespace pct::parse::detail
