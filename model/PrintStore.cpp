#include "PrintStore.h"

#include "Database.h"

#include <QCoreApplication>
#include <QFile>
#include <QLocale>
#include <QSysInfo>
#include <QUuid>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#endif

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

// The columns a claim stores about its process (migration 019).
constexpr auto ownerColumns = "owner_pid, owner_host, owner_instance";

// Those columns, read from `column` on (a claim from before 019 has no pid).
PrintOwner ownerAt(const SqlRows &rows, int column)
{
    return PrintOwner{rows.isNull(column) ? 0 : rows.integer(column), rows.text(column + 1),
                      rows.text(column + 2)};
}

} // namespace

const PrintOwner &PrintOwner::current()
{
    static const PrintOwner self{QCoreApplication::applicationPid(), QSysInfo::machineHostName(),
                                 newToken()};
    return self;
}

bool PrintOwner::knownDead() const
{
    const PrintOwner &self = current();
    if (pid <= 0 || host.isEmpty() || host != self.host)
        return false; // another machine (or an old claim): only the time limit can tell
    if (pid == self.pid)
        return instance != self.instance; // this process id, but a later process than the claimer
#ifdef Q_OS_UNIX
    if (::kill(pid_t(pid), 0) != 0)
        return errno == ESRCH;
    // A zombie (dead, not yet reaped by its parent) still answers kill(): /proc says 'Z'.
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        const qsizetype end = text.lastIndexOf(')');
        if (end > 0 && end + 2 < text.size())
            return text.at(end + 2) == 'Z' || text.at(end + 2) == 'X';
    }
#endif
    return false;
}

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

bool PrintStore::claimGone(const QString &claimedAt, const PrintOwner &owner) const
{
    return claimedAt < abandonedBefore() || owner.knownDead();
}

Result<PrintClaim> PrintStore::insertCopyClaim(const QString &receiptNo, bool afterInterruption)
{
    const PrintClaim claim{receiptNo, newToken(), true, afterInterruption};
    const PrintOwner &owner = PrintOwner::current();
    m_db.change(u"INSERT INTO receipt_prints (id, receipt_no, kind, state, claim, terminal_id, "
                "claimed_at, %1) VALUES (?, ?, 'copy', 'printing', ?, ?, ?, ?, ?, ?)"_s.arg(
                    QLatin1StringView(ownerColumns)),
                {newToken(), receiptNo, claim.token, terminalId(), toStorageTime(m_clock.now()),
                 owner.pid, owner.host, owner.instance});
    return Result<PrintClaim>::ok(claim);
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
        const PrintClaim claim{number, newToken(), false, false};
        const QString now = toStorageTime(m_clock.now());
        const PrintOwner &self = PrintOwner::current();
        // The first claim of the original: the unique index on originals lets one caller in.
        if (m_db.change(u"INSERT INTO receipt_prints (id, receipt_no, kind, state, claim, "
                        "terminal_id, claimed_at, %1) VALUES (?, ?, 'original', 'printing', ?, ?, "
                        "?, ?, ?, ?) ON CONFLICT DO NOTHING"_s.arg(QLatin1StringView(ownerColumns)),
                        {newToken(), number, claim.token, terminalId(), now, self.pid, self.host,
                         self.instance}) == 1)
            return R::ok(claim);
        // Claimed before: again only when that print failed (the printer refused it, so it was
        // certainly not printed).
        if (m_db.change(
                u"UPDATE receipt_prints SET state = 'printing', claim = ?, terminal_id = ?, "
                "claimed_at = ?, error = NULL, owner_pid = ?, owner_host = ?, "
                "owner_instance = ? WHERE receipt_no = ? AND kind = 'original' "
                "AND state = 'failed'"_s,
                {claim.token, terminalId(), now, self.pid, self.host, self.instance, number}) == 1)
            return R::ok(claim);
        SqlRows &rows = m_db.query(u"SELECT state, printed_at, claim, claimed_at, owner_pid, "
                                   "owner_host, owner_instance FROM receipt_prints WHERE "
                                   "receipt_no = ? AND kind = 'original'"_s,
                                   {number});
        const bool found = rows.next();
        const QString state = found ? rows.text(0) : QString();
        const QDateTime printedAt = found ? fromStorageTime(rows.text(1)) : QDateTime();
        const QString token = found ? rows.text(2) : QString();
        const QString claimedAt = found ? rows.text(3) : QString();
        const PrintOwner owner = found ? ownerAt(rows, 4) : PrintOwner{};
        rows.finish();
        if (state == u"printed"_s)
            return R::failure(
                Outcome::InvalidState,
                Text::tr("Receipt %1 was printed already (%2); reprint it as a copy from "
                         "the receipts list.")
                    .arg(number,
                         QLocale().toString(printedAt.toLocalTime(), QLocale::ShortFormat)));
        // Interrupted: the printer may have printed the original. Never a second original: the
        // original is recorded as interrupted (once) and a copy is printed instead.
        if (state == u"interrupted"_s)
            return insertCopyClaim(number, true);
        if (state == u"printing"_s && claimGone(claimedAt, owner)) {
            if (m_db.change(u"UPDATE receipt_prints SET state = 'interrupted', error = ? WHERE "
                            "claim = ? AND state = 'printing'"_s,
                            {Text::tr("Printing was interrupted: the program printing it stopped "
                                      "before the printer answered.")
                                 .left(500),
                             token}) == 1)
                return insertCopyClaim(number, true);
        }
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
        return insertCopyClaim(number, false);
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
        // A copy stands in for an original whose print was interrupted: the customer has a
        // receipt now (printed_at of an interrupted original says when).
        if (claim.copy)
            m_db.change(u"UPDATE receipt_prints SET printed_at = ? WHERE receipt_no = ? AND "
                        "kind = 'original' AND state = 'interrupted' AND printed_at IS NULL"_s,
                        {toStorageTime(m_clock.now()), claim.receiptNo});
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
            "r.state <> 'failed') ORDER BY p.paid_at DESC, p.receipt_no DESC LIMIT ?"_s,
            {terminalId(), toStorageTime(since.isValid() ? since : m_clock.now()), limit});
        QStringList numbers;
        while (rows.next())
            numbers.append(rows.text(0));
        return R::ok(numbers);
    });
}

