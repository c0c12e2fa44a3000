// PIN hashes on tills (issue 13, "PIN hashes"): a till receives only the cashiers allowed on it
// (`safetill-server device cashiers`), a cashier taken off its list or retired is deleted from the
// till by its next sync (the real sync client, `safetill-cli sync --once`), and the shop's
// min-pin-digits rule refuses short PINs from `user add` and `user set-pin` while existing shorter
// PINs keep working and are flagged by `user list`. Over HTTP to a real server process; runs on
// SQLite, and on PostgreSQL as tst_pin_policy_pg (SAFETILL_TEST_BACKEND=postgres).

#include "CashierService.h"
#include "Database.h"
#include "PinHasher.h"
#include "ServerTestClient.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using namespace SafeTill::Test;

namespace {

struct Run
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};

Run runProgram(const QString &program, const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.start(program, arguments);
    process.waitForStarted(10000);
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(60000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

// An admin command of safetill-server on `db`, with `input` (a PIN) on standard input.
Run admin(const QString &db, const QStringList &arguments, const QByteArray &input = {})
{
    return runProgram(QStringLiteral(SAFETILL_SERVER_PATH), QStringList{u"--db"_s, db} + arguments,
                      input);
}

Run cli(const QString &db, const QStringList &arguments)
{
    return runProgram(QStringLiteral(SAFETILL_CLI_PATH), QStringList{u"--db"_s, db} + arguments);
}

Response login(quint16 port, const QString &user, const QString &pin)
{
    HttpClient client(port);
    return client.request("POST", u"/api/auth/login"_s,
                          json({{u"username"_s, user}, {u"pin"_s, pin}}));
}

Response pull(quint16 port, const QByteArray &token, const QByteArray &etag = {})
{
    HttpClient client(port);
    Headers headers = bearer(token);
    if (!etag.isEmpty())
        headers.append({"If-None-Match", etag});
    return client.request("GET", u"/api/sync/v1/pull"_s, {}, headers);
}

QStringList names(const Response &pulled)
{
    QStringList result;
    for (const QJsonValue &cashier : pulled.json().value(u"cashiers"_s).toArray())
        result << cashier.toObject().value(u"name"_s).toString();
    return result;
}

// The names on `device cashiers`' standard output (id, name, role per line).
QStringList listedNames(const Run &run)
{
    QStringList result;
    for (const QByteArray &line : run.out.split('\n')) {
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() == 3)
            result << QString::fromUtf8(fields.at(1));
    }
    return result;
}

QString pinHashOf(Database &db, const QString &name)
{
    return queryValue(db, u"SELECT pin_hash FROM cashiers WHERE name = ?"_s, {name}).toString();
}

// A till: its own SQLite database, synced by the real client (`safetill-cli sync --once`).
class Till
{
public:
    Till(quint16 port, const QByteArray &token)
        : m_server(u"http://127.0.0.1:%1"_s.arg(port))
    {
        QFile file(m_dir.filePath(u"till.token"_s));
        if (file.open(QIODevice::WriteOnly)) {
            file.write(token + '\n');
            file.close();
            file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        }
    }
    QString path() const { return m_dir.filePath(u"till.sqlite"_s); }
    Run init() const { return cli(path(), {u"init"_s}); }
    Run sync() const
    {
        return cli(path(), {u"sync"_s, u"--server"_s, m_server, u"--token-file"_s,
                            m_dir.filePath(u"till.token"_s), u"--once"_s});
    }
    // What the till's login (CashierService::verifyPin) says, on a connection of its own.
    Outcome signIn(const QString &name, const QString &pin) const
    {
        QString error;
        const std::unique_ptr<Database> db = Database::open(DatabaseOptions{path()}, &error);
        if (!db)
            qFatal("till: %s", qPrintable(error));
        return CashierService(*db).verifyPin(name, pin).outcome();
    }
    QVariant value(const QString &sql, const QVariantList &values = {}) const
    {
        QString error;
        const std::unique_ptr<Database> db = Database::open(DatabaseOptions{path()}, &error);
        if (!db)
            qFatal("till: %s", qPrintable(error));
        return queryValue(*db, sql, values);
    }

private:
    QTemporaryDir m_dir;
    QString m_server;
};

} // namespace

class PinPolicyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pullSendsOnlyTheAllowedCashiers();
    void deviceCashiersRefusesBadCalls();
    void removedCashierLeavesTheTillAtItsNextSync();
    void minPinDigitsRefusesShortPins();
    void tillLocalCashierAddKeepsTheRule();
};

