#pragma once

#include <QString>

namespace SafeTill {

// PINs are stored only as salted Argon2id hashes from libsodium (the self-describing
// "$argon2id$v=19$m=...,t=...,p=1$salt$hash" form), so the cost can be raised later without
// invalidating existing PINs. A 4-digit PIN has only 10,000 values, so the slow hash is one layer:
// login throttling is the other.
class PinHasher
{
public:
    enum class Cost {
        Standard, // ~19 MiB and 2 passes (OWASP's Argon2id minimum): what the product uses
        Fast,     // libsodium's minimum: for test suites that create many cashiers
    };

    // Empty string if the hash could not be computed (out of memory).
    static QString hash(const QString &pin, Cost cost = defaultCost());
    static bool verify(const QString &pin, const QString &stored);
    // 4 to 12 digits; returns an empty string when valid, else the reason.
    static QString validate(const QString &pin);

    // Whether a stored hash (e.g. one received from a sync server) is Argon2id with a cost a till
    // can afford to verify: at most maxMemoryKiB of memory, maxPasses passes and maxLanes lanes.
    // A hostile or broken server must not make a till hang (or run out of memory) at login.
    // Empty when it is; else the reason.
    static constexpr qint64 maxMemoryKiB = 256 * 1024;
    static constexpr int maxPasses = 10;
    static constexpr int maxLanes = 4;
    static QString checkAffordable(const QString &stored);

    // SAFETILL_PIN_HASH_COST=fast selects Cost::Fast (tests only).
    static Cost defaultCost();
};

} // namespace SafeTill
