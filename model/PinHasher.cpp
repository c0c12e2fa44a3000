#include "PinHasher.h"

#include <QCoreApplication>
#include <QStringList>

#include <sodium.h>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

// The sentences a person reads, in the translations' context "SafeTill::PinHasher".
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::PinHasher)
};

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

} // namespace

PinHasher::Cost PinHasher::defaultCost()
{
    static const Cost cost =
        qEnvironmentVariable("SAFETILL_PIN_HASH_COST") == u"fast"_s ? Cost::Fast : Cost::Standard;
    return cost;
}

PinHasher::Parameters PinHasher::parameters(Cost cost)
{
    if (cost == Cost::Fast)
        return {qint64(crypto_pwhash_MEMLIMIT_MIN / 1024), int(crypto_pwhash_OPSLIMIT_MIN)};
    return standardParameters;
}

QString PinHasher::hash(const QString &pin, Cost cost)
{
    return hash(pin, parameters(cost));
}

QString PinHasher::hash(const QString &pin, Parameters parameters)
{
    if (!sodiumReady() || parameters.memoryKiB < 8 || parameters.passes < 1)
        return {};
    const QByteArray utf8 = pin.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(
            out, utf8.constData(), size_t(utf8.size()), (unsigned long long)(parameters.passes),
            size_t(parameters.memoryKiB) * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return {};
    return QString::fromLatin1(out);
}

bool PinHasher::verify(const QString &pin, const QString &stored)
{
    if (!sodiumReady() || stored.size() >= crypto_pwhash_STRBYTES)
        return false;
    const QByteArray hash = stored.toLatin1(); // NUL-terminated copy
    const QByteArray utf8 = pin.toUtf8();
    // libsodium compares in constant time.
    return crypto_pwhash_str_verify(hash.constData(), utf8.constData(), size_t(utf8.size())) == 0;
}

QString PinHasher::validate(const QString &pin)
{
    if (pin.size() < 4 || pin.size() > 12)
        return Text::tr("A PIN has 4 to 12 digits.");
    for (const QChar c : pin) {
        if (c < u'0' || c > u'9')
            return Text::tr("A PIN has digits only.");
    }
    return {};
}

QString PinHasher::checkAffordable(const QString &stored)
{
    // $argon2id$v=19$m=19456,t=2,p=1$salt$hash
    const QStringList parts = stored.split(u'$');
    if (parts.size() != 6 || !parts.at(0).isEmpty() || parts.at(1) != QStringLiteral("argon2id") ||
        parts.at(2) != QStringLiteral("v=19"))
        return QStringLiteral("not an Argon2id (v=19) hash");
    qint64 memory = -1;
    qint64 passes = -1;
    qint64 lanes = -1;
    for (const QString &parameter : parts.at(3).split(u',')) {
        const qsizetype equals = parameter.indexOf(u'=');
        bool ok = false;
        const qint64 value = parameter.mid(equals + 1).toLongLong(&ok);
        if (equals != 1 || !ok || value < 1)
            return QStringLiteral("unreadable parameters \"%1\"").arg(parts.at(3).left(64));
        const QChar name = parameter.at(0);
        if (name == u'm')
            memory = value;
        else if (name == u't')
            passes = value;
        else if (name == u'p')
            lanes = value;
        else
            return QStringLiteral("unreadable parameters \"%1\"").arg(parts.at(3).left(64));
    }
    if (memory < 1 || passes < 1 || lanes < 1)
        return QStringLiteral("parameters missing in \"%1\"").arg(parts.at(3).left(64));
    if (memory > maxMemoryKiB || passes > maxPasses || lanes > maxLanes)
        return QStringLiteral("a cost of %1 KiB, %2 passes and %3 lanes (a till allows at most "
                              "%4 KiB, %5 passes, %6 lanes)")
            .arg(memory)
            .arg(passes)
            .arg(lanes)
            .arg(maxMemoryKiB)
            .arg(maxPasses)
            .arg(maxLanes);
    return {};
}

} // namespace SafeTill
