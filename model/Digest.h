#pragma once

#include <QByteArrayView>
#include <QString>

namespace SafeTill {

// SHA-256 of `data` as 64 lowercase hex digits: QCryptographicHash's digest, computed by libsodium
// for a fraction of the instructions (the server hashes every request's token and fingerprints
// every action).
QString sha256Hex(QByteArrayView data);

} // namespace SafeTill
