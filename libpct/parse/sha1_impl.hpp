// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: the config digest (SHA-1) through OpenSSL. A hand-written SHA-NI version that
// hashed half blocks between the reader's lines was removed: measured against this in the same
// run it bought nothing (bench/RESULTS.md).
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

/// The SHA-1 of `bytes` (Proxmox's config digest), through OpenSSL.
[[nodiscard]] inline Digest sha1_digest(std::string_view bytes) noexcept {
    Sha1 sha;
    sha.update(bytes.data(), bytes.size());
    return sha.digest();
}

} // namespace pct::parse::detail
