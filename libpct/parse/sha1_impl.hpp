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

#include <cstddef>
#include <string>

namespace pct::parse::detail {

class Sha1 {
  public:
    Sha1() noexcept { SHA1_Init(&m_ctx); }

    void update(const char* data, std::size_t size) noexcept { SHA1_Update(&m_ctx, data, size); }

    /// The digest as 40 lower-case hex digits (the object is spent afterwards).
    [[nodiscard]] std::string hex() {
        unsigned char md[SHA_DIGEST_LENGTH];
        SHA1_Final(md, &m_ctx);
        static constexpr char digits[] = "0123456789abcdef";
        std::string out(2 * SHA_DIGEST_LENGTH, '0');
        for (int i = 0; i < SHA_DIGEST_LENGTH; ++i) {
            out[2 * i] = digits[md[i] >> 4];
            out[2 * i + 1] = digits[md[i] & 0xf];
        }
        return out;
    }

  private:
    SHA_CTX m_ctx;
};

} // namespace pct::parse::detail