void PinPolicyTest::initTestCase()
{
    SAFETILL_REQUIRE_TEST_BACKEND();
}

void PinPolicyTest::pullSendsOnlyTheAllowedCashiers()
{
    TestDatabase db;
    ServerProcess server;
    QVERIFY(server.start(db.path()));
    Run run = admin(db.path(), {u"device"_s, u"add"_s, u"Till 1"_s});
    QCOMPARE(run.status, 0);
    const QByteArray till1 = run.out.trimmed();
    run = admin(db.path(), {u"device"_s, u"add"_s, u"Till 2"_s});
    QCOMPARE(run.status, 0);
    const QByteArray till2 = run.out.trimmed();
    const QStringList everyone{u"Alice"_s, u"Bob"_s, u"Maria"_s};

    // The default: every active cashier, printed and pulled.
    run = admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s});
    QCOMPARE(run.status, 0);
    QCOMPARE(listedNames(run), everyone);
    QVERIFY2(run.err.contains("every active cashier"), run.err.constData());
    Response first = pull(server.port(), till1);
    QCOMPARE(first.status, 200);
    QCOMPARE(names(first), everyone);
    const QByteArray etag = first.header("etag");
    QCOMPARE(pull(server.port(), till1, etag).status, 304);

    // Restricted by positional names (any case): only those, and not Bob's hash in any form.
    run = admin(db.path(), {u"device"_s, u"cashiers"_s, u"till 1"_s, u"alice"_s, u"Maria"_s});
    QCOMPARE(run.status, 0);
    QCOMPARE(listedNames(run), (QStringList{u"Alice"_s, u"Maria"_s}));
    QVERIFY2(run.err.contains("only the 2 cashier(s) listed"), run.err.constData());
    // The change is part of the pull's ETag: the till's cached answer is stale now.
    Response restricted = pull(server.port(), till1, etag);
    QCOMPARE(restricted.status, 200);
    QCOMPARE(names(restricted), (QStringList{u"Alice"_s, u"Maria"_s}));
    QVERIFY(!restricted.body.contains(pinHashOf(db.db(), u"Bob"_s).toLatin1()));
    QVERIFY(!restricted.body.contains(db.cashierId(u"Bob"_s).toLatin1()));
    // Another till keeps the default.
    QCOMPARE(names(pull(server.port(), till2)), everyone);

    // A cashier added later is not on a restricted list, but reaches the default till.
    QCOMPARE(admin(db.path(), {u"user"_s, u"add"_s, u"Zoe"_s}, "24681357\n").status, 0);
    QCOMPARE(names(pull(server.port(), till1)), (QStringList{u"Alice"_s, u"Maria"_s}));
    QCOMPARE(names(pull(server.port(), till2)), everyone + QStringList{u"Zoe"_s});

    // --set replaces the list (names or ids, repeats harmless).
    run = admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s, u"--set"_s,
                            u"Zoe,%1,zoe"_s.arg(db.cashierId(u"Bob"_s))});
    QCOMPARE(run.status, 0);
    QCOMPARE(names(pull(server.port(), till1)), (QStringList{u"Bob"_s, u"Zoe"_s}));
    // A retired cashier on the list is not sent.
    QCOMPARE(admin(db.path(), {u"user"_s, u"retire"_s, u"Zoe"_s}).status, 0);
    QCOMPARE(names(pull(server.port(), till1)), QStringList{u"Bob"_s});
    run = admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s});
    QCOMPARE(listedNames(run), QStringList{u"Bob"_s});

    // --all: back to the default.
    run = admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s, u"--all"_s});
    QCOMPARE(run.status, 0);
    QCOMPARE(listedNames(run), everyone);
    QCOMPARE(names(pull(server.port(), till1)), everyone);
    QCOMPARE(queryValue(db.db(), u"SELECT COUNT(*) FROM device_cashiers"_s).toInt(), 0);
    QCOMPARE(server.stop(), 0);
}

