#include "Digest.h"

#include <sodium.h>

namespace SafeTill {

QString sha256Hex(QByteArrayView data)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char *>(data.data()),
                       static_cast<unsigned long long>(data.size()));
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return QString::fromLatin1(hex, 2 * crypto_hash_sha256_BYTES);
}

} // namespace SafeTill