Result<QStringList> PrintStore::interrupted(const QDateTime &since, int limit)
{
    using R = Result<QStringList>;
    if (limit < 1 || limit > 1000)
        return R::invalidInput(Text::tr("The limit must be from 1 to 1000."));
    return m_db.read([&]() -> R {
        // Candidates in SQL (originals still printing, or recorded as interrupted without a copy
        // printed since: printed_at); whether a printing claim's process is gone is decided here.
        SqlRows &rows = m_db.query(
            u"SELECT p.receipt_no, r.state, r.claimed_at, r.owner_pid, r.owner_host, "
            "r.owner_instance FROM payments p JOIN receipt_prints r ON r.receipt_no = "
            "p.receipt_no AND r.kind = 'original' WHERE p.kind = 'sale' AND p.terminal_id = ? "
            "AND p.paid_at >= ? AND (r.state = 'printing' OR (r.state = 'interrupted' AND "
            "r.printed_at IS NULL)) "
            "ORDER BY p.paid_at DESC, p.receipt_no DESC"_s,
            {terminalId(), toStorageTime(since.isValid() ? since : m_clock.now())});
        QStringList numbers;
        while (rows.next() && numbers.size() < limit) {
            const PrintOwner owner = ownerAt(rows, 3);
            if (rows.text(1) == u"interrupted"_s || claimGone(rows.text(2), owner))
                numbers.append(rows.text(0));
        }
        rows.finish();
        return R::ok(numbers);
    });
}

Result<QHash<QString, PrintState>> PrintStore::states(const QStringList &receiptNos)
{
    using R = Result<QHash<QString, PrintState>>;
    return m_db.read([&]() -> R {
        QHash<QString, PrintState> found;
        for (const QString &number : receiptNos) {
            SqlRows &rows = m_db.query(
                u"SELECT r.state, r.claimed_at, r.owner_pid, r.owner_host, r.owner_instance, "
                "r.printed_at FROM receipt_prints r WHERE r.receipt_no = ? AND r.kind = 'original'"_s,
                {number});
            PrintState state = PrintState::NotPrinted;
            if (rows.next()) {
                const QString text = rows.text(0);
                const PrintOwner owner = ownerAt(rows, 2);
                if (text == u"printed"_s)
                    state = PrintState::Printed;
                else if (text == u"interrupted"_s)
                    state = rows.isNull(5) ? PrintState::Interrupted : PrintState::Printed;
                else if (text == u"printing"_s)
                    state = claimGone(rows.text(1), owner) ? PrintState::Interrupted
                                                           : PrintState::Printing;
            }
            rows.finish();
            found.insert(number, state);
        }
        return R::ok(found);
    });
}

} // namespace SafeTill