void PinPolicyTest::deviceCashiersRefusesBadCalls()
{
    TestDatabase db;
    QCOMPARE(admin(db.path(), {u"device"_s, u"add"_s, u"Till 1"_s}).status, 0);
    QCOMPARE(admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s, u"Bob"_s}).status, 0);
    int revision = queryValue(db.db(), u"SELECT revision FROM sync_catalog_state"_s).toInt();
    auto unchanged = [&] {
        return queryValue(db.db(), u"SELECT revision FROM sync_catalog_state"_s).toInt() ==
                   revision &&
               listedNames(admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s})) ==
                   QStringList{u"Bob"_s};
    };
    // An unknown cashier: 4, named, and nothing changed (not even the known ones before it).
    Run run = admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s, u"Alice"_s, u"Nobody"_s});
    QCOMPARE(run.status, 4);
    QVERIFY2(run.err.contains("Nobody"), run.err.constData());
    QVERIFY(unchanged());
    // An unknown device: 4.
    run = admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 9"_s});
    QCOMPARE(run.status, 4);
    QVERIFY2(run.err.contains("Till 9"), run.err.constData());
    // A retired cashier: by id 3; by name 4 (a retired cashier's name is free, names nobody).
    const QString mariaId = db.cashierId(u"Maria"_s);
    QCOMPARE(admin(db.path(), {u"user"_s, u"retire"_s, u"Maria"_s}).status, 0);
    revision = queryValue(db.db(), u"SELECT revision FROM sync_catalog_state"_s).toInt();
    run = admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s, mariaId});
    QCOMPARE(run.status, 3);
    QVERIFY2(run.err.contains("Maria is retired"), run.err.constData());
    run = admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s, u"Maria"_s});
    QCOMPARE(run.status, 4);
    QVERIFY(unchanged());
    // Shapes: an empty --set, --set with --all or with names, --set elsewhere, no device: 2.
    for (const QStringList &arguments :
         {QStringList{u"device"_s, u"cashiers"_s, u"Till 1"_s, u"--set"_s, u","_s},
          QStringList{u"device"_s, u"cashiers"_s, u"Till 1"_s, u"--set"_s, u"Bob"_s, u"--all"_s},
          QStringList{u"device"_s, u"cashiers"_s, u"Till 1"_s, u"Alice"_s, u"--all"_s},
          QStringList{u"device"_s, u"list"_s, u"--all"_s},
          QStringList{u"device"_s, u"cashiers"_s}}) {
        run = admin(db.path(), arguments);
        QVERIFY2(run.status == 2,
                 qPrintable(arguments.join(u' ') + u": "_s + QString::fromUtf8(run.err)));
    }
    QVERIFY(unchanged());
}

void PinPolicyTest::removedCashierLeavesTheTillAtItsNextSync()
{
    TestDatabase db;
    ServerProcess server;
    QVERIFY(server.start(db.path()));
    Run run = admin(db.path(), {u"device"_s, u"add"_s, u"Till 1"_s});
    QCOMPARE(run.status, 0);
    Till till(server.port(), run.out.trimmed());
    QCOMPARE(till.init().status, 0);
    run = till.sync();
    QVERIFY2(run.status == 0, run.err.constData());
    const QString bobHash = pinHashOf(db.db(), u"Bob"_s);
    const QString mariaHash = pinHashOf(db.db(), u"Maria"_s);
    QCOMPARE(till.value(u"SELECT pin_hash FROM cashiers WHERE name = 'Bob'"_s).toString(), bobHash);
    QCOMPARE(till.signIn(u"Bob"_s, u"5678"_s), Outcome::Ok);
    QCOMPARE(till.signIn(u"Maria"_s, u"9999"_s), Outcome::Ok);
    // Maria sells on this till: her row must stay there for her order's sake.
    QCOMPARE(cli(till.path(), {u"add"_s, u"Maria"_s, u"COF-ESP"_s}).status, 0);

    // Only Alice from now on.
    QCOMPARE(admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s, u"Alice"_s}).status, 0);
    run = till.sync();
    QVERIFY2(run.status == 0, run.err.constData());
    // Bob's row is gone; Maria's stays for her order, but with no PIN hash of hers left.
    QCOMPARE(till.value(u"SELECT COUNT(*) FROM cashiers WHERE id = ?"_s, {db.cashierId(u"Bob"_s)})
                 .toInt(),
             0);
    QCOMPARE(till.value(u"SELECT COUNT(*) FROM cashiers WHERE pin_hash IN (?, ?)"_s,
                        {bobHash, mariaHash})
                 .toInt(),
             0);
    QCOMPARE(till.value(u"SELECT COUNT(*) FROM order_sessions WHERE cashier_id = ?"_s,
                        {db.cashierId(u"Maria"_s)})
                 .toInt(),
             1);
    QCOMPARE(till.signIn(u"Bob"_s, u"5678"_s), Outcome::NotFound);
    QCOMPARE(till.signIn(u"Maria"_s, u"9999"_s), Outcome::NotFound);
    QCOMPARE(till.signIn(db.cashierId(u"Maria"_s), u"9999"_s), Outcome::NotFound);
    QCOMPARE(till.signIn(u"Alice"_s, u"1234"_s), Outcome::Ok);
    // They still sign in on the server itself (the list is about the till).
    QCOMPARE(login(server.port(), u"Bob"_s, u"5678"_s).status, 200);

    // Retiring Alice takes her off this till too, at its next sync.
    QCOMPARE(admin(db.path(), {u"user"_s, u"retire"_s, u"Alice"_s}).status, 0);
    run = till.sync();
    QVERIFY2(run.status == 0, run.err.constData());
    QCOMPARE(till.signIn(u"Alice"_s, u"1234"_s), Outcome::NotFound);
    QCOMPARE(
        till.value(u"SELECT COUNT(*) FROM cashiers WHERE name_key NOT LIKE 'retired:%'"_s).toInt(),
        0);

    // Back to the default: Bob and Maria return (Alice is retired) and sign in again.
    QCOMPARE(admin(db.path(), {u"device"_s, u"cashiers"_s, u"Till 1"_s, u"--all"_s}).status, 0);
    run = till.sync();
    QVERIFY2(run.status == 0, run.err.constData());
    QCOMPARE(till.signIn(u"Bob"_s, u"5678"_s), Outcome::Ok);
    QCOMPARE(till.signIn(u"Maria"_s, u"9999"_s), Outcome::Ok);
    QCOMPARE(till.signIn(u"Alice"_s, u"1234"_s), Outcome::NotFound);
    QCOMPARE(server.stop(), 0);
}

