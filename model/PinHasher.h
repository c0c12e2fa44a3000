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
        Standard, // 128 MiB and 6 passes: what the product uses (see standardParameters)
        Fast,     // libsodium's minimum: for test suites that create many cashiers
    };

    // Argon2id's cost: memory in KiB and passes (libsodium always uses one lane).
    struct Parameters
    {
        qint64 memoryKiB = 0;
        int passes = 0;
    };
    // The production cost. A till receives these hashes, so a stolen till's hashes are guessed
    // offline at this cost: bench/bench_pin_hash.cpp measures it (README, "What a stolen till
    // reveals": about 0.66 s of CPU per guess on the 2-core build machine, so 1.8 h for all
    // 10^4 4-digit PINs and 7.6 days for all 10^6 6-digit ones on one core), while one login
    // stays under a second. OWASP's minimum (19 MiB, 2 passes) took 54 ms: one core tried every
    // 4-digit PIN in 9 minutes. Within what a till accepts (checkAffordable), so tills already
    // in the field take these hashes.
    static constexpr Parameters standardParameters{128 * 1024, 6};
    static Parameters parameters(Cost cost);

    // Empty string if the hash could not be computed (out of memory).
    static QString hash(const QString &pin, Cost cost = defaultCost());
    static QString hash(const QString &pin, Parameters parameters);
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
    static_assert(standardParameters.memoryKiB <= maxMemoryKiB &&
                  standardParameters.passes <= maxPasses);

    // SAFETILL_PIN_HASH_COST=fast selects Cost::Fast (tests only).
    static Cost defaultCost();
};

} // namespace SafeTill
