#pragma once

#include "ZReport.h"

#include <QString>

#include <optional>

namespace SafeTill {

class Database;

// The one owner of the writes of shifts and cash movements (cmake/WriteOwners.cmake). A shift is a
// terminal's working period between two cash counts; every money fact of a terminal (a payment, a
// refund, a cash movement) names the shift that was open on its terminal when it was booked.
// Throws SqlFailure like the query helpers; call it inside Database::write()/read().
class ShiftStore
{
public:
    explicit ShiftStore(Database &database)
        : m_db(database)
    {}

    // The id of the terminal's open shift, opening one (float 0, marked auto-opened) when none is
    // open, so that a money fact always lands in exactly one shift. Call inside the money fact's
    // own write transaction: on SQLite that transaction holds the write lock; on PostgreSQL the
    // open shift's row is read FOR SHARE, so a close that locks it FOR UPDATE either waits for
    // this transaction (and counts its fact) or commits first (and this one opens the next shift).
    QString openShiftFor(const QString &terminalId, const QString &cashierId, const QString &now);

    // The terminal's open shift, if any. forClose: on PostgreSQL the row is locked FOR UPDATE, so
    // every money fact already booked in it has committed and none can be added until this
    // transaction ends (the writers read it FOR SHARE): the close's statements see one set of
    // facts. On SQLite the write transaction is that snapshot already.
    std::optional<Shift> openShift(const QString &terminalId, bool forClose = false);
    std::optional<Shift> shift(const QString &shiftId);
    // The closed shift with that Z number (0: the last one) of the terminal.
    std::optional<Shift> closedShift(const QString &terminalId, int zNumber);
    // A shift opened by a cashier with a counted float; false (nothing written) when the terminal
    // has an open shift already (its partial unique index; on PostgreSQL a racing open is waited
    // for).
    bool insertOpenShift(const Shift &shift);
    // A pay-in, pay-out or no-sale in the given shift (append-only).
    void insertMovement(const CashMovement &movement, const QString &terminalId);
    // The terminal's next Z number: one more than its last, from 1.
    int nextZNumber(const QString &terminalId);
    // Closes an open shift with its Z number, count and report (the stored text of the Z).
    // Conditional on the shift still being open: false (nothing written) otherwise.
    bool closeShift(const QString &shiftId, int zNumber, const QString &closedBy,
                    const QString &closedAt, Cents expectedCents, Cents countedCents,
                    std::optional<Cents> countedCardCents, const QByteArray &zReport);
    // The stored Z report of a closed shift, as printed.
    QByteArray storedZReport(const QString &shiftId);

    // The server's side of sync (protocol 5, docs/sync-protocol.md 5.6): a till's shifts stored
    // under the till's ids at the device (terminalId), each write at most once.
    //
    // Whether the shift exists at that terminal, making it when unknown as the till did when a
    // money fact opened it (open, float 0, auto-opened at the fact's time by its cashier). False
    // when it belongs to another terminal, or cannot be made (the terminal has another open
    // shift here: its close has not arrived).
    bool ensureSyncedShift(const QString &shiftId, const QString &terminalId,
                           const QString &openedAt, const QString &openedBy);
    // A till's full closed shift with its Z report text as printed. An open copy here (made by
    // its open or its first fact) is closed with the till's values; an unknown one is inserted
    // closed. False (nothing written) when the shift is closed here already or is another
    // terminal's.
    struct SyncedClose
    {
        Shift shift; // id, terminalId, openedBy, openedAt, floatCents, autoOpened, zNumber,
                     // closedAt
        QString closedBy;
        Cents expectedCents = 0;
        Cents countedCents = 0;
        std::optional<Cents> countedCardCents;
        QByteArray zReport;
    };
    bool storeSyncedClose(const SyncedClose &close);
    // A movement with the till's id; false (nothing written) when that id is held already.
    bool insertMovementOnce(const CashMovement &movement, const QString &terminalId);
    // The stored facts of a shift, for comparing a re-sent op with what was booked.
    struct StoredShift
    {
        QString terminalId;
        bool open = true;
        QString openedBy;
        QString openedAt;
        Cents floatCents = 0;
        bool autoOpened = false;
        int zNumber = 0;
        QByteArray zReport;
    };
    std::optional<StoredShift> storedShift(const QString &shiftId);
    std::optional<std::pair<CashMovement, QString>> storedMovement(const QString &movementId);

private:
    Database &m_db;
};

} // namespace SafeTill