void PinPolicyTest::minPinDigitsRefusesShortPins()
{
    TestDatabase db;
    ServerProcess server;
    QVERIFY(server.start(db.path()));
    const QString aliceId = db.cashierId(u"Alice"_s);
    Run run = admin(db.path(), {u"settings"_s, u"show"_s});
    QCOMPARE(run.status, 0);
    QCOMPARE(run.out, QByteArray("min-pin-digits\t4\n"));
    run = admin(db.path(), {u"user"_s, u"list"_s});
    QVERIFY2(run.out.contains((aliceId + u"\tAlice\tcashier\tactive\tpin-ok\n"_s).toUtf8()),
             run.out.constData());

    // Bad settings: 2, naming the setting; nothing stored.
    for (const QStringList &arguments :
         {QStringList{u"settings"_s, u"set"_s, u"min-pin-digits"_s, u"3"_s},
          QStringList{u"settings"_s, u"set"_s, u"min-pin-digits"_s, u"13"_s},
          QStringList{u"settings"_s, u"set"_s, u"min-pin-digits"_s, u"six"_s},
          QStringList{u"settings"_s, u"set"_s, u"max-pin-digits"_s, u"6"_s},
          QStringList{u"settings"_s, u"set"_s, u"min-pin-digits"_s}}) {
        run = admin(db.path(), arguments);
        QVERIFY2(run.status == 2,
                 qPrintable(arguments.join(u' ') + u": "_s + QString::fromUtf8(run.err)));
        QVERIFY2(run.err.contains("-pin-digits") || run.err.contains("NAME VALUE"),
                 run.err.constData());
    }
    QCOMPARE(queryValue(db.db(), u"SELECT COUNT(*) FROM shop_settings"_s).toInt(), 0);

    run = admin(db.path(), {u"settings"_s, u"set"_s, u"min-pin-digits"_s, u"6"_s});
    QCOMPARE(run.status, 0);
    QCOMPARE(admin(db.path(), {u"settings"_s, u"show"_s}).out, QByteArray("min-pin-digits\t6\n"));

    // user add with a 4-digit PIN: refused, the rule named, nobody added.
    const int cashiers = queryValue(db.db(), u"SELECT COUNT(*) FROM cashiers"_s).toInt();
    const int revision = queryValue(db.db(), u"SELECT revision FROM sync_catalog_state"_s).toInt();
    run = admin(db.path(), {u"user"_s, u"add"_s, u"Zed"_s}, "2468\n");
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("at least 6 digits") && run.err.contains("min-pin-digits"),
             run.err.constData());
    run = admin(db.path(), {u"user"_s, u"add"_s, u"Zed"_s}, "24681\n");
    QCOMPARE(run.status, 2);
    QCOMPARE(queryValue(db.db(), u"SELECT COUNT(*) FROM cashiers"_s).toInt(), cashiers);
    QCOMPARE(login(server.port(), u"Zed"_s, u"2468"_s).status, 401);

    // set-pin with a 4-digit PIN: refused, Alice's hash untouched, her old PIN still works.
    const QString aliceHash = pinHashOf(db.db(), u"Alice"_s);
    run = admin(db.path(), {u"user"_s, u"set-pin"_s, u"Alice"_s}, "9753\n");
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("at least 6 digits"), run.err.constData());
    QCOMPARE(pinHashOf(db.db(), u"Alice"_s), aliceHash);
    QCOMPARE(queryValue(db.db(), u"SELECT revision FROM sync_catalog_state"_s).toInt(), revision);
    QCOMPARE(login(server.port(), u"Alice"_s, u"9753"_s).status, 401);
    QCOMPARE(login(server.port(), u"Alice"_s, u"1234"_s).status, 200);

    // user list flags the PINs shorter than the rule, and says what to do.
    run = admin(db.path(), {u"user"_s, u"list"_s});
    QCOMPARE(run.status, 0);
    QVERIFY2(run.out.contains((aliceId + u"\tAlice\tcashier\tactive\tpin-short\n"_s).toUtf8()),
             run.out.constData());
    QVERIFY2(run.err.contains("3 PIN(s)") && run.err.contains("set-pin"), run.err.constData());

    // Six digits: accepted, and they work at once.
    QCOMPARE(admin(db.path(), {u"user"_s, u"set-pin"_s, aliceId}, "975310\n").status, 0);
    QCOMPARE(login(server.port(), u"Alice"_s, u"975310"_s).status, 200);
    QCOMPARE(admin(db.path(), {u"user"_s, u"add"_s, u"Zed"_s}, "24681357\n").status, 0);
    QCOMPARE(login(server.port(), u"Zed"_s, u"24681357"_s).status, 200);
    run = admin(db.path(), {u"user"_s, u"list"_s});
    QVERIFY2(run.out.contains((aliceId + u"\tAlice\tcashier\tactive\tpin-ok\n"_s).toUtf8()),
             run.out.constData());
    QVERIFY2(run.out.contains("\tZed\tcashier\tactive\tpin-ok\n"), run.out.constData());
    QVERIFY2(run.err.contains("2 PIN(s)"), run.err.constData());
    // A PIN whose length was never recorded (set before version 8) is flagged as unknown.
    QCOMPARE(db.db().change(u"UPDATE cashiers SET pin_digits = NULL WHERE name = 'Bob'"_s), 1);
    run = admin(db.path(), {u"user"_s, u"list"_s});
    QVERIFY2(run.out.contains("\tBob\tcashier\tactive\tpin-unknown\n"), run.out.constData());
    QCOMPARE(server.stop(), 0);
}

