#include "PrintStore.h"

#include "Database.h"

#include <QCoreApplication>
#include <QLocale>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::PrintStore)
};

QString newToken()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

PrintStore::PrintStore(Database &database, const Clock &clock)
    : m_db(database)
    , m_clock(clock)
{}

QString PrintStore::terminalId()
{
    if (m_terminalId.isEmpty())
        m_terminalId = m_db.scalar(u"SELECT terminal_id FROM terminal WHERE id = 1"_s).toString();
    return m_terminalId;
}

QString PrintStore::abandonedBefore() const
{
    return toStorageTime(m_clock.now().addMSecs(-abandonedAfterMs));
}

Result<PrintClaim> PrintStore::claimOriginal(const QString &receiptNo)
{
    using R = Result<PrintClaim>;
    const QString number = receiptNo.trimmed().toUpper();
    return m_db.write([&]() -> R {
        if (m_db.scalar(u"SELECT COUNT(*) FROM payments WHERE receipt_no = ? AND kind = 'sale'"_s,
                        {number})
                .toLongLong() == 0)
            return R::notFound(Text::tr("There is no receipt %1.").arg(number));
        const PrintClaim claim{number, newToken(), false};
        const QString now = toStorageTime(m_clock.now());
        // The first claim of the original: the unique index on originals lets one caller in.
        if (m_db.change(u"INSERT INTO receipt_prints (id, receipt_no, kind, state, claim, "
                        "terminal_id, claimed_at) VALUES (?, ?, 'original', 'printing', ?, ?, ?) "
                        "ON CONFLICT DO NOTHING"_s,
                        {newToken(), number, claim.token, terminalId(), now}) == 1)
            return R::ok(claim);
        // Claimed before: again only when that print failed or was abandoned.
        if (m_db.change(
                u"UPDATE receipt_prints SET state = 'printing', claim = ?, terminal_id = ?, "
                "claimed_at = ?, error = NULL WHERE receipt_no = ? AND kind = 'original' "
                "AND (state = 'failed' OR (state = 'printing' AND claimed_at < ?))"_s,
                {claim.token, terminalId(), now, number, abandonedBefore()}) == 1)
            return R::ok(claim);
        SqlRows &rows =
            m_db.query(u"SELECT state, printed_at FROM receipt_prints WHERE receipt_no = ? AND "
                       "kind = 'original'"_s,
                       {number});
        const bool found = rows.next();
        const QString state = found ? rows.text(0) : QString();
        const QDateTime printedAt = found ? fromStorageTime(rows.text(1)) : QDateTime();
        rows.finish();
        if (state == u"printed"_s)
            return R::failure(
                Outcome::InvalidState,
                Text::tr("Receipt %1 was printed already (%2); reprint it as a copy from "
                         "the receipts list.")
                    .arg(number,
                         QLocale().toString(printedAt.toLocalTime(), QLocale::ShortFormat)));
        return R::failure(
            Outcome::Conflict,
            Text::tr("Receipt %1 is being printed right now (another window or till).")
                .arg(number));
    });
}

Result<PrintClaim> PrintStore::claimCopy(const QString &receiptNo)
{
    using R = Result<PrintClaim>;
    const QString number = receiptNo.trimmed().toUpper();
    return m_db.write([&]() -> R {
        if (m_db.scalar(u"SELECT COUNT(*) FROM payments WHERE receipt_no = ? AND kind = 'sale'"_s,
                        {number})
                .toLongLong() == 0)
            return R::notFound(Text::tr("There is no receipt %1.").arg(number));
        const PrintClaim claim{number, newToken(), true};
        m_db.change(u"INSERT INTO receipt_prints (id, receipt_no, kind, state, claim, terminal_id, "
                    "claimed_at) VALUES (?, ?, 'copy', 'printing', ?, ?, ?)"_s,
                    {newToken(), number, claim.token, terminalId(), toStorageTime(m_clock.now())});
        return R::ok(claim);
    });
}

Result<PrintClaim> PrintStore::markPrinted(const PrintClaim &claim)
{
    using R = Result<PrintClaim>;
    return m_db.write([&]() -> R {
        if (m_db.change(u"UPDATE receipt_prints SET state = 'printed', printed_at = ? WHERE "
                        "claim = ? AND state = 'printing'"_s,
                        {toStorageTime(m_clock.now()), claim.token}) != 1)
            return R::failure(
                Outcome::InvalidState,
                Text::tr("The print of receipt %1 is no longer this window's to confirm.")
                    .arg(claim.receiptNo));
        return R::ok(claim);
    });
}

Result<PrintClaim> PrintStore::markFailed(const PrintClaim &claim, const QString &error)
{
    using R = Result<PrintClaim>;
    return m_db.write([&]() -> R {
        if (m_db.change(u"UPDATE receipt_prints SET state = 'failed', error = ? WHERE claim = ? "
                        "AND state = 'printing'"_s,
                        {error.left(500), claim.token}) != 1)
            return R::failure(
                Outcome::InvalidState,
                Text::tr("The print of receipt %1 is no longer this window's to confirm.")
                    .arg(claim.receiptNo));
        return R::ok(claim);
    });
}

Result<QStringList> PrintStore::notPrinted(const QDateTime &since, int limit)
{
    using R = Result<QStringList>;
    if (limit < 1 || limit > 1000)
        return R::invalidInput(Text::tr("The limit must be from 1 to 1000."));
    return m_db.read([&]() -> R {
        SqlRows &rows = m_db.query(
            u"SELECT p.receipt_no FROM payments p WHERE p.kind = 'sale' AND p.receipt_no IS NOT "
            "NULL AND p.terminal_id = ? AND p.paid_at >= ? AND NOT EXISTS (SELECT 1 FROM "
            "receipt_prints r WHERE r.receipt_no = p.receipt_no AND r.kind = 'original' AND "
            "(r.state = 'printed' OR (r.state = 'printing' AND r.claimed_at >= ?))) "
            "ORDER BY p.paid_at DESC, p.receipt_no DESC LIMIT ?"_s,
            {terminalId(), toStorageTime(since.isValid() ? since : m_clock.now()),
             abandonedBefore(), limit});
        QStringList numbers;
        while (rows.next())
            numbers.append(rows.text(0));
        return R::ok(numbers);
    });
}

Result<QHash<QString, PrintState>> PrintStore::states(const QStringList &receiptNos)
{
    using R = Result<QHash<QString, PrintState>>;
    return m_db.read([&]() -> R {
        QHash<QString, PrintState> found;
        const QString abandoned = abandonedBefore();
        for (const QString &number : receiptNos) {
            SqlRows &rows = m_db.query(u"SELECT state, claimed_at FROM receipt_prints WHERE "
                                       "receipt_no = ? AND kind = 'original'"_s,
                                       {number});
            PrintState state = PrintState::NotPrinted;
            if (rows.next()) {
                const QString text = rows.text(0);
                if (text == u"printed"_s)
                    state = PrintState::Printed;
                else if (text == u"printing"_s && rows.text(1) >= abandoned)
                    state = PrintState::Printing;
            }
            rows.finish();
            found.insert(number, state);
        }
        return R::ok(found);
    });
}

} // namespace SafeTill
