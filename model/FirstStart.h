#pragma once

#include "Result.h"
#include "Types.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>

namespace SafeTill {

class Database;

// What the first-start set-up asks for: the shop's settings (ShopSettings names such as shop-name,
// address-line-1, tax-number, currency) and the first manager.
struct FirstStartSetup
{
    QList<std::pair<QString, QString>> shop;
    QString managerName;
    QString managerPin;
};

// The first start of a till that runs on its own: a database without any manager (and not synced
// with a server, whose cashiers come with the sync) is set up once, in one write transaction,
// through the owners of what it writes (ShopSettings, CashierService).
class FirstStart
{
    Q_DECLARE_TR_FUNCTIONS(SafeTill::FirstStart)

public:
    // The field name of the manager's name and PIN in apply()'s field errors.
    static inline const QString managerNameField = QStringLiteral("manager-name");
    static inline const QString managerPinField = QStringLiteral("manager-pin");

    // The first manager's PIN has 4 to 8 digits (the shop may later require more of everyone,
    // up to the PIN policy's maximum); empty when it does.
    static constexpr int maxFirstPinDigits = 8;
    static QString managerPinProblem(const QString &pin);
    // True when the database has no active manager and is not a till synced with a server.
    static Result<bool> needed(Database &db);
    // Writes the shop's settings and adds the manager, all or nothing. InvalidInput with every
    // refused field's message in *fieldErrors (by ShopSettings name, or the manager fields) and
    // nothing written; InvalidState when the database was set up meanwhile (another window or
    // process).
    static Result<Cashier> apply(Database &db, const FirstStartSetup &setup,
                                 QHash<QString, QString> *fieldErrors = nullptr);
};

} // namespace SafeTill