void PinPolicyTest::tillLocalCashierAddKeepsTheRule()
{
    // A till that does not sync creates its own cashiers (safetill-cli cashier add); the same
    // setting, in its own database (safetill-cli settings), binds it.
    QTemporaryDir dir;
    const QString till = dir.filePath(u"till.sqlite"_s);
    QCOMPARE(cli(till, {u"init"_s}).status, 0);
    QVERIFY(cli(till, {u"settings"_s, u"show"_s}).out.contains("\nmin-pin-digits\t4\n"));
    Run run = cli(till, {u"settings"_s, u"set"_s, u"min-pin-digits"_s, u"13"_s});
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("4 to 12"), run.err.constData());
    QCOMPARE(cli(till, {u"settings"_s, u"set"_s, u"min-pin-digits"_s, u"6"_s}).status, 0);
    QVERIFY(cli(till, {u"settings"_s, u"show"_s}).out.contains("\nmin-pin-digits\t6\n"));
    run = cli(till, {u"cashier"_s, u"add"_s, u"Zed"_s, u"--pin"_s, u"2468"_s});
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.contains("at least 6 digits") || run.out.contains("at least 6 digits"),
             (run.out + run.err).constData());
    QCOMPARE(cli(till, {u"cashier"_s, u"add"_s, u"Zed"_s, u"--pin"_s, u"246813"_s}).status, 0);
}

QTEST_GUILESS_MAIN(PinPolicyTest)
#include "tst_pin_policy.moc"
