// Drives the real safetill-cli binary (QProcess) on temporary databases: every command's happy
// path in text and --json, the full cashier flow, idempotent request ids, exit statuses, and bad
// input that must be refused with a readable message while nothing in the database changes.

#include <QDate>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QString outText() const { return QString::fromUtf8(out); }
    QString errText() const { return QString::fromUtf8(err); }
    // The one JSON object --json prints on one line; empty if stdout is anything else.
    QJsonObject json() const
    {
        if (!out.endsWith('\n') || out.count('\n') != 1)
            return {};
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(out, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return {};
        return document.object();
    }
    QString describe() const
    {
        return u"exit %1\n--- stdout:\n%2\n--- stderr:\n%3"_s.arg(exitCode).arg(outText(),
                                                                                errText());
    }
};

// Compares the exit status and shows both output streams when it is not the expected one.
#define CHECK_EXIT(result, expected)                                                               \
    do {                                                                                           \
        const CliResult &checked_ = (result);                                                      \
        if (checked_.exitCode != (expected))                                                       \
            qWarning().noquote() << checked_.describe();                                           \
        QCOMPARE(checked_.exitCode, (expected));                                                   \
    } while (false)

constexpr int exitOk = 0;
constexpr int exitInvalid = 2;
constexpr int exitRefused = 3;
constexpr int exitNotFound = 4;

QString cliPath()
{
    return QStringLiteral(SAFETILL_CLI_PATH);
}

const QString itemsOkJson = uR"([{"sku":"COF-LAT","qty":2}])"_s;

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void syncWarnsOfAnUnencryptedServer();
    void initTestCase();
    void init();

    void helpAndVersion();
    void initCreatesDatabase();
    void cashierCommands();
    void productCommands();
    void importCsv();
    void productWithoutCategory_data();
    void productWithoutCategory();
    void textOutput();
    void cashierFlow();
    void completeByCard();
    void tabsAndSettle();
    void discountsAndSplitTender();
    void receiptsAndReprint();
    void shiftsAndReports();
    void emptyOrderRefused();
    void addResumesParkedOrder();
    void openPriceProduct();
    void pruneOnDemand();
    void idempotentRepeat_data();
    void idempotentRepeat();
    void replayShowsStoredResultAfterLaterChanges();
    void badInput_data();
    void badInput();
    void badCsv_data();
    void badCsv();
    void notFound_data();
    void notFound();
    void missingDatabase_data();
    void missingDatabase();
    void defaultDatabaseLocation();
    void sqlLookingStringsStoredVerbatim();

private:
    // Runs safetill-cli with exactly these arguments.
    // `input`: what the command reads from standard input (an approver's PIN), closed after.
    CliResult runCli(const QStringList &args, const QByteArray &input = {});
    // Runs it on this test's database.
    CliResult till(const QStringList &args, const QByteArray &input = {})
    {
        return runCli(QStringList{u"--db"_s, m_db} + args, input);
    }
    // A new database for the test, copied from a template made once.
    void freshDatabase(const QString &templatePath);
    QVariant dbValue(const QString &sql, const QVariantList &values = {});
    // Every row of every table plus the schema, as text: equal dumps mean nothing changed.
    QString dump();
    QString writeFile(const QString &name, const QByteArray &content);

    QTemporaryDir m_root;
    QString m_cleanTemplate;  // init --demo
    QString m_seededTemplate; // plus Alice's order (v3) and Bob's order on tab "Table 9"
    QString m_db;
    QString m_xdgDataHome;
    int m_databaseCount = 0;
    int m_connectionCount = 0;
};

CliResult TestCli::runCli(const QStringList &args, const QByteArray &input)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SAFETILL_PIN_HASH_COST"_s, u"fast"_s);
    // A command without --db must never reach the real user's data folder.
    environment.insert(u"XDG_DATA_HOME"_s, m_xdgDataHome);
    environment.insert(u"QT_LOGGING_RULES"_s, u"safetill.*.debug=false"_s);
    process.setProcessEnvironment(environment);
    process.start(cliPath(), args);
    CliResult result;
    if (!process.waitForStarted(10'000)) {
        result.err = "could not start " + cliPath().toUtf8();
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30'000)) {
        process.kill();
        process.waitForFinished(5'000);
        result.err = "timed out: " + args.join(u' ').toUtf8();
        return result;
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    return result;
}

void TestCli::freshDatabase(const QString &templatePath)
{
    m_db = m_root.filePath(u"db%1.sqlite"_s.arg(++m_databaseCount));
    QVERIFY(QFile::copy(templatePath, m_db));
    QVERIFY(QFile::setPermissions(m_db, QFile::ReadOwner | QFile::WriteOwner));
}

QVariant TestCli::dbValue(const QString &sql, const QVariantList &values)
{
    const QString name = u"tst_cli_%1"_s.arg(++m_connectionCount);
    QVariant value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_db);
        if (!db.open())
            qFatal("cannot open %s", qPrintable(m_db));
        QSqlQuery query(db);
        query.prepare(sql);
        for (qsizetype i = 0; i < values.size(); ++i)
            query.bindValue(int(i), values.at(i));
        if (!query.exec())
            qFatal("query failed: %s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        if (query.next())
            value = query.value(0);
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

QString TestCli::dump()
{
    const QString name = u"tst_cli_%1"_s.arg(++m_connectionCount);
    QString text;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_db);
        if (!db.open())
            return u"cannot open the database"_s;
        QSqlQuery schema(db);
        if (!schema.exec(u"SELECT type, name, sql FROM sqlite_master ORDER BY type, name"_s))
            return schema.lastError().text();
        QStringList tables;
        while (schema.next()) {
            text += u"%1 %2: %3\n"_s.arg(schema.value(0).toString(), schema.value(1).toString(),
                                         schema.value(2).toString());
            if (schema.value(0).toString() == u"table"_s)
                tables << schema.value(1).toString();
        }
        for (const QString &table : std::as_const(tables)) {
            QSqlQuery rows(db);
            if (!rows.exec(u"SELECT * FROM \"%1\" ORDER BY rowid"_s.arg(table)))
                return rows.lastError().text();
            while (rows.next()) {
                text += table + u':';
                for (int column = 0; column < rows.record().count(); ++column) {
                    const QVariant value = rows.value(column);
                    text += u'|' + (value.isNull() ? u"NULL"_s : value.toString());
                }
                text += u'\n';
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return text;
}

QString TestCli::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_root.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestCli::initTestCase()
{
    QVERIFY(m_root.isValid());
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath()));
    m_xdgDataHome = m_root.filePath(u"xdg-data"_s);
    QVERIFY(QDir().mkpath(m_xdgDataHome));

    m_cleanTemplate = m_root.filePath(u"clean-template.sqlite"_s);
    m_db = m_cleanTemplate;
    CHECK_EXIT(till({u"init"_s, u"--demo"_s}), exitOk);
    // The CLI closes its connection, so the whole database is in the main file.
    QVERIFY(!QFileInfo::exists(m_cleanTemplate + u"-wal"_s));

    m_seededTemplate = m_root.filePath(u"seeded-template.sqlite"_s);
    QVERIFY(QFile::copy(m_cleanTemplate, m_seededTemplate));
    m_db = m_seededTemplate;
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"--qty"_s, u"2"_s}), exitOk);
    const CliResult alice = till({u"--json"_s, u"add"_s, u"Alice"_s, u"BAK-CRO"_s});
    CHECK_EXIT(alice, exitOk);
    QCOMPARE(alice.json().value(u"version"_s).toInt(), 3); // the bad-input rows rely on it
    QCOMPARE(alice.json().value(u"total_cents"_s).toInteger(), 630);
    CHECK_EXIT(till({u"add"_s, u"Bob"_s, u"COF-LAT"_s}), exitOk);
    CHECK_EXIT(till({u"assign-tab"_s, u"Bob"_s, u"Table 9"_s}), exitOk);
    QVERIFY(!QFileInfo::exists(m_seededTemplate + u"-wal"_s));
}

void TestCli::init()
{
    freshDatabase(m_cleanTemplate);
}

void TestCli::helpAndVersion()
{
    for (const QString &option : {u"--help"_s, u"-h"_s}) {
        const CliResult help = runCli({option});
        CHECK_EXIT(help, exitOk);
        for (const QString &command :
             {u"init"_s, u"cashier add"_s, u"product import"_s, u"set-items"_s, u"assign-tab"_s,
              u"settle-tab"_s, u"history"_s, u"--request-id"_s, u"Exit status"_s})
            QVERIFY2(help.outText().contains(command), qPrintable(command));
    }
    for (const QString &option : {u"--version"_s, u"-v"_s}) {
        const CliResult version = runCli({option});
        CHECK_EXIT(version, exitOk);
        QCOMPARE(version.outText().trimmed(),
                 u"safetill "_s + QString::fromLatin1(SAFETILL_VERSION));
    }
}

void TestCli::initCreatesDatabase()
{
    m_db = m_root.filePath(u"new-%1.sqlite"_s.arg(++m_databaseCount));
    QVERIFY(!QFileInfo::exists(m_db));
    const CliResult created = till({u"--json"_s, u"init"_s, u"--demo"_s});
    CHECK_EXIT(created, exitOk);
    QCOMPARE(created.json().value(u"database"_s).toString(), m_db);
    QCOMPARE(created.json().value(u"cashiers_added"_s).toInt(), 3);
    QCOMPARE(created.json().value(u"products_added"_s).toInt(), 24);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM cashiers"_s).toInt(), 3);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM products"_s).toInt(), 24);
    QCOMPARE(dbValue(u"SELECT price_cents FROM products WHERE sku = 'COF-ESP'"_s).toInt(), 220);

    // Running it again adds nothing twice.
    const QString before = dump();
    const CliResult again = till({u"init"_s, u"--demo"_s});
    CHECK_EXIT(again, exitOk);
    QVERIFY(again.outText().startsWith(u"Database ready: "_s + m_db + u'\n'));
    QVERIFY(again.outText().contains(u"0 cashiers and 0 products added"_s));
    QCOMPARE(dump(), before);

    // Without --demo: an empty database.
    m_db = m_root.filePath(u"empty-%1.sqlite"_s.arg(++m_databaseCount));
    const CliResult empty = till({u"init"_s});
    CHECK_EXIT(empty, exitOk);
    QCOMPARE(empty.outText(), u"Database ready: "_s + m_db + u'\n');
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM cashiers"_s).toInt(), 0);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM products"_s).toInt(), 0);
}

void TestCli::cashierCommands()
{
    const CliResult added =
        till({u"cashier"_s, u"add"_s, u"Zoe"_s, u"--pin"_s, u"4321"_s, u"--role"_s, u"manager"_s});
    CHECK_EXIT(added, exitOk);
    const QString zoeId = dbValue(u"SELECT id FROM cashiers WHERE name = 'Zoe'"_s).toString();
    QVERIFY(!zoeId.isEmpty());
    QCOMPARE(added.outText(), u"Added Zoe (manager), id %1\n"_s.arg(zoeId));
    QCOMPARE(dbValue(u"SELECT role FROM cashiers WHERE id = ?"_s, {zoeId}).toString(),
             u"manager"_s);
    const QString hash =
        dbValue(u"SELECT pin_hash FROM cashiers WHERE id = ?"_s, {zoeId}).toString();
    QVERIFY(hash.startsWith(u"$argon2id$"_s));
    QVERIFY(!hash.contains(u"4321"_s));

    const CliResult json = till(
        {u"--json"_s, u"cashier"_s, u"add"_s, u"  Yann   Le  Goff "_s, u"--pin"_s, u"123456"_s});
    CHECK_EXIT(json, exitOk);
    QCOMPARE(json.json().value(u"name"_s).toString(), u"Yann Le Goff"_s);
    QCOMPARE(json.json().value(u"role"_s).toString(), u"cashier"_s); // the default
    QVERIFY(!json.json().value(u"id"_s).toString().isEmpty());

    const CliResult list = till({u"cashier"_s, u"list"_s});
    CHECK_EXIT(list, exitOk);
    const QStringList lines = list.outText().split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5);
    QVERIFY(lines.at(0).startsWith(u"Alice "_s));
    QVERIFY(lines.at(4).startsWith(u"Zoe "_s));
    QVERIFY(lines.at(4).contains(u"manager"_s));
    QVERIFY(lines.at(4).endsWith(zoeId));

    const CliResult listJson = till({u"--json"_s, u"cashier"_s, u"list"_s});
    CHECK_EXIT(listJson, exitOk);
    const QJsonArray cashiers = listJson.json().value(u"cashiers"_s).toArray();
    QStringList names;
    for (const QJsonValue &cashier : cashiers)
        names << cashier.toObject().value(u"name"_s).toString();
    QCOMPARE(names, (QStringList{u"Alice"_s, u"Bob"_s, u"Maria"_s, u"Yann Le Goff"_s, u"Zoe"_s}));
    QCOMPARE(cashiers.at(2).toObject().value(u"role"_s).toString(), u"manager"_s);

    // Names are unique regardless of case: nothing is added.
    const QString before = dump();
    const CliResult duplicate = till({u"cashier"_s, u"add"_s, u"ZOE"_s, u"--pin"_s, u"1111"_s});
    CHECK_EXIT(duplicate, exitInvalid);
    QVERIFY(duplicate.errText().contains(u"already a cashier"_s));
    QCOMPARE(dump(), before);

    // Cashier names are found without regard to case.
    CHECK_EXIT(till({u"open"_s, u"zoe"_s}), exitOk);
    QCOMPARE(
        dbValue(u"SELECT COUNT(*) FROM order_sessions WHERE cashier_id = ?"_s, {zoeId}).toInt(), 1);
}

void TestCli::productCommands()
{
    const CliResult added = till({u"product"_s, u"add"_s, u"TST-1"_s, u"Test thing"_s, u"1234"_s,
                                  u"--category"_s, u"Misc"_s});
    CHECK_EXIT(added, exitOk);
    QCOMPARE(added.outText(), u"Added TST-1 Test thing at 12.34\n"_s);
    QCOMPARE(dbValue(u"SELECT name || '|' || price_cents || '|' || category FROM products "
                     "WHERE sku = 'TST-1'"_s)
                 .toString(),
             u"Test thing|1234|Misc"_s);

    const CliResult json = till({u"--json"_s, u"product"_s, u"add"_s, u"TST-0"_s, u"Free sample"_s,
                                 u"0"_s, u"--category"_s, u""_s});
    CHECK_EXIT(json, exitOk);
    QCOMPARE(json.json(), (QJsonObject{{u"sku"_s, u"TST-0"_s},
                                       {u"name"_s, u"Free sample"_s},
                                       {u"price_cents"_s, 0},
                                       {u"category"_s, u""_s}}));

    const CliResult list = till({u"product"_s, u"list"_s});
    CHECK_EXIT(list, exitOk);
    QCOMPARE(list.outText().count(u'\n'), 26);
    QVERIFY(list.outText().contains(QRegularExpression(u"^TST-1 +Test thing +12\\.34  Misc$"_s,
                                                       QRegularExpression::MultilineOption)));
    QVERIFY(list.outText().contains(QRegularExpression(u"^COF-ESP +Espresso +2\\.20  Coffee$"_s,
                                                       QRegularExpression::MultilineOption)));

    const CliResult listJson = till({u"--json"_s, u"product"_s, u"list"_s});
    CHECK_EXIT(listJson, exitOk);
    const QJsonArray products = listJson.json().value(u"products"_s).toArray();
    QCOMPARE(products.size(), 26);
    bool sawCroissant = false;
    for (const QJsonValue &value : products) {
        const QJsonObject product = value.toObject();
        if (product.value(u"sku"_s).toString() == u"BAK-CRO"_s) {
            sawCroissant = true;
            QCOMPARE(product.value(u"price_cents"_s).toInteger(), 190);
            QCOMPARE(product.value(u"name"_s).toString(), u"Croissant"_s);
            QCOMPARE(product.value(u"category"_s).toString(), u"Bakery"_s);
        }
    }
    QVERIFY(sawCroissant);

    const QString before = dump();
    const CliResult duplicate = till({u"product"_s, u"add"_s, u"COF-ESP"_s, u"Other"_s, u"1"_s});
    CHECK_EXIT(duplicate, exitInvalid);
    QVERIFY(duplicate.errText().contains(u"already a product with SKU COF-ESP"_s));
    QCOMPARE(dump(), before);
}

void TestCli::importCsv()
{
    // A byte-order mark, CRLF line ends, a quoted comma, an update and a new product.
    const QString path = writeFile(u"good.csv"_s, "\xEF\xBB\xBFsku,name,price_cents,category\r\n"
                                                  "COF-ESP,Espresso,250,Coffee\r\n"
                                                  "NEW-1,\"Tart, lemon\",375,Bakery\r\n");
    const CliResult imported = till({u"product"_s, u"import"_s, path});
    CHECK_EXIT(imported, exitOk);
    QCOMPARE(imported.outText(), u"Imported: 1 added, 1 updated\n"_s);
    QCOMPARE(dbValue(u"SELECT price_cents FROM products WHERE sku = 'COF-ESP'"_s).toInt(), 250);
    QCOMPARE(dbValue(u"SELECT name FROM products WHERE sku = 'NEW-1'"_s).toString(),
             u"Tart, lemon"_s);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM products"_s).toInt(), 25);

    // The same file again updates both; the JSON counts say so.
    const CliResult again = till({u"--json"_s, u"product"_s, u"import"_s, path});
    CHECK_EXIT(again, exitOk);
    QCOMPARE(again.json(), (QJsonObject{{u"added"_s, 0}, {u"updated"_s, 2}}));
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM products"_s).toInt(), 25);

    // The new price applies to orders from now on.
    const CliResult order = till({u"--json"_s, u"add"_s, u"Alice"_s, u"COF-ESP"_s});
    CHECK_EXIT(order, exitOk);
    QCOMPARE(order.json().value(u"total_cents"_s).toInteger(), 250);
}

void TestCli::productWithoutCategory_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("csv");

    QTest::newRow("product add without --category")
        << QStringList{u"product"_s, u"add"_s, u"NC-1"_s, u"No category"_s, u"120"_s}
        << QByteArray();
    QTest::newRow("import without a category column")
        << QStringList{u"product"_s, u"import"_s, u"@CSV"_s}
        << QByteArray("sku,name,price_cents\nNC-1,No category,120\n");
    QTest::newRow("import with an empty category")
        << QStringList{u"product"_s, u"import"_s, u"@CSV"_s}
        << QByteArray("sku,name,price_cents,category\nNC-1,No category,120,\n");
}

void TestCli::productWithoutCategory()
{
    // The category is optional (help: [--category C], CSV header [,category]).
    QFETCH(QStringList, args);
    QFETCH(QByteArray, csv);
    if (!csv.isEmpty())
        args.replace(args.indexOf(u"@CSV"_s), writeFile(u"nocategory.csv"_s, csv));

    const CliResult added = till(args);
    CHECK_EXIT(added, exitOk);
    QCOMPARE(dbValue(u"SELECT category FROM products WHERE sku = 'NC-1'"_s).toString(), u""_s);
    QCOMPARE(dbValue(u"SELECT price_cents FROM products WHERE sku = 'NC-1'"_s).toInt(), 120);
}

void TestCli::textOutput()
{
    const CliResult added = till({u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"--qty"_s, u"2"_s});
    CHECK_EXIT(added, exitOk);
    const QString id = dbValue(u"SELECT id FROM order_sessions"_s).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(added.outText(), u"Order %1 (Alice): active, version 2\n"
                              "    1  COF-ESP       Espresso                      2 x 2.20 = 4.40\n"
                              "Total: 4.40\n"_s.arg(id));
    QVERIFY(added.err.isEmpty());

    const CliResult shown = till({u"show"_s, u"Alice"_s});
    CHECK_EXIT(shown, exitOk);
    QCOMPARE(shown.out, added.out);

    const CliResult paid =
        till({u"complete"_s, u"Alice"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"1000"_s});
    CHECK_EXIT(paid, exitOk);
    const QString receipt = dbValue(u"SELECT receipt_no FROM payments"_s).toString();
    QVERIFY(!receipt.isEmpty());
    QCOMPARE(paid.outText(), u"Order %1 (Alice): completed, version 3, receipt %2\n"
                             "    1  COF-ESP       Espresso                      2 x 2.20 = 4.40\n"
                             "Total: 4.40\n"
                             "Paid 4.40 by cash, tendered 10.00, change 5.60\n"_s.arg(id, receipt));

    const CliResult noTabs = till({u"tabs"_s});
    CHECK_EXIT(noTabs, exitOk);
    QCOMPARE(noTabs.outText(), u"No open tabs.\n"_s);
    const CliResult noTabsJson = till({u"--json"_s, u"tabs"_s});
    CHECK_EXIT(noTabsJson, exitOk);
    QCOMPARE(noTabsJson.json(), (QJsonObject{{u"tabs"_s, QJsonArray()}}));

    const CliResult history = till({u"history"_s, id});
    CHECK_EXIT(history, exitOk);
    const QStringList entries = history.outText().split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(entries.size(), 3);
    QVERIFY(entries.at(0).contains(u"  open  v- -> v1  "_s));
    QVERIFY(
        entries.at(1).contains(u"  add_item  v1 -> v2  active -> active  line 1: COF-ESP x2"_s));
    QVERIFY(entries.at(2).contains(u"  complete  v2 -> v3  active -> completed  paid 440 cents"_s));
}

void TestCli::cashierFlow()
{
    // open
    const CliResult opened = till({u"--json"_s, u"open"_s, u"Alice"_s});
    CHECK_EXIT(opened, exitOk);
    QJsonObject order = opened.json();
    const QString id = order.value(u"id"_s).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(order.value(u"cashier"_s).toString(), u"Alice"_s);
    QCOMPARE(order.value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(order.value(u"version"_s).toInt(), 1);
    QCOMPARE(order.value(u"lines"_s).toArray().size(), 0);
    QCOMPARE(order.value(u"total_cents"_s).toInteger(), 0);
    QVERIFY(order.value(u"tab"_s).isNull());
    QVERIFY(order.value(u"receipt_no"_s).isNull());
    QVERIFY(order.value(u"payment"_s).isNull());
    QCOMPARE(dbValue(u"SELECT status || ' ' || version FROM order_sessions WHERE id = ?"_s, {id})
                 .toString(),
             u"active 1"_s);

    // Opening again while it is active changes nothing.
    const CliResult reopened = till({u"--json"_s, u"open"_s, u"Alice"_s});
    CHECK_EXIT(reopened, exitOk);
    QCOMPARE(reopened.json().value(u"id"_s).toString(), id);
    QCOMPARE(reopened.json().value(u"version"_s).toInt(), 1);

    const auto step = [&](const QStringList &args) {
        const CliResult result = till(QStringList{u"--json"_s} + args);
        if (result.exitCode != exitOk)
            qWarning().noquote() << result.describe();
        return result.json();
    };
    const auto line = [](const QJsonObject &order, int index) {
        return order.value(u"lines"_s).toArray().at(index).toObject();
    };

    // add, add, add the same product again (one line, more of it)
    order = step({u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"--qty"_s, u"2"_s});
    QCOMPARE(order.value(u"id"_s).toString(), id);
    QCOMPARE(order.value(u"version"_s).toInt(), 2);
    QCOMPARE(line(order, 0).value(u"line"_s).toInt(), 1);
    QCOMPARE(line(order, 0).value(u"sku"_s).toString(), u"COF-ESP"_s);
    QCOMPARE(line(order, 0).value(u"qty"_s).toInt(), 2);
    QCOMPARE(line(order, 0).value(u"unit_price_cents"_s).toInteger(), 220);
    QCOMPARE(order.value(u"total_cents"_s).toInteger(), 440);
    order = step({u"add"_s, u"Alice"_s, u"BAK-CRO"_s});
    QCOMPARE(order.value(u"version"_s).toInt(), 3);
    QCOMPARE(line(order, 1).value(u"line"_s).toInt(), 2);
    QCOMPARE(line(order, 1).value(u"sku"_s).toString(), u"BAK-CRO"_s);
    QCOMPARE(line(order, 1).value(u"unit_price_cents"_s).toInteger(), 190);
    QCOMPARE(order.value(u"total_cents"_s).toInteger(), 630);
    order = step({u"add"_s, u"Alice"_s, u"COF-ESP"_s});
    QCOMPARE(order.value(u"version"_s).toInt(), 4);
    QCOMPARE(order.value(u"lines"_s).toArray().size(), 2);
    QCOMPARE(line(order, 0).value(u"qty"_s).toInt(), 3);
    QCOMPARE(order.value(u"total_cents"_s).toInteger(), 850);

    // set-qty, remove
    order = step({u"set-qty"_s, u"Alice"_s, u"2"_s, u"3"_s});
    QCOMPARE(order.value(u"version"_s).toInt(), 5);
    QCOMPARE(line(order, 1).value(u"qty"_s).toInt(), 3);
    QCOMPARE(order.value(u"total_cents"_s).toInteger(), 660 + 570);
    order = step({u"remove"_s, u"Alice"_s, u"1"_s});
    QCOMPARE(order.value(u"version"_s).toInt(), 6);
    QCOMPARE(order.value(u"lines"_s).toArray().size(), 1);
    QCOMPARE(line(order, 0).value(u"line"_s).toInt(), 2);
    QCOMPARE(line(order, 0).value(u"sku"_s).toString(), u"BAK-CRO"_s);
    QCOMPARE(order.value(u"total_cents"_s).toInteger(), 570);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s, {id}).toInt(), 1);

    // set-items with the version on screen: a catalog item and an open-price item
    order = step(
        {u"set-items"_s, u"Alice"_s,
         uR"([{"sku":"COF-LAT","qty":2},{"name":"Birthday cake","unit_price_cents":450,"qty":1}])"_s,
         u"--expect-version"_s, u"6"_s});
    QCOMPARE(order.value(u"version"_s).toInt(), 7);
    QCOMPARE(order.value(u"lines"_s).toArray().size(), 2);
    // Line numbers are never reused: the new lines follow lines 1 and 2 of before.
    QCOMPARE(line(order, 0).value(u"line"_s).toInt(), 3);
    QCOMPARE(line(order, 0).value(u"sku"_s).toString(), u"COF-LAT"_s);
    QCOMPARE(line(order, 0).value(u"qty"_s).toInt(), 2);
    QCOMPARE(line(order, 0).value(u"unit_price_cents"_s).toInteger(), 340);
    QCOMPARE(line(order, 1).value(u"line"_s).toInt(), 4);
    QVERIFY(line(order, 1).value(u"sku"_s).isNull());
    QCOMPARE(line(order, 1).value(u"name"_s).toString(), u"Birthday cake"_s);
    QCOMPARE(line(order, 1).value(u"unit_price_cents"_s).toInteger(), 450);
    QCOMPARE(order.value(u"total_cents"_s).toInteger(), 1130);

    // ... and with a stale version: a conflict carrying the current order; nothing changes.
    QString before = dump();
    const CliResult stale =
        till({u"--json"_s, u"set-items"_s, u"Alice"_s, itemsOkJson, u"--expect-version"_s, u"6"_s});
    CHECK_EXIT(stale, exitRefused);
    const QJsonObject error = stale.json().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), u"conflict"_s);
    QVERIFY(error.value(u"message"_s).toString().contains(u"version 6"_s));
    QVERIFY(error.value(u"message"_s).toString().contains(u"version 7"_s));
    QCOMPARE(error.value(u"order"_s).toObject().value(u"id"_s).toString(), id);
    QCOMPARE(error.value(u"order"_s).toObject().value(u"version"_s).toInt(), 7);
    QCOMPARE(error.value(u"order"_s).toObject().value(u"total_cents"_s).toInteger(), 1130);
    QCOMPARE(stale.errText().trimmed(), error.value(u"message"_s).toString());
    QCOMPARE(dump(), before);
    const CliResult staleText =
        till({u"set-items"_s, u"Alice"_s, itemsOkJson, u"--expect-version"_s, u"6"_s});
    CHECK_EXIT(staleText, exitRefused);
    QVERIFY(staleText.out.isEmpty());
    QVERIFY(staleText.errText().contains(u"changed in another window"_s));

    // show
    const CliResult shown = till({u"show"_s, u"Alice"_s});
    CHECK_EXIT(shown, exitOk);
    QVERIFY(shown.outText().startsWith(u"Order %1 (Alice): active, version 7\n"_s.arg(id)));
    QVERIFY(shown.outText().contains(u"Birthday cake"_s));
    QVERIFY(shown.outText().endsWith(u"Total: 11.30\n"_s));
    const CliResult shownJson = till({u"--json"_s, u"show"_s, u"Alice"_s});
    CHECK_EXIT(shownJson, exitOk);
    QCOMPARE(shownJson.json(), order);

    // logout: the order is parked, not lost; edits are refused until the cashier returns
    order = step({u"logout"_s, u"Alice"_s});
    QCOMPARE(order.value(u"id"_s).toString(), id);
    QCOMPARE(order.value(u"status"_s).toString(), u"pending_logout"_s);
    QCOMPARE(order.value(u"version"_s).toInt(), 8);
    QVERIFY(!order.value(u"logout_time"_s).toString().isEmpty());
    QCOMPARE(dbValue(u"SELECT status FROM order_sessions WHERE id = ?"_s, {id}).toString(),
             u"pending_logout"_s);
    before = dump();
    const CliResult parked = till({u"--json"_s, u"set-qty"_s, u"Alice"_s, u"1"_s, u"1"_s});
    CHECK_EXIT(parked, exitRefused);
    QCOMPARE(parked.json().value(u"error"_s).toObject().value(u"code"_s).toString(),
             u"invalid_state"_s);
    QCOMPARE(parked.json()
                 .value(u"error"_s)
                 .toObject()
                 .value(u"order"_s)
                 .toObject()
                 .value(u"status"_s)
                 .toString(),
             u"pending_logout"_s);
    QVERIFY(parked.errText().contains(u"logged out"_s));
    CHECK_EXIT(
        till({u"complete"_s, u"Alice"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"5000"_s}),
        exitRefused);
    CHECK_EXIT(till({u"assign-tab"_s, u"Alice"_s, u"Bar"_s}), exitRefused);
    CHECK_EXIT(till({u"logout"_s, u"Alice"_s}), exitRefused);
    QCOMPARE(dump(), before);

    // open again: the same order comes back, with its lines
    order = step({u"open"_s, u"Alice"_s});
    QCOMPARE(order.value(u"id"_s).toString(), id);
    QCOMPARE(order.value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(order.value(u"version"_s).toInt(), 9);
    QVERIFY(order.value(u"logout_time"_s).isNull());
    QCOMPARE(order.value(u"total_cents"_s).toInteger(), 1130);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_sessions"_s).toInt(), 1);

    // complete with a stale version: refused, nothing paid
    before = dump();
    const CliResult staleComplete =
        till({u"--json"_s, u"complete"_s, u"Alice"_s, u"--method"_s, u"cash"_s, u"--tendered"_s,
              u"2000"_s, u"--expect-version"_s, u"8"_s});
    CHECK_EXIT(staleComplete, exitRefused);
    QCOMPARE(staleComplete.json().value(u"error"_s).toObject().value(u"code"_s).toString(),
             u"conflict"_s);
    QCOMPARE(dump(), before);

    // complete in cash, with change
    order = step({u"complete"_s, u"Alice"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"2000"_s,
                  u"--expect-version"_s, u"9"_s});
    QCOMPARE(order.value(u"id"_s).toString(), id);
    QCOMPARE(order.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(order.value(u"version"_s).toInt(), 10);
    const QJsonObject payment = order.value(u"payment"_s).toObject();
    QCOMPARE(payment.value(u"method"_s).toString(), u"cash"_s);
    QCOMPARE(payment.value(u"amount_cents"_s).toInteger(), 1130);
    QCOMPARE(payment.value(u"tendered_cents"_s).toInteger(), 2000);
    QCOMPARE(payment.value(u"change_cents"_s).toInteger(), 870);
    QCOMPARE(payment.value(u"order_id"_s).toString(), id);
    const QString receipt = order.value(u"receipt_no"_s).toString();
    QVERIFY(!receipt.isEmpty());
    QCOMPARE(payment.value(u"receipt_no"_s).toString(), receipt);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM payments"_s).toInt(), 1);
    QCOMPARE(dbValue(u"SELECT method || ' ' || amount_cents || ' ' || tendered_cents || ' ' || "
                     "change_cents || ' ' || receipt_no FROM payments WHERE order_id = ?"_s,
                     {id})
                 .toString(),
             u"cash 1130 2000 870 "_s + receipt);
    QCOMPARE(dbValue(u"SELECT status FROM order_sessions WHERE id = ?"_s, {id}).toString(),
             u"completed"_s);

    // Paid once: there is no open order to pay again.
    before = dump();
    const CliResult again =
        till({u"complete"_s, u"Alice"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"2000"_s});
    CHECK_EXIT(again, exitNotFound);
    CHECK_EXIT(till({u"show"_s, u"Alice"_s}), exitNotFound);
    QCOMPARE(dump(), before);

    // history: every step, versions 1..10 in order
    const CliResult history = till({u"--json"_s, u"history"_s, id});
    CHECK_EXIT(history, exitOk);
    const QJsonArray entries = history.json().value(u"history"_s).toArray();
    QStringList actions;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject entry = entries.at(i).toObject();
        actions << entry.value(u"action"_s).toString();
        QCOMPARE(entry.value(u"order_id"_s).toString(), id);
        QCOMPARE(entry.value(u"to_version"_s).toInt(), int(i) + 1);
        if (i == 0)
            QVERIFY(entry.value(u"from_version"_s).isNull());
        else
            QCOMPARE(entry.value(u"from_version"_s).toInt(), int(i));
    }
    QCOMPARE(actions, (QStringList{u"open"_s, u"add_item"_s, u"add_item"_s, u"add_item"_s,
                                   u"set_qty"_s, u"remove_line"_s, u"set_items"_s, u"logout"_s,
                                   u"resume"_s, u"complete"_s}));
    QCOMPARE(entries.at(7).toObject().value(u"to_status"_s).toString(), u"pending_logout"_s);
    QCOMPARE(entries.at(9).toObject().value(u"to_status"_s).toString(), u"completed"_s);

    // A new order for Alice is a different one.
    const QJsonObject next = step({u"open"_s, u"Alice"_s});
    QVERIFY(!next.value(u"id"_s).toString().isEmpty());
    QVERIFY(next.value(u"id"_s).toString() != id);
    QCOMPARE(next.value(u"version"_s).toInt(), 1);
}

void TestCli::completeByCard()
{
    CHECK_EXIT(till({u"add"_s, u"Bob"_s, u"COF-LAT"_s}), exitOk);
    const CliResult paid = till({u"--json"_s, u"complete"_s, u"Bob"_s, u"--method"_s, u"card"_s,
                                 u"--tendered"_s, u"340"_s});
    CHECK_EXIT(paid, exitOk);
    const QJsonObject order = paid.json();
    QCOMPARE(order.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(order.value(u"cashier"_s).toString(), u"Bob"_s);
    const QJsonObject payment = order.value(u"payment"_s).toObject();
    QCOMPARE(payment.value(u"method"_s).toString(), u"card"_s);
    QCOMPARE(payment.value(u"amount_cents"_s).toInteger(), 340);
    QCOMPARE(payment.value(u"tendered_cents"_s).toInteger(), 340);
    QCOMPARE(payment.value(u"change_cents"_s).toInteger(), 0);
    QCOMPARE(dbValue(u"SELECT method || ' ' || amount_cents || ' ' || change_cents FROM payments"_s)
                 .toString(),
             u"card 340 0"_s);

    // Receipt numbers are distinct per payment.
    CHECK_EXIT(till({u"add"_s, u"Bob"_s, u"BAK-CRO"_s}), exitOk);
    const CliResult second =
        till({u"complete"_s, u"Bob"_s, u"--method"_s, u"card"_s, u"--tendered"_s, u"190"_s});
    CHECK_EXIT(second, exitOk);
    QVERIFY(second.outText().contains(u"Paid 1.90 by card, tendered 1.90, change 0.00\n"_s));
    QCOMPARE(dbValue(u"SELECT COUNT(DISTINCT receipt_no) FROM payments"_s).toInt(), 2);
}

void TestCli::tabsAndSettle()
{
    CHECK_EXIT(till({u"add"_s, u"Bob"_s, u"COF-LAT"_s}), exitOk);
    const CliResult first = till({u"--json"_s, u"assign-tab"_s, u"Bob"_s, u"Table 5"_s});
    CHECK_EXIT(first, exitOk);
    const QString bobOrder = first.json().value(u"id"_s).toString();
    QCOMPARE(first.json().value(u"status"_s).toString(), u"assigned"_s);
    QCOMPARE(first.json().value(u"tab"_s).toString(), u"Table 5"_s);
    const QString tabId = first.json().value(u"tab_id"_s).toString();
    QVERIFY(!tabId.isEmpty());
    // Bob is free for a new order.
    CHECK_EXIT(till({u"show"_s, u"Bob"_s}), exitNotFound);

    // The same tab by another spelling of its name.
    CHECK_EXIT(till({u"add"_s, u"Maria"_s, u"BAK-CRO"_s, u"--qty"_s, u"2"_s}), exitOk);
    const CliResult second = till({u"assign-tab"_s, u"Maria"_s, u"  table   5 "_s});
    CHECK_EXIT(second, exitOk);
    QVERIFY(second.outText().contains(u": assigned, version 3, tab Table 5\n"_s));
    const QString mariaOrder =
        dbValue(u"SELECT o.id FROM order_sessions o JOIN cashiers c ON c.id = o.cashier_id "
                "WHERE c.name = 'Maria'"_s)
            .toString();
    QCOMPARE(dbValue(u"SELECT tab_id FROM order_sessions WHERE id = ?"_s, {mariaOrder}).toString(),
             tabId);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM tabs"_s).toInt(), 1);

    // A second tab, by expected version.
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"DRK-COL"_s}), exitOk);
    CHECK_EXIT(till({u"assign-tab"_s, u"Alice"_s, u"Terrace"_s, u"--expect-version"_s, u"1"_s}),
               exitRefused);
    CHECK_EXIT(till({u"assign-tab"_s, u"Alice"_s, u"Terrace"_s, u"--expect-version"_s, u"2"_s}),
               exitOk);

    const CliResult tabs = till({u"tabs"_s});
    CHECK_EXIT(tabs, exitOk);
    QVERIFY(tabs.outText().contains(
        QRegularExpression(u"^Table 5 +2 orders  7\\.20$"_s, QRegularExpression::MultilineOption)));
    QVERIFY(tabs.outText().contains(
        QRegularExpression(u"^Terrace +1 orders  2\\.20$"_s, QRegularExpression::MultilineOption)));
    const CliResult tabsJson = till({u"--json"_s, u"tabs"_s});
    CHECK_EXIT(tabsJson, exitOk);
    const QJsonArray open = tabsJson.json().value(u"tabs"_s).toArray();
    QCOMPARE(open.size(), 2);
    QJsonObject table5;
    for (const QJsonValue &value : open) {
        if (value.toObject().value(u"id"_s).toString() == tabId)
            table5 = value.toObject();
    }
    QCOMPARE(table5.value(u"name"_s).toString(), u"Table 5"_s);
    QCOMPARE(table5.value(u"status"_s).toString(), u"open"_s);
    QCOMPARE(table5.value(u"order_count"_s).toInt(), 2);
    QCOMPARE(table5.value(u"total_cents"_s).toInteger(), 720);
    QCOMPARE(table5.value(u"orders"_s).toArray().size(), 2);
    const int tabVersion = table5.value(u"version"_s).toInt();
    QCOMPARE(tabVersion, 3); // created at 1, +1 for each order put on it

    // settle with a stale version: a conflict with the current tab; nothing is paid
    QString before = dump();
    const CliResult stale =
        till({u"--json"_s, u"settle-tab"_s, u"TABLE 5"_s, u"--method"_s, u"cash"_s, u"--tendered"_s,
              u"1000"_s, u"--expect-version"_s, QString::number(tabVersion - 1)});
    CHECK_EXIT(stale, exitRefused);
    const QJsonObject error = stale.json().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), u"conflict"_s);
    QVERIFY(!error.value(u"message"_s).toString().isEmpty());
    QCOMPARE(error.value(u"tab"_s).toObject().value(u"id"_s).toString(), tabId);
    QCOMPARE(error.value(u"tab"_s).toObject().value(u"total_cents"_s).toInteger(), 720);
    // not enough cash: refused
    CHECK_EXIT(
        till({u"settle-tab"_s, u"Table 5"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"719"_s}),
        exitInvalid);
    QCOMPARE(dump(), before);

    const CliResult settled =
        till({u"--json"_s, u"settle-tab"_s, u"TABLE 5"_s, u"--method"_s, u"cash"_s, u"--tendered"_s,
              u"1000"_s, u"--expect-version"_s, QString::number(tabVersion)});
    CHECK_EXIT(settled, exitOk);
    const QJsonObject tab = settled.json();
    QCOMPARE(tab.value(u"id"_s).toString(), tabId);
    QCOMPARE(tab.value(u"status"_s).toString(), u"settled"_s);
    QCOMPARE(tab.value(u"version"_s).toInt(), tabVersion + 1);
    QVERIFY(!tab.value(u"receipt_no"_s).toString().isEmpty());
    const QJsonObject payment = tab.value(u"payment"_s).toObject();
    QCOMPARE(payment.value(u"tab_id"_s).toString(), tabId);
    QCOMPARE(payment.value(u"amount_cents"_s).toInteger(), 720);
    QCOMPARE(payment.value(u"tendered_cents"_s).toInteger(), 1000);
    QCOMPARE(payment.value(u"change_cents"_s).toInteger(), 280);
    QCOMPARE(payment.value(u"receipt_no"_s).toString(), tab.value(u"receipt_no"_s).toString());
    for (const QJsonValue &value : tab.value(u"orders"_s).toArray())
        QCOMPARE(value.toObject().value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_sessions WHERE tab_id = ? "
                     "AND status = 'completed'"_s,
                     {tabId})
                 .toInt(),
             2);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM payments"_s).toInt(), 1);
    QCOMPARE(dbValue(u"SELECT amount_cents FROM payments WHERE tab_id = ?"_s, {tabId}).toInt(),
             720);

    // Only Terrace is still open.
    const CliResult after = till({u"tabs"_s});
    CHECK_EXIT(after, exitOk);
    QVERIFY(after.outText().startsWith(u"Terrace "_s));
    QCOMPARE(after.outText().count(u'\n'), 1);

    // Settled once: by name it is no longer an open tab, by id it is already settled.
    before = dump();
    CHECK_EXIT(
        till({u"settle-tab"_s, u"Table 5"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"1000"_s}),
        exitNotFound);
    const CliResult byId = till({u"--json"_s, u"settle-tab"_s, tabId, u"--method"_s, u"cash"_s,
                                 u"--tendered"_s, u"1000"_s});
    CHECK_EXIT(byId, exitRefused);
    QCOMPARE(byId.json().value(u"error"_s).toObject().value(u"code"_s).toString(),
             u"invalid_state"_s);
    QCOMPARE(dump(), before);

    // The text form of settle-tab, for Terrace by card.
    const CliResult terrace =
        till({u"settle-tab"_s, u"terrace"_s, u"--method"_s, u"card"_s, u"--tendered"_s, u"220"_s});
    CHECK_EXIT(terrace, exitOk);
    QVERIFY(terrace.outText().startsWith(u"Tab Terrace ("_s));
    QVERIFY(terrace.outText().contains(u"): settled, 1 orders, total 2.20, receipt "_s));
    QVERIFY(terrace.outText().endsWith(u"\nPaid 2.20 by card, tendered 2.20, change 0.00\n"_s));

    // The order's history ends with the settlement.
    const CliResult history = till({u"--json"_s, u"history"_s, bobOrder});
    CHECK_EXIT(history, exitOk);
    const QJsonArray entries = history.json().value(u"history"_s).toArray();
    QStringList actions;
    for (const QJsonValue &entry : entries)
        actions << entry.toObject().value(u"action"_s).toString();
    QCOMPARE(actions, (QStringList{u"open"_s, u"add_item"_s, u"assign_tab"_s, u"settle_tab"_s}));
    QCOMPARE(entries.last().toObject().value(u"to_status"_s).toString(), u"completed"_s);
}

// The receipts list and a reprint (issue 14): receipts by number, amount and day, a receipt as
// the order or tab JSON show --json prints, and --copy-by recording the reprint in the history.
void TestCli::discountsAndSplitTender()
{
    // 2 x 2.20 and a croissant (1.90): 10 % off the coffee, 0.50 off the order.
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"--qty"_s, u"2"_s}), exitOk);
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"BAK-CRO"_s}), exitOk);
    CHECK_EXIT(till({u"discount"_s, u"Alice"_s, u"--line"_s, u"1"_s, u"--percent"_s, u"10"_s,
                     u"--reason"_s, u"Staff"_s}),
               exitOk);
    const CliResult discounted = till({u"--json"_s, u"discount"_s, u"Alice"_s, u"--order"_s,
                                       u"--amount"_s, u"50"_s, u"--reason"_s, u"Loyalty"_s});
    CHECK_EXIT(discounted, exitOk);
    QJsonObject order = discounted.json();
    QCOMPARE(order.value(u"total_cents"_s).toInteger(), 440 - 44 + 190 - 50);
    QCOMPARE(order.value(u"discounts"_s).toArray().size(), 2);
    QCOMPARE(order.value(u"balanceCents"_s).toInteger(), 536);
    // Bad input names the field and changes nothing.
    CliResult refused = till({u"discount"_s, u"Alice"_s, u"--line"_s, u"1"_s, u"--amount"_s,
                              u"1000"_s, u"--reason"_s, u"Typo"_s});
    CHECK_EXIT(refused, exitInvalid);
    QVERIFY2(refused.errText().contains(u"amount:"_s), qPrintable(refused.describe()));
    refused = till({u"discount"_s, u"Alice"_s, u"--order"_s, u"--percent"_s, u"10"_s});
    CHECK_EXIT(refused, exitInvalid);
    QVERIFY2(refused.errText().contains(u"reason:"_s), qPrintable(refused.describe()));
    refused = till({u"discount"_s, u"Alice"_s, u"--percent"_s, u"10"_s, u"--reason"_s, u"x"_s});
    CHECK_EXIT(refused, exitInvalid);
    QVERIFY2(refused.errText().contains(u"--line LINE or --order"_s),
             qPrintable(refused.describe()));
    // 3.00 in cash from 5.00, then a card above the balance (refused), then a voucher.
    CliResult paid = till({u"--json"_s, u"pay"_s, u"Alice"_s, u"--method"_s, u"cash"_s,
                           u"--amount"_s, u"300"_s, u"--tendered"_s, u"500"_s});
    CHECK_EXIT(paid, exitOk);
    QCOMPARE(paid.json().value(u"balanceCents"_s).toInteger(), 236);
    QCOMPARE(paid.json().value(u"status"_s).toString(), u"active"_s);
    refused = till({u"pay"_s, u"Alice"_s, u"--method"_s, u"card"_s, u"--amount"_s, u"300"_s});
    CHECK_EXIT(refused, exitInvalid);
    QVERIFY2(refused.errText().contains(u"more than the balance due (236 cents)"_s),
             qPrintable(refused.describe()));
    refused = till({u"pay"_s, u"Alice"_s, u"--method"_s, u"other"_s, u"--amount"_s, u"100"_s});
    CHECK_EXIT(refused, exitInvalid);
    QVERIFY2(refused.errText().contains(u"label:"_s), qPrintable(refused.describe()));
    // Items are locked once money was taken.
    refused = till({u"add"_s, u"Alice"_s, u"COF-ESP"_s});
    CHECK_EXIT(refused, exitRefused);
    CHECK_EXIT(till({u"pay"_s, u"Alice"_s, u"--method"_s, u"other"_s, u"--amount"_s, u"100"_s,
                     u"--label"_s, u"Voucher"_s}),
               exitOk);
    // The text shows every payment and what is left.
    const CliResult shown = till({u"show"_s, u"Alice"_s});
    QVERIFY2(shown.outText().contains(u"Paid 1.00 by Voucher"_s) &&
                 shown.outText().contains(u"Balance due: 1.36"_s) &&
                 shown.outText().contains(u"discount 10%: -0.44 (Staff)"_s),
             qPrintable(shown.outText()));
    // complete pays the rest: one receipt, three payments.
    paid = till({u"--json"_s, u"complete"_s, u"Alice"_s, u"--method"_s, u"card"_s, u"--tendered"_s,
                 u"136"_s});
    CHECK_EXIT(paid, exitOk);
    order = paid.json();
    QCOMPARE(order.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(order.value(u"payments"_s).toArray().size(), 3);
    QCOMPARE(order.value(u"balanceCents"_s).toInteger(), 0);
    // The receipts list finds it by its total.
    const CliResult listed = till({u"--json"_s, u"receipts"_s, u"--amount"_s, u"536"_s});
    QCOMPARE(listed.json().value(u"receipts"_s).toArray().size(), 1);
    // A price override, with its reason, on the next order: Bob is a cashier, so it needs a
    // manager (issue 15): refused alone (exit 3), or without the PIN on standard input (2), and
    // done with Maria approving.
    CHECK_EXIT(till({u"add"_s, u"Bob"_s, u"COF-ESP"_s}), exitOk);
    const QStringList price{u"--json"_s, u"price"_s,    u"Bob"_s,  u"1"_s,
                            u"150"_s,    u"--reason"_s, u"Match"_s};
    const CliResult alone = till(price);
    CHECK_EXIT(alone, exitRefused);
    QVERIFY2(alone.errText().contains(u"manager"_s), qPrintable(alone.describe()));
    CHECK_EXIT(till(price + QStringList{u"--approver"_s, u"Maria"_s}), exitInvalid);
    const CliResult priced = till(price + QStringList{u"--approver"_s, u"Maria"_s}, "9999\n");
    CHECK_EXIT(priced, exitOk);
    const QJsonObject line = priced.json().value(u"lines"_s).toArray().at(0).toObject();
    QCOMPARE(line.value(u"unit_price_cents"_s).toInteger(), 150);
    QCOMPARE(line.value(u"list_price_cents"_s).toInteger(), 220);
    CHECK_EXIT(till({u"verify"_s}), exitOk);
}

void TestCli::receiptsAndReprint()
{
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"--qty"_s, u"2"_s}), exitOk);
    const CliResult paid = till({u"--json"_s, u"complete"_s, u"Alice"_s, u"--method"_s, u"cash"_s,
                                 u"--tendered"_s, u"500"_s});
    CHECK_EXIT(paid, exitOk);
    const QJsonObject order = paid.json();
    const QString orderReceipt = order.value(u"receipt_no"_s).toString();
    const QString orderId = order.value(u"id"_s).toString();
    QVERIFY(!orderReceipt.isEmpty());
    CHECK_EXIT(till({u"add"_s, u"Bob"_s, u"BAK-CRO"_s}), exitOk);
    CHECK_EXIT(till({u"assign-tab"_s, u"Bob"_s, u"Table 2"_s}), exitOk);
    const CliResult settled = till({u"--json"_s, u"settle-tab"_s, u"Table 2"_s, u"--method"_s,
                                    u"card"_s, u"--tendered"_s, u"190"_s});
    CHECK_EXIT(settled, exitOk);
    const QJsonObject tab = settled.json();
    const QString tabReceipt = tab.value(u"receipt_no"_s).toString();
    QVERIFY(!tabReceipt.isEmpty());

    // The list, newest first, in text and JSON.
    const CliResult text = till({u"receipts"_s});
    CHECK_EXIT(text, exitOk);
    const QStringList lines = text.outText().split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(0).startsWith(tabReceipt) &&
                 lines.at(0).contains(u"1.90  card  tab Table 2"_s),
             qPrintable(text.outText()));
    QVERIFY2(lines.at(1).startsWith(orderReceipt) && lines.at(1).contains(u"4.40  cash  Alice"_s),
             qPrintable(text.outText()));
    const auto listed = [this](const QStringList &filters) {
        const CliResult result = till(QStringList{u"--json"_s, u"receipts"_s} + filters);
        if (result.exitCode != exitOk)
            qWarning().noquote() << result.describe();
        QStringList numbers;
        for (const QJsonValue &row : result.json().value(u"receipts"_s).toArray())
            numbers << row.toObject().value(u"receipt_no"_s).toString();
        return numbers;
    };
    QCOMPARE(listed({}), (QStringList{tabReceipt, orderReceipt}));
    QCOMPARE(listed({u"--amount"_s, u"440"_s}), QStringList{orderReceipt});
    QCOMPARE(listed({u"--amount"_s, u"500"_s}), QStringList());
    QCOMPARE(listed({u"--number"_s, tabReceipt.toLower()}), QStringList{tabReceipt});
    QCOMPARE(listed({u"--number"_s, orderReceipt.section(u'-', 0, 0) + u"-"_s}),
             (QStringList{tabReceipt, orderReceipt}));
    const QString today = QDate::currentDate().toString(Qt::ISODate);
    QCOMPARE(listed({u"--date"_s, today}), (QStringList{tabReceipt, orderReceipt}));
    QCOMPARE(listed({u"--date"_s, u"2001-01-01"_s}), QStringList());
    QCOMPARE(listed({u"--limit"_s, u"1"_s}), QStringList{tabReceipt});
    const CliResult limited = till({u"--json"_s, u"receipts"_s, u"--limit"_s, u"1"_s});
    QVERIFY(limited.json().value(u"more"_s).toBool());
    const QJsonObject row = till({u"--json"_s, u"receipts"_s, u"--number"_s, orderReceipt})
                                .json()
                                .value(u"receipts"_s)
                                .toArray()
                                .at(0)
                                .toObject();
    QCOMPARE(row.value(u"order_id"_s).toString(), orderId);
    QCOMPARE(row.value(u"amount_cents"_s).toInteger(), 440);
    QCOMPARE(row.value(u"method"_s).toString(), u"cash"_s);
    QCOMPARE(row.value(u"cashier_name"_s).toString(), u"Alice"_s);
    QVERIFY(row.value(u"tab_id"_s).isNull());
    CHECK_EXIT(till({u"receipts"_s, u"--date"_s, u"2001-01-01"_s}), exitOk);
    QCOMPARE(till({u"receipts"_s, u"--date"_s, u"2001-01-01"_s}).outText(),
             u"No receipts found.\n"_s);

    // A receipt: the order or tab as show --json prints it; as text, the sale.
    const CliResult orderJson = till({u"--json"_s, u"receipt"_s, orderReceipt});
    CHECK_EXIT(orderJson, exitOk);
    QCOMPARE(orderJson.json(), order);
    const CliResult tabJson = till({u"--json"_s, u"receipt"_s, tabReceipt});
    CHECK_EXIT(tabJson, exitOk);
    QCOMPARE(tabJson.json(), tab);
    const CliResult orderText = till({u"receipt"_s, orderReceipt.toLower()});
    CHECK_EXIT(orderText, exitOk);
    QVERIFY2(orderText.outText().startsWith(u"Receipt "_s + orderReceipt + u"\n"_s),
             qPrintable(orderText.outText()));
    QVERIFY(orderText.outText().contains(u"Espresso"_s));
    QVERIFY(orderText.outText().contains(u"Paid 4.40 by cash, tendered 5.00, change 0.60"_s));
    QVERIFY(!orderText.outText().contains(u"COPY"_s));
    // Looking is not reprinting: no history entry.
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_history WHERE action = 'reprint'"_s).toInt(), 0);

    // A reprint by Bob: marked COPY, recorded on the order, its version unchanged, not synced.
    const int version = order.value(u"version"_s).toInt();
    const int outbox = dbValue(u"SELECT COUNT(*) FROM outbox"_s).toInt();
    const CliResult copy = till(
        {u"receipt"_s, orderReceipt, u"--copy-by"_s, u"bob"_s, u"--request-id"_s, u"reprint-1"_s});
    CHECK_EXIT(copy, exitOk);
    QVERIFY2(copy.outText().startsWith(u"*** COPY ***\nReceipt "_s + orderReceipt),
             qPrintable(copy.outText()));
    const CliResult history = till({u"--json"_s, u"history"_s, orderId});
    CHECK_EXIT(history, exitOk);
    const QJsonArray entries = history.json().value(u"history"_s).toArray();
    const QJsonObject last = entries.last().toObject();
    QCOMPARE(last.value(u"action"_s).toString(), u"reprint"_s);
    QCOMPARE(last.value(u"from_version"_s).toInt(), version);
    QCOMPARE(last.value(u"to_version"_s).toInt(), version);
    QCOMPARE(last.value(u"cashier_id"_s).toString(),
             dbValue(u"SELECT id FROM cashiers WHERE name = 'Bob'"_s).toString());
    QCOMPARE(dbValue(u"SELECT version FROM order_sessions WHERE id = ?"_s, {orderId}).toInt(),
             version);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM outbox"_s).toInt(), outbox);
    // The same request again records nothing more.
    const CliResult again = till(
        {u"receipt"_s, orderReceipt, u"--copy-by"_s, u"Bob"_s, u"--request-id"_s, u"reprint-1"_s});
    CHECK_EXIT(again, exitOk);
    QVERIFY(again.errText().contains(u"seen before"_s));
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_history WHERE action = 'reprint'"_s).toInt(), 1);
    // A tab's reprint marks its order.
    CHECK_EXIT(till({u"--json"_s, u"receipt"_s, tabReceipt, u"--copy-by"_s, u"Alice"_s}), exitOk);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_history WHERE action = 'reprint'"_s).toInt(), 2);

    // As a PDF (QtGui on the offscreen platform): the receipt, then a COPY recorded as a reprint.
    const QString original = m_root.filePath(u"original.pdf"_s);
    const CliResult written = till({u"receipt"_s, orderReceipt, u"--pdf"_s, original});
    CHECK_EXIT(written, exitOk);
    QCOMPARE(written.outText(), u"Receipt %1 written to %2\n"_s.arg(orderReceipt, original));
    QFile originalPdf(original);
    QVERIFY(originalPdf.open(QIODevice::ReadOnly));
    QVERIFY(originalPdf.read(5) == "%PDF-");
    QVERIFY(originalPdf.size() > 1000);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_history WHERE action = 'reprint'"_s).toInt(), 2);
    const QString copyPath = m_root.filePath(u"copy.pdf"_s);
    const CliResult copied =
        till({u"receipt"_s, orderReceipt, u"--pdf"_s, copyPath, u"--copy-by"_s, u"Maria"_s});
    CHECK_EXIT(copied, exitOk);
    QCOMPARE(copied.outText(), u"Receipt %1 (COPY) written to %2\n"_s.arg(orderReceipt, copyPath));
    QFile copyPdf(copyPath);
    QVERIFY(copyPdf.open(QIODevice::ReadOnly));
    QVERIFY(copyPdf.read(5) == "%PDF-");
    QVERIFY(copyPdf.size() > originalPdf.size()); // the COPY banners
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_history WHERE action = 'reprint' AND "
                     "cashier_id = (SELECT id FROM cashiers WHERE name = 'Maria')"_s)
                 .toInt(),
             1);
    // A PDF that cannot be written is an error, and no reprint is recorded.
    const CliResult unwritable =
        till({u"receipt"_s, orderReceipt, u"--pdf"_s, m_root.filePath(u"no-such-dir/copy.pdf"_s),
              u"--copy-by"_s, u"Maria"_s});
    CHECK_EXIT(unwritable, 1);
    QVERIFY(unwritable.errText().contains(u"Could not write the PDF"_s));
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_history WHERE action = 'reprint'"_s).toInt(), 3);
}

// Issue 15: shift open|pay-in|pay-out|close|x-report|z-report and no-sale, their shapes (the Z
// report JSON scripts read) and exit statuses.
void TestCli::shiftsAndReports()
{
    freshDatabase(m_cleanTemplate);
    // An approver's PIN comes on standard input, never in an argument.
    const auto withInput = [this](const QStringList &args, const QByteArray &input) {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"SAFETILL_PIN_HASH_COST"_s, u"fast"_s);
        environment.insert(u"XDG_DATA_HOME"_s, m_xdgDataHome);
        process.setProcessEnvironment(environment);
        process.start(cliPath(), QStringList{u"--db"_s, m_db} + args);
        CliResult result;
        if (!process.waitForStarted(10'000))
            return result;
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(30'000)) {
            process.kill();
            process.waitForFinished(5'000);
            return result;
        }
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
        return result;
    };
    CHECK_EXIT(till({u"shift"_s, u"x-report"_s}), exitRefused); // no shift open
    CHECK_EXIT(till({u"shift"_s, u"z-report"_s}), exitNotFound);
    CHECK_EXIT(till({u"shift"_s, u"close"_s, u"Alice"_s, u"--counted"_s, u"0"_s}), exitRefused);
    CHECK_EXIT(till({u"shift"_s}), exitInvalid);
    CHECK_EXIT(till({u"shift"_s, u"bogus"_s}), exitInvalid);
    // Malformed input: exit 2, nothing written.
    const QString before = dump();
    for (const QStringList &bad : QList<QStringList>{
             {u"shift"_s, u"open"_s, u"Alice"_s},
             {u"shift"_s, u"open"_s, u"Alice"_s, u"--float"_s, u"ten"_s},
             {u"shift"_s, u"open"_s, u"Alice"_s, u"--float"_s, u"-1"_s},
             {u"shift"_s, u"open"_s, u"Alice"_s, u"--float"_s, u"100000000"_s},
             {u"shift"_s, u"open"_s, u"--float"_s, u"5"_s},
             {u"shift"_s, u"open"_s, u"Alice"_s, u"--float"_s, u"5"_s, u"--counted"_s, u"5"_s},
             {u"shift"_s, u"pay-in"_s, u"Alice"_s, u"500"_s},
             {u"shift"_s, u"pay-in"_s, u"Alice"_s, u"0"_s, u"--reason"_s, u"x"_s},
             {u"shift"_s, u"pay-out"_s, u"Alice"_s, u"5.00"_s, u"--reason"_s, u"x"_s},
             {u"shift"_s, u"pay-out"_s, u"Alice"_s, u"500"_s, u"--reason"_s, u"  "_s},
             {u"shift"_s, u"close"_s, u"Alice"_s},
             {u"shift"_s, u"close"_s, u"Alice"_s, u"--counted"_s, u"1e3"_s},
             {u"shift"_s, u"close"_s, u"Alice"_s, u"--counted"_s, u"5"_s, u"--counted-card"_s,
              u"-5"_s},
             {u"shift"_s, u"x-report"_s, u"extra"_s},
             {u"shift"_s, u"z-report"_s, u"one"_s},
             {u"shift"_s, u"z-report"_s, u"0"_s},
             {u"shift"_s, u"z-report"_s, u"1"_s, u"2"_s},
             {u"no-sale"_s},
         }) {
        const CliResult result = till(bad);
        if (result.exitCode != exitInvalid)
            qWarning().noquote() << bad.join(u' ') << result.describe();
        QCOMPARE(result.exitCode, exitInvalid);
        QVERIFY2(!result.errText().trimmed().isEmpty(), qPrintable(bad.join(u' ')));
    }
    QCOMPARE(dump(), before);
    CHECK_EXIT(till({u"shift"_s, u"pay-in"_s, u"Nobody"_s, u"5"_s, u"--reason"_s, u"x"_s}),
               exitNotFound);

    const CliResult opened =
        till({u"--json"_s, u"shift"_s, u"open"_s, u"Alice"_s, u"--float"_s, u"10000"_s});
    CHECK_EXIT(opened, exitOk);
    QCOMPARE(opened.json().value(u"status"_s).toString(), u"open"_s);
    QCOMPARE(opened.json().value(u"floatCents"_s).toInteger(), 10000);
    const CliResult second = till({u"shift"_s, u"open"_s, u"Bob"_s, u"--float"_s, u"5"_s});
    CHECK_EXIT(second, exitRefused);
    QVERIFY2(second.errText().contains(u"already open"_s), qPrintable(second.describe()));
    CHECK_EXIT(till({u"shift"_s, u"pay-in"_s, u"Alice"_s, u"500"_s, u"--reason"_s,
                     u"change from the bank"_s}),
               exitOk);
    const CliResult out =
        till({u"--json"_s, u"shift"_s, u"pay-out"_s, u"Bob"_s, u"120"_s, u"--reason"_s, u"milk"_s});
    CHECK_EXIT(out, exitOk);
    QCOMPARE(out.json().value(u"kind"_s).toString(), u"pay_out"_s);
    QCOMPARE(out.json().value(u"reason"_s).toString(), u"milk"_s);
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"COF-ESP"_s}), exitOk);
    CHECK_EXIT(
        till({u"complete"_s, u"Alice"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"500"_s}),
        exitOk);

    // No sale: a manager, or a cashier with a manager's PIN on standard input.
    CHECK_EXIT(till({u"no-sale"_s, u"Bob"_s}), exitRefused);
    CHECK_EXIT(withInput({u"no-sale"_s, u"Bob"_s, u"--approver"_s, u"Maria"_s}, "0000\n"),
               exitRefused);
    CHECK_EXIT(withInput({u"no-sale"_s, u"Bob"_s, u"--approver"_s, u"Maria"_s}, ""), exitInvalid);
    const CliResult noSale =
        withInput({u"--json"_s, u"no-sale"_s, u"Bob"_s, u"--approver"_s, u"Maria"_s}, "9999\n");
    CHECK_EXIT(noSale, exitOk);
    QCOMPARE(noSale.json().value(u"kind"_s).toString(), u"no_sale"_s);
    QVERIFY(!noSale.json().value(u"approvedBy"_s).toString().isEmpty());
    CHECK_EXIT(till({u"no-sale"_s, u"Maria"_s}), exitOk);

    // X: changes nothing.
    const QString beforeX = dump();
    const CliResult x = till({u"--json"_s, u"shift"_s, u"x-report"_s});
    CHECK_EXIT(x, exitOk);
    QCOMPARE(dump(), beforeX);
    QVERIFY(x.json().value(u"number"_s).isNull());
    const qint64 expected = 10000 + 220 + 500 - 120;
    QCOMPARE(x.json().value(u"cash"_s).toObject().value(u"expectedCents"_s).toInteger(), expected);
    const CliResult xText = till({u"shift"_s, u"x-report"_s});
    CHECK_EXIT(xText, exitOk);
    QVERIFY2(xText.outText().contains(u"X report"_s) && xText.outText().contains(u"Expected"_s) &&
                 xText.outText().contains(u"106.00"_s),
             qPrintable(xText.outText()));

    // Close: the Z report, in the issue's shape.
    const CliResult z = till({u"--json"_s, u"shift"_s, u"close"_s, u"Alice"_s, u"--counted"_s,
                              QString::number(expected - 20), u"--counted-card"_s, u"0"_s});
    CHECK_EXIT(z, exitOk);
    const QJsonObject report = z.json();
    for (const QString &key :
         {u"number"_s, u"till"_s, u"openedAt"_s, u"closedAt"_s, u"sales"_s, u"discountsCents"_s,
          u"refundsCents"_s, u"voidsCents"_s, u"payments"_s, u"cash"_s, u"receipts"_s})
        QVERIFY2(report.contains(key), qPrintable(key));
    QCOMPARE(report.value(u"number"_s).toInt(), 1);
    QCOMPARE(report.value(u"receipts"_s).toInt(), 1);
    QCOMPARE(report.value(u"sales"_s).toObject().value(u"grossCents"_s).toInteger(), 220);
    const QJsonObject cash = report.value(u"cash"_s).toObject();
    for (const QString &key : {u"floatCents"_s, u"payInsCents"_s, u"payOutsCents"_s,
                               u"expectedCents"_s, u"countedCents"_s, u"overShortCents"_s})
        QVERIFY2(cash.contains(key), qPrintable(key));
    QCOMPARE(cash.value(u"overShortCents"_s).toInteger(), -20);
    QCOMPARE(report.value(u"payments"_s).toArray().size(), 1);
    QCOMPARE(report.value(u"payments"_s).toArray().first().toObject().value(u"cents"_s).toInteger(),
             220);
    QCOMPARE(report.value(u"noSales"_s).toInt(), 2);
    CHECK_EXIT(till({u"shift"_s, u"close"_s, u"Alice"_s, u"--counted"_s, u"0"_s}), exitRefused);

    // Reprints: the Z as printed, byte for byte, by number or the last.
    const CliResult last = till({u"--json"_s, u"shift"_s, u"z-report"_s});
    CHECK_EXIT(last, exitOk);
    QCOMPARE(last.out, z.out);
    const CliResult first = till({u"--json"_s, u"shift"_s, u"z-report"_s, u"1"_s});
    CHECK_EXIT(first, exitOk);
    QCOMPARE(first.out, z.out);
    const CliResult text = till({u"shift"_s, u"z-report"_s, u"1"_s});
    CHECK_EXIT(text, exitOk);
    QVERIFY2(text.outText().startsWith(u"Z report 1"_s), qPrintable(text.outText()));
    QCOMPARE(till({u"shift"_s, u"z-report"_s, u"1"_s}).out, text.out);
    CHECK_EXIT(till({u"shift"_s, u"z-report"_s, u"2"_s}), exitNotFound);
    const QString pdf = m_root.filePath(u"z1.pdf"_s);
    CHECK_EXIT(till({u"shift"_s, u"z-report"_s, u"1"_s, u"--pdf"_s, pdf}), exitOk);
    QFile file(pdf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.read(5) == "%PDF-");
}

void TestCli::emptyOrderRefused()
{
    CHECK_EXIT(till({u"open"_s, u"Alice"_s}), exitOk);
    const QString before = dump();
    const CliResult pay =
        till({u"complete"_s, u"Alice"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"0"_s});
    CHECK_EXIT(pay, exitInvalid);
    QVERIFY(pay.errText().contains(u"empty order"_s));
    const CliResult tab = till({u"assign-tab"_s, u"Alice"_s, u"Table 1"_s});
    CHECK_EXIT(tab, exitInvalid);
    QVERIFY(tab.errText().contains(u"empty order"_s));
    QCOMPARE(dump(), before); // not even the tab was created
}

void TestCli::addResumesParkedOrder()
{
    // By cashier, add opens an order if there is none, or resumes the parked one.
    const CliResult first = till({u"--json"_s, u"add"_s, u"Alice"_s, u"COF-ESP"_s});
    CHECK_EXIT(first, exitOk);
    CHECK_EXIT(till({u"logout"_s, u"Alice"_s}), exitOk);
    const CliResult resumed = till({u"--json"_s, u"add"_s, u"Alice"_s, u"BAK-CRO"_s});
    CHECK_EXIT(resumed, exitOk);
    QCOMPARE(resumed.json().value(u"id"_s).toString(), first.json().value(u"id"_s).toString());
    QCOMPARE(resumed.json().value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(resumed.json().value(u"version"_s).toInt(), 5); // open+add, logout, resume+add
    QCOMPARE(resumed.json().value(u"lines"_s).toArray().size(), 2);
    QCOMPARE(resumed.json().value(u"total_cents"_s).toInteger(), 410);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_sessions"_s).toInt(), 1);
}

// Issue 16: `add --price CENTS` for a product sold at an open price (required for one, refused
// for a fixed-price product), and `set-items` with the price in the item.
void TestCli::openPriceProduct()
{
    dbValue(u"UPDATE products SET open_price = 1 WHERE sku = 'BAK-CRO'"_s);
    QCOMPARE(dbValue(u"SELECT open_price FROM products WHERE sku = 'BAK-CRO'"_s).toInt(), 1);
    const CliResult without = till({u"add"_s, u"Alice"_s, u"BAK-CRO"_s});
    CHECK_EXIT(without, exitInvalid);
    QVERIFY2(without.errText().contains(u"price"_s), without.err.constData());
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"BAK-CRO"_s, u"--price"_s, u"4.50"_s}), exitInvalid);
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"BAK-CRO"_s, u"--price"_s, u"100000000"_s}),
               exitInvalid);
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"--price"_s, u"100"_s}), exitInvalid);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM order_lines"_s).toInt(), 0);

    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"BAK-CRO"_s, u"--price"_s, u"450"_s}), exitOk);
    const CliResult second = till({u"--json"_s, u"add"_s, u"Alice"_s, u"BAK-CRO"_s, u"--price"_s,
                                   u"300"_s, u"--qty"_s, u"2"_s});
    CHECK_EXIT(second, exitOk);
    const QJsonArray lines = second.json().value(u"lines"_s).toArray();
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0).toObject().value(u"unit_price_cents"_s).toInteger(), 450);
    QCOMPARE(lines.at(1).toObject().value(u"sku"_s).toString(), u"BAK-CRO"_s);
    QCOMPARE(lines.at(1).toObject().value(u"unit_price_cents"_s).toInteger(), 300);
    QCOMPARE(second.json().value(u"total_cents"_s).toInteger(), 450 + 600);
    QVERIFY(!lines.at(1).toObject().contains(u"list_price_cents"_s)); // not an override

    const int version = second.json().value(u"version"_s).toInt();
    const CliResult replaced =
        till({u"--json"_s, u"set-items"_s, u"Alice"_s,
              uR"([{"sku":"BAK-CRO","qty":1,"unit_price_cents":125},{"sku":"COF-ESP","qty":1}])"_s,
              u"--expect-version"_s, QString::number(version)});
    CHECK_EXIT(replaced, exitOk);
    QCOMPARE(replaced.json().value(u"total_cents"_s).toInteger(), 125 + 220);
    CHECK_EXIT(till({u"set-items"_s, u"Alice"_s, uR"([{"sku":"BAK-CRO","qty":1}])"_s,
                     u"--expect-version"_s, QString::number(version + 1)}),
               exitInvalid);
}

void TestCli::pruneOnDemand()
{
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"COF-ESP"_s}), exitOk);
    CHECK_EXIT(
        till({u"complete"_s, u"Alice"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"500"_s}),
        exitOk);
    const int outbox = dbValue(u"SELECT COUNT(*) FROM outbox"_s).toInt();
    const int results = dbValue(u"SELECT COUNT(*) FROM idempotency"_s).toInt();
    QVERIFY(outbox >= 2);

    // Young and unsent: nothing goes.
    const CliResult young = till({u"--json"_s, u"prune"_s});
    CHECK_EXIT(young, exitOk);
    QCOMPARE(young.json().value(u"outbox_deleted"_s).toInteger(), 0);
    QCOMPARE(young.json().value(u"idempotency_deleted"_s).toInteger(), 0);
    QCOMPARE(young.json().value(u"older_than_days"_s).toInt(), 30);

    // Sent and 40 days old: pruned with the default period; orders and payments stay.
    const QString old = QDateTime::currentDateTimeUtc().addDays(-40).toString(Qt::ISODateWithMs);
    dbValue(u"UPDATE outbox SET state = 'sent', created_at = ?"_s, {old});
    dbValue(u"UPDATE idempotency SET created_at = ?"_s, {old});
    const CliResult keptByPeriod = till({u"--json"_s, u"prune"_s, u"--older-than-days"_s, u"41"_s});
    CHECK_EXIT(keptByPeriod, exitOk);
    QCOMPARE(keptByPeriod.json().value(u"outbox_deleted"_s).toInteger(), 0);
    const CliResult pruned = till({u"prune"_s});
    CHECK_EXIT(pruned, exitOk);
    QVERIFY2(pruned.outText().contains(
                 u"Pruned %1 sent sync op(s) and %2 stored"_s.arg(outbox).arg(results)),
             qPrintable(pruned.outText()));
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM outbox"_s).toInt(), 0);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM idempotency"_s).toInt(), 0);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM payments"_s).toInt(), 1);
}

void TestCli::idempotentRepeat_data()
{
    QTest::addColumn<QList<QStringList>>("setup");
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QStringList>("different");

    const QList<QStringList> none;
    const QStringList payCash{u"complete"_s, u"Alice"_s,      u"--method"_s,
                              u"cash"_s,     u"--tendered"_s, u"1000"_s};
    QTest::newRow("open new") << none << QStringList{u"open"_s, u"Maria"_s}
                              << QStringList{u"open"_s, u"Bob"_s};
    QTest::newRow("open resumes") << QList<QStringList>{{u"logout"_s, u"Alice"_s}}
                                  << QStringList{u"open"_s, u"Alice"_s}
                                  << QStringList{u"open"_s, u"Maria"_s};
    QTest::newRow("add") << none
                         << QStringList{u"add"_s, u"Alice"_s, u"COF-LAT"_s, u"--qty"_s, u"2"_s}
                         << QStringList{u"add"_s, u"Alice"_s, u"COF-LAT"_s, u"--qty"_s, u"3"_s};
    QTest::newRow("add opens") << none << QStringList{u"add"_s, u"Maria"_s, u"DRK-COL"_s}
                               << QStringList{u"add"_s, u"Maria"_s, u"DRK-WAT"_s};
    QTest::newRow("set-qty") << none << QStringList{u"set-qty"_s, u"Alice"_s, u"1"_s, u"5"_s}
                             << QStringList{u"set-qty"_s, u"Alice"_s, u"1"_s, u"6"_s};
    QTest::newRow("remove") << none << QStringList{u"remove"_s, u"Alice"_s, u"2"_s}
                            << QStringList{u"remove"_s, u"Alice"_s, u"1"_s};
    QTest::newRow("set-items") << none
                               << QStringList{u"set-items"_s, u"Alice"_s, itemsOkJson,
                                              u"--expect-version"_s, u"3"_s}
                               << QStringList{u"set-items"_s, u"Alice"_s,
                                              uR"([{"sku":"COF-LAT","qty":3}])"_s,
                                              u"--expect-version"_s, u"3"_s};
    QTest::newRow("logout") << none << QStringList{u"logout"_s, u"Alice"_s}
                            << QStringList{u"remove"_s, u"Alice"_s, u"1"_s};
    QTest::newRow("complete cash")
        << none << payCash << QStringList{u"complete"_s, u"Alice"_s,      u"--method"_s,
                                          u"cash"_s,     u"--tendered"_s, u"2000"_s};
    QTest::newRow("complete card")
        << none << QStringList{u"complete"_s, u"Alice"_s,      u"--method"_s,
                               u"card"_s,     u"--tendered"_s, u"630"_s}
        << payCash;
    QTest::newRow("assign-tab new") << none << QStringList{u"assign-tab"_s, u"Alice"_s, u"Window"_s}
                                    << QStringList{u"assign-tab"_s, u"Alice"_s, u"Door"_s};
    QTest::newRow("assign-tab existing")
        << none << QStringList{u"assign-tab"_s, u"Alice"_s, u"table 9"_s}
        << QStringList{u"assign-tab"_s, u"Alice"_s, u"table 9"_s, u"--expect-version"_s, u"3"_s};
    QTest::newRow("settle-tab") << none
                                << QStringList{u"settle-tab"_s, u"Table 9"_s,    u"--method"_s,
                                               u"cash"_s,       u"--tendered"_s, u"500"_s}
                                << QStringList{u"settle-tab"_s, u"Table 9"_s,    u"--method"_s,
                                               u"card"_s,       u"--tendered"_s, u"340"_s};
}

void TestCli::idempotentRepeat()
{
    QFETCH(QList<QStringList>, setup);
    QFETCH(QStringList, command);
    QFETCH(QStringList, different);

    for (const bool json : {false, true}) {
        freshDatabase(m_seededTemplate);
        for (const QStringList &args : setup)
            CHECK_EXIT(till(args), exitOk);
        const QStringList format = json ? QStringList{u"--json"_s} : QStringList{};
        const QStringList idArgs{u"--request-id"_s, u"req-1:a_b.c"_s};
        const int paymentsBefore = dbValue(u"SELECT COUNT(*) FROM payments"_s).toInt();

        const QString initial = dump();
        const CliResult first = till(format + command + idArgs);
        CHECK_EXIT(first, exitOk);
        QVERIFY(!first.out.isEmpty());
        QVERIFY(!first.errText().contains(u"seen before"_s));
        if (json)
            QVERIFY(!first.json().value(u"id"_s).toString().isEmpty());
        const QString afterFirst = dump();
        QVERIFY(afterFirst != initial); // the first run did something

        const CliResult repeat = till(format + command + idArgs);
        CHECK_EXIT(repeat, exitOk);
        QCOMPARE(repeat.out, first.out);
        QVERIFY(repeat.errText().contains(u"seen before"_s));
        QCOMPARE(dump(), afterFirst);

        // The same id for something else is refused and changes nothing.
        const CliResult reused = till(format + different + idArgs);
        CHECK_EXIT(reused, exitInvalid);
        QVERIFY(reused.errText().contains(u"already used"_s));
        if (json) {
            QCOMPARE(reused.json().value(u"error"_s).toObject().value(u"code"_s).toString(),
                     u"invalid_input"_s);
        } else {
            QVERIFY(reused.out.isEmpty());
        }
        QCOMPARE(dump(), afterFirst);

        if (command.front() == u"complete"_s || command.front() == u"settle-tab"_s)
            QCOMPARE(dbValue(u"SELECT COUNT(*) FROM payments"_s).toInt(), paymentsBefore + 1);
        else
            QCOMPARE(dbValue(u"SELECT COUNT(*) FROM payments"_s).toInt(), paymentsBefore);
        QCOMPARE(
            dbValue(u"SELECT COUNT(*) FROM idempotency WHERE request_id = 'req-1:a_b.c'"_s).toInt(),
            1);
    }
}

void TestCli::replayShowsStoredResultAfterLaterChanges()
{
    const QStringList add{u"--json"_s,  u"add"_s,          u"Alice"_s,
                          u"COF-ESP"_s, u"--request-id"_s, u"add-1"_s};
    const CliResult first = till(add);
    CHECK_EXIT(first, exitOk);
    CHECK_EXIT(till({u"add"_s, u"Alice"_s, u"BAK-CRO"_s}), exitOk);
    const QString state = dump();

    const CliResult repeat = till(add);
    CHECK_EXIT(repeat, exitOk);
    QCOMPARE(repeat.out, first.out); // the stored result: one line, version 2
    QCOMPARE(repeat.json().value(u"lines"_s).toArray().size(), 1);
    QCOMPARE(dump(), state);
    QCOMPARE(dbValue(u"SELECT quantity FROM order_lines WHERE sku = 'COF-ESP'"_s).toInt(), 1);

    // A paid order repeated with its request id: still one payment, one receipt.
    const QStringList pay{u"complete"_s,   u"Alice"_s, u"--method"_s,     u"cash"_s,
                          u"--tendered"_s, u"500"_s,   u"--request-id"_s, u"pay-1"_s};
    const CliResult paid = till(pay);
    CHECK_EXIT(paid, exitOk);
    const QVariant nextReceipt = dbValue(u"SELECT next_receipt_seq FROM terminal"_s);
    for (int i = 0; i < 3; ++i) {
        const CliResult again = till(pay);
        CHECK_EXIT(again, exitOk);
        QCOMPARE(again.out, paid.out);
    }
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM payments"_s).toInt(), 1);
    QCOMPARE(dbValue(u"SELECT next_receipt_seq FROM terminal"_s), nextReceipt);
    // Without the request id it is a new intent, and there is nothing left to pay.
    CHECK_EXIT(till(pay.mid(0, 6)), exitNotFound);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM payments"_s).toInt(), 1);
}

void TestCli::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");

    const auto row = [](const char *name, const QStringList &args, const QString &message) {
        QTest::newRow(name) << args << message;
    };
    const QString qtyMessage = u"--qty must be a whole number from 1 to 9999"_s;
    const auto addQty = [](const QString &qty) {
        return QStringList{u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"--qty"_s, qty};
    };
    const auto pay = [](const QString &method, const QString &tendered) {
        return QStringList{u"complete"_s, u"Alice"_s,      u"--method"_s,
                           method,        u"--tendered"_s, tendered};
    };
    const auto setItems = [](const QString &json) {
        return QStringList{u"set-items"_s, u"Alice"_s, json, u"--expect-version"_s, u"3"_s};
    };
    const auto version = [](const QString &v) {
        return QStringList{u"set-items"_s, u"Alice"_s, itemsOkJson, u"--expect-version"_s, v};
    };
    const auto addCashier = [](const QString &name, const QString &pin) {
        return QStringList{u"cashier"_s, u"add"_s, name, u"--pin"_s, pin};
    };
    const auto addProduct = [](const QString &sku, const QString &name, const QString &price) {
        return QStringList{u"product"_s, u"add"_s, sku, name, price};
    };
    const auto withId = [](const QString &id) {
        return QStringList{u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"--request-id"_s, id};
    };

    // commands, options, argument counts
    row("no command", {}, u"No command given"_s);
    row("unknown command", {u"frobnicate"_s}, u"Unknown command \u201cfrobnicate\u201d"_s);
    row("unknown option", {u"show"_s, u"Alice"_s, u"--frob"_s}, u"Unknown option 'frob'"_s);
    row("option value missing", {u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"--qty"_s},
        u"Missing value after '--qty'"_s);
    row("logout --qty", {u"logout"_s, u"Alice"_s, u"--qty"_s, u"2"_s},
        u"--qty does not apply to logout"_s);
    row("show --request-id", {u"show"_s, u"Alice"_s, u"--request-id"_s, u"r1"_s},
        u"--request-id does not apply to show"_s);
    row("add --tendered", {u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"--tendered"_s, u"5"_s},
        u"--tendered does not apply to add"_s);
    row("init --pin", {u"init"_s, u"--pin"_s, u"1234"_s}, u"--pin does not apply to init"_s);
    row("cashier list --role", {u"cashier"_s, u"list"_s, u"--role"_s, u"manager"_s},
        u"--role does not apply to cashier list"_s);
    row("tabs --method", {u"tabs"_s, u"--method"_s, u"cash"_s}, u"does not apply to tabs"_s);
    row("cashier add --request-id",
        addCashier(u"Zed"_s, u"1234"_s) + QStringList{u"--request-id"_s, u"x"_s},
        u"--request-id does not apply to cashier add"_s);
    row("open no cashier", {u"open"_s}, u"open takes 1 argument(s), 0 given"_s);
    row("open two cashiers", {u"open"_s, u"Alice"_s, u"Bob"_s},
        u"open takes 1 argument(s), 2 given"_s);
    row("add no sku", {u"add"_s, u"Alice"_s}, u"add takes 2 argument(s), 1 given"_s);
    row("add extra", {u"add"_s, u"Alice"_s, u"COF-ESP"_s, u"2"_s},
        u"add takes 2 argument(s), 3 given"_s);
    row("set-qty no qty", {u"set-qty"_s, u"Alice"_s, u"1"_s},
        u"set-qty takes 3 argument(s), 2 given"_s);
    row("remove no line", {u"remove"_s, u"Alice"_s}, u"remove takes 2 argument(s), 1 given"_s);
    row("set-items no json", {u"set-items"_s, u"Alice"_s, u"--expect-version"_s, u"3"_s},
        u"set-items takes 2 argument(s), 1 given"_s);
    row("assign-tab no tab", {u"assign-tab"_s, u"Alice"_s},
        u"assign-tab takes 2 argument(s), 1 given"_s);
    row("tabs extra", {u"tabs"_s, u"all"_s}, u"tabs takes 0 argument(s), 1 given"_s);
    row("history none", {u"history"_s}, u"history takes 1 argument(s), 0 given"_s);
    row("settle-tab none", {u"settle-tab"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"1"_s},
        u"settle-tab takes 1 argument(s), 0 given"_s);
    row("init extra", {u"init"_s, u"now"_s}, u"init takes 0 argument(s), 1 given"_s);
    row("cashier no sub", {u"cashier"_s}, u"cashier takes add or list"_s);
    row("cashier bad sub", {u"cashier"_s, u"delete"_s, u"Bob"_s}, u"cashier takes add or list"_s);
    row("product bad sub", {u"product"_s, u"remove"_s, u"COF-ESP"_s},
        u"product takes add, import or list"_s);
    row("cashier add no name", {u"cashier"_s, u"add"_s, u"--pin"_s, u"1234"_s},
        u"cashier add takes 1 argument(s), 0 given"_s);
    row("product add no price", {u"product"_s, u"add"_s, u"X-1"_s, u"Thing"_s},
        u"product add takes 3 argument(s), 2 given"_s);
    row("product list extra", {u"product"_s, u"list"_s, u"all"_s},
        u"product list takes 0 argument(s), 1 given"_s);

    // numbers
    row("qty 0", addQty(u"0"_s), qtyMessage);
    row("qty -1", addQty(u"-1"_s), qtyMessage);
    row("qty 1.5", addQty(u"1.5"_s), qtyMessage);
    row("qty huge", addQty(u"99999999999999999999"_s), qtyMessage);
    row("qty max+1", addQty(u"10000"_s), qtyMessage);
    row("qty abc", addQty(u"abc"_s), qtyMessage);
    row("qty empty", addQty(u""_s), qtyMessage);
    row("qty +5", addQty(u"+5"_s), qtyMessage);
    row("qty space 5", addQty(u" 5"_s), qtyMessage);
    row("qty tab 5", addQty(u"\t5"_s), qtyMessage);
    row("qty 5 newline", addQty(u"5\n"_s), qtyMessage);
    row("qty 1e3", addQty(u"1e3"_s), qtyMessage);
    row("qty 0x10", addQty(u"0x10"_s), qtyMessage);
    row("qty minus", addQty(u"-"_s), qtyMessage);
    row("qty arabic digit", addQty(u"\u0665"_s), qtyMessage);
    row("line over existing qty", addQty(u"9998"_s), u"at most 9999 items"_s);
    row("set-qty 0", {u"set-qty"_s, u"Alice"_s, u"1"_s, u"0"_s}, u"QTY must be a whole number"_s);
    row("set-qty 1.5", {u"set-qty"_s, u"Alice"_s, u"1"_s, u"1.5"_s},
        u"QTY must be a whole number"_s);
    row("set-qty line 0", {u"set-qty"_s, u"Alice"_s, u"0"_s, u"2"_s}, u"LINE must be"_s);
    // A negative positional number reads as an option unless it follows "--".
    row("remove line -1", {u"remove"_s, u"Alice"_s, u"-1"_s}, u"Unknown option '1'"_s);
    row("remove line -- -1", {u"remove"_s, u"Alice"_s, u"--"_s, u"-1"_s}, u"LINE must be"_s);
    row("set-qty -- -2", {u"set-qty"_s, u"Alice"_s, u"--"_s, u"1"_s, u"-2"_s},
        u"QTY must be a whole number"_s);
    row("remove line x", {u"remove"_s, u"Alice"_s, u"x"_s}, u"LINE must be"_s);
    row("tendered -5", pay(u"cash"_s, u"-5"_s), u"--tendered CENTS, a whole number"_s);
    row("tendered 1.5", pay(u"cash"_s, u"1.5"_s), u"--tendered CENTS, a whole number"_s);
    row("tendered abc", pay(u"cash"_s, u"abc"_s), u"--tendered CENTS, a whole number"_s);
    row("tendered huge", pay(u"cash"_s, u"1000000000"_s), u"--tendered CENTS, a whole number"_s);
    row("tendered missing", {u"complete"_s, u"Alice"_s, u"--method"_s, u"cash"_s},
        u"--tendered CENTS"_s);
    row("tendered short", pay(u"cash"_s, u"629"_s), u"less than the total"_s);
    row("card not exact", pay(u"card"_s, u"700"_s), u"exact total (630 cents)"_s);
    row("method bitcoin", pay(u"bitcoin"_s, u"1000"_s), u"--method cash, card or other"_s);
    row("method missing", {u"complete"_s, u"Alice"_s, u"--tendered"_s, u"1000"_s},
        u"--method cash, card or other"_s);
    row("settle method bitcoin",
        {u"settle-tab"_s, u"Table 9"_s, u"--method"_s, u"bitcoin"_s, u"--tendered"_s, u"340"_s},
        u"--method cash, card or other"_s);
    row("settle tendered -5",
        {u"settle-tab"_s, u"Table 9"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"-5"_s},
        u"--tendered CENTS"_s);
    row("settle version 0",
        {u"settle-tab"_s, u"Table 9"_s, u"--method"_s, u"cash"_s, u"--tendered"_s, u"340"_s,
         u"--expect-version"_s, u"0"_s},
        u"--expect-version must be"_s);
    row("price abc", addProduct(u"X-1"_s, u"Thing"_s, u"abc"_s), u"PRICE_CENTS must be"_s);
    row("price -1", addProduct(u"X-1"_s, u"Thing"_s, u"-1"_s), u"Unknown option '1'"_s);
    row("price -- -1", {u"product"_s, u"add"_s, u"--"_s, u"X-1"_s, u"Thing"_s, u"-1"_s},
        u"PRICE_CENTS must be"_s);
    row("price 1.5", addProduct(u"X-1"_s, u"Thing"_s, u"1.5"_s), u"PRICE_CENTS must be"_s);
    row("price too high", addProduct(u"X-1"_s, u"Thing"_s, u"100000000"_s),
        u"PRICE_CENTS must be"_s);
    row("sku with space", addProduct(u"X 1"_s, u"Thing"_s, u"100"_s), u"SKU cannot contain"_s);
    row("sku too long", addProduct(QString(65, u'S'), u"Thing"_s, u"100"_s),
        u"A SKU has 1 to 64"_s);
    row("product name blank", addProduct(u"X-1"_s, u"   "_s, u"100"_s),
        u"A product's name must have"_s);
    row("product name control", addProduct(u"X-1"_s, u"Bell\u0007"_s, u"100"_s),
        u"control characters"_s);

    // versions
    row("set-items no version", {u"set-items"_s, u"Alice"_s, itemsOkJson},
        u"set-items needs --expect-version"_s);
    row("version 0", version(u"0"_s), u"--expect-version must be"_s);
    row("version -1", version(u"-1"_s), u"--expect-version must be"_s);
    row("version abc", version(u"abc"_s), u"--expect-version must be"_s);
    row("version 2.5", version(u"2.5"_s), u"--expect-version must be"_s);
    row("complete version x",
        pay(u"cash"_s, u"1000"_s) + QStringList{u"--expect-version"_s, u"x"_s},
        u"--expect-version must be"_s);

    // set-items JSON
    row("json not json", setItems(u"not json"_s), u"not valid JSON"_s);
    row("json truncated", setItems(uR"([{"sku":"COF-ESP","qty":1})"_s), u"not valid JSON"_s);
    row("json object", setItems(uR"({"sku":"COF-ESP","qty":1})"_s), u"must be a JSON array"_s);
    row("json number", setItems(u"42"_s), u"not valid JSON"_s);
    row("json array of numbers", setItems(u"[1,2]"_s),
        u"Item 1: each item must be a JSON object"_s);
    row("json qty string", setItems(uR"([{"sku":"COF-ESP","qty":"2"}])"_s),
        u"Item 1: qty must be a whole number"_s);
    row("json qty fraction", setItems(uR"([{"sku":"COF-ESP","qty":1.5}])"_s),
        u"Item 1: qty must be a whole number"_s);
    row("json qty 0", setItems(uR"([{"sku":"COF-ESP","qty":0}])"_s),
        u"Item 1: qty must be a whole number"_s);
    row("json qty negative", setItems(uR"([{"sku":"COF-ESP","qty":-2}])"_s),
        u"Item 1: qty must be a whole number"_s);
    row("json qty huge", setItems(uR"([{"sku":"COF-ESP","qty":1e300}])"_s),
        u"Item 1: qty must be a whole number"_s);
    row("json qty missing", setItems(uR"([{"sku":"COF-ESP"}])"_s),
        u"Item 1: qty must be a whole number"_s);
    row("json unknown key", setItems(uR"([{"sku":"COF-ESP","qty":1,"discount":5}])"_s),
        u"Item 1: unknown field \u201cdiscount\u201d"_s);
    row("json sku number", setItems(uR"([{"sku":7,"qty":1}])"_s),
        u"Item 1: a catalog item has a text sku"_s);
    row("json sku and price", setItems(uR"([{"sku":"COF-ESP","qty":1,"unit_price_cents":1}])"_s),
        u"SKU COF-ESP has a fixed price"_s);
    row("json second item bad",
        setItems(uR"([{"sku":"COF-ESP","qty":1},{"name":"Cake","qty":1}])"_s),
        u"Item 2: an item needs a sku"_s);
    row("json price fraction", setItems(uR"([{"name":"Cake","unit_price_cents":1.5,"qty":1}])"_s),
        u"Item 1: an item needs a sku"_s);
    row("json price negative", setItems(uR"([{"name":"Cake","unit_price_cents":-1,"qty":1}])"_s),
        u"Item 1: an item needs a sku"_s);
    row("json price string", setItems(uR"([{"name":"Cake","unit_price_cents":"100","qty":1}])"_s),
        u"Item 1: an item needs a sku"_s);
    row("json unknown sku", setItems(uR"([{"sku":"NOPE-1","qty":1}])"_s),
        u"There is no product with SKU NOPE-1"_s);
    row("json merged qty too big",
        setItems(uR"([{"sku":"COF-ESP","qty":9000},{"sku":"COF-ESP","qty":1000}])"_s),
        u"Item 2: A quantity must be"_s);

    // request ids
    row("request id space", withId(u"a b"_s), u"A request id may contain only"_s);
    row("request id quote", withId(u"x'y"_s), u"A request id may contain only"_s);
    row("request id slash", withId(u"a/b"_s), u"A request id may contain only"_s);
    row("request id umlaut", withId(u"\u00fcber"_s), u"A request id may contain only"_s);
    row("request id empty", withId(u""_s), u"A request id has 1 to 128 characters"_s);
    row("request id too long", withId(QString(129, u'r')), u"A request id has 1 to 128"_s);

    // cashiers and tabs
    row("pin too short", addCashier(u"Zed"_s, u"123"_s), u"A PIN has 4 to 12 digits"_s);
    row("pin too long", addCashier(u"Zed"_s, u"1234567890123"_s), u"A PIN has 4 to 12 digits"_s);
    row("pin letters", addCashier(u"Zed"_s, u"12ab"_s), u"A PIN has digits only"_s);
    row("pin missing", {u"cashier"_s, u"add"_s, u"Zed"_s}, u"cashier add needs --pin"_s);
    row("role invalid", addCashier(u"Zed"_s, u"1234"_s) + QStringList{u"--role"_s, u"boss"_s},
        u"--role is cashier or manager"_s);
    row("role empty", addCashier(u"Zed"_s, u"1234"_s) + QStringList{u"--role"_s, u""_s},
        u"--role is cashier or manager"_s);
    row("cashier name blank", addCashier(u"   "_s, u"1234"_s), u"A cashier's name must have"_s);
    row("cashier name too long", addCashier(QString(65, u'n'), u"1234"_s),
        u"A cashier's name must have 1 to 64"_s);
    row("cashier duplicate", addCashier(u"alice"_s, u"1234"_s), u"already a cashier called"_s);
    row("tab name blank", {u"assign-tab"_s, u"Alice"_s, u"  "_s}, u"A tab's name must have"_s);
    row("prune period zero", {u"prune"_s, u"--older-than-days"_s, u"0"_s},
        u"retention period must be from 1 to 3650 days"_s);
    row("prune period words", {u"prune"_s, u"--older-than-days"_s, u"soon"_s},
        u"retention period must be from 1 to 3650 days"_s);
    row("prune argument", {u"prune"_s, u"Alice"_s}, u"prune takes 0 argument(s)"_s);
    row("prune option", {u"prune"_s, u"--qty"_s, u"2"_s}, u"--qty does not apply to prune"_s);
    row("tab name too long", {u"assign-tab"_s, u"Alice"_s, QString(65, u't')},
        u"A tab's name must have 1 to 64"_s);

    // receipts
    row("receipts amount negative", {u"receipts"_s, u"--amount"_s, u"-5"_s},
        u"--amount must be a whole number of cents"_s);
    row("receipts amount words", {u"receipts"_s, u"--amount"_s, u"ten"_s},
        u"--amount must be a whole number of cents"_s);
    row("receipts date impossible", {u"receipts"_s, u"--date"_s, u"2026-02-30"_s},
        u"--date must be a calendar day as YYYY-MM-DD"_s);
    row("receipts date format", {u"receipts"_s, u"--date"_s, u"30/03/2026"_s},
        u"--date must be a calendar day as YYYY-MM-DD"_s);
    row("receipts limit zero", {u"receipts"_s, u"--limit"_s, u"0"_s},
        u"--limit must be a whole number from 1 to 1000"_s);
    row("receipts number too long", {u"receipts"_s, u"--number"_s, QString(41, u'7')},
        u"The receipt number is too long"_s);
    row("receipts argument", {u"receipts"_s, u"today"_s}, u"receipts takes 0 argument(s)"_s);
    row("receipt no number", {u"receipt"_s}, u"receipt takes 1 argument(s)"_s);
    row("receipt request id alone", {u"receipt"_s, u"A-000001"_s, u"--request-id"_s, u"r1"_s},
        u"--request-id applies to a reprint"_s);
    row("receipt option", {u"receipt"_s, u"A-000001"_s, u"--amount"_s, u"5"_s},
        u"--amount does not apply to receipt"_s);
    row("receipt pdf empty", {u"receipt"_s, u"A-000001"_s, u"--pdf"_s, u""_s},
        u"--pdf needs the file to write"_s);
}

void TestCli::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);

    freshDatabase(m_seededTemplate);
    const QString before = dump();

    const CliResult text = till(args);
    CHECK_EXIT(text, exitInvalid);
    QVERIFY2(text.errText().contains(message), qPrintable(text.errText()));
    QVERIFY2(text.out.isEmpty(), qPrintable(text.outText()));

    const CliResult json = till(QStringList{u"--json"_s} + args);
    CHECK_EXIT(json, exitInvalid);
    const QJsonObject error = json.json().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), u"invalid_input"_s);
    QVERIFY2(error.value(u"message"_s).toString().contains(message), qPrintable(json.outText()));
    QVERIFY(json.errText().contains(message));

    QCOMPARE(dump(), before);
}

void TestCli::badCsv_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("message");

    QTest::newRow("fractional price")
        << QByteArray("sku,name,price_cents\nA-1,Apple,100\nA-2,Pear,1.5\n")
        << u"line 3: price_cents must be a whole number"_s;
    QTest::newRow("negative price") << QByteArray("sku,name,price_cents\nA-1,Apple,-100\n")
                                    << u"line 2: price_cents must be a whole number"_s;
    QTest::newRow("price too high") << QByteArray("sku,name,price_cents\nA-1,Apple,100000000\n")
                                    << u"line 2: A price must be"_s;
    QTest::newRow("missing column")
        << QByteArray("sku,name\nA-1,Apple\n") << u"line 1: the header must name the columns"_s;
    QTest::newRow("field count")
        << QByteArray("sku,name,price_cents\nA-1,Apple,100\nA-2,Pear\nA-3,Plum,1,2\n")
        << u"line 3: expected 3 fields, found 2"_s;
    QTest::newRow("quote in unquoted field")
        << QByteArray("sku,name,price_cents\nA-1,Ap\"ple,100\n")
        << u"line 2: a quote inside an unquoted field"_s;
    QTest::newRow("text after closing quote")
        << QByteArray("sku,name,price_cents\nA-1,Apple,100\nA-2,\"Pear\"x,100\n")
        << u"line 3: text after a closing quote"_s;
    QTest::newRow("unclosed quote") << QByteArray("sku,name,price_cents\nA-1,\"Apple,100\n")
                                    << u"line 2: a quoted field is never closed"_s;
    QTest::newRow("duplicate sku") << QByteArray("sku,name,price_cents\nA-1,Apple,100\n"
                                                 "A-2,Pear,100\nA-1,Apple again,120\n")
                                   << u"line 4: the SKU A-1 appears twice"_s;
    QTest::newRow("blank name") << QByteArray("sku,name,price_cents\nA-1,,100\n")
                                << u"line 2: A product's name must have"_s;
    QTest::newRow("sku with space")
        << QByteArray("sku,name,price_cents\nA 1,Apple,100\n") << u"line 2: A SKU cannot contain"_s;
    QTest::newRow("empty file") << QByteArray() << u"The file is empty"_s;
}

void TestCli::badCsv()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, message);

    const QString path = writeFile(u"bad.csv"_s, csv);
    const QString before = dump();
    const CliResult imported = till({u"product"_s, u"import"_s, path});
    CHECK_EXIT(imported, exitInvalid);
    QVERIFY2(imported.errText().contains(message), qPrintable(imported.errText()));
    QVERIFY(imported.out.isEmpty());
    QCOMPARE(dump(), before); // all or nothing: the good rows are not imported either
    QVERIFY(dbValue(u"SELECT 1 FROM products WHERE sku = 'A-1'"_s).isNull());
}

void TestCli::notFound_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");

    const QString noCashier = u"There is no cashier called Nobody"_s;
    QTest::newRow("open unknown cashier") << QStringList{u"open"_s, u"Nobody"_s} << noCashier;
    QTest::newRow("show unknown cashier") << QStringList{u"show"_s, u"Nobody"_s} << noCashier;
    QTest::newRow("add unknown cashier")
        << QStringList{u"add"_s, u"Nobody"_s, u"COF-ESP"_s} << noCashier;
    QTest::newRow("logout unknown cashier") << QStringList{u"logout"_s, u"Nobody"_s} << noCashier;
    QTest::newRow("complete unknown cashier")
        << QStringList{u"complete"_s, u"Nobody"_s,     u"--method"_s,
                       u"cash"_s,     u"--tendered"_s, u"100"_s}
        << noCashier;
    QTest::newRow("add unknown sku") << QStringList{u"add"_s, u"Alice"_s, u"NOPE-1"_s}
                                     << u"There is no product with SKU NOPE-1"_s;
    QTest::newRow("add unknown sku opens nothing") << QStringList{u"add"_s, u"Maria"_s, u"NOPE-1"_s}
                                                   << u"There is no product with SKU NOPE-1"_s;
    QTest::newRow("show no open order")
        << QStringList{u"show"_s, u"Maria"_s} << u"This cashier has no open order"_s;
    QTest::newRow("logout no open order")
        << QStringList{u"logout"_s, u"Bob"_s} << u"This cashier has no open order"_s;
    QTest::newRow("set-qty no open order")
        << QStringList{u"set-qty"_s, u"Maria"_s, u"1"_s, u"2"_s} << u"no open order"_s;
    QTest::newRow("set-qty unknown line") << QStringList{u"set-qty"_s, u"Alice"_s, u"9"_s, u"2"_s}
                                          << u"Line 9 is not on this order"_s;
    QTest::newRow("remove unknown line")
        << QStringList{u"remove"_s, u"Alice"_s, u"9"_s} << u"Line 9 is not on this order"_s;
    QTest::newRow("history unknown order")
        << QStringList{u"history"_s, u"no-such-order"_s} << u"There is no order no-such-order"_s;
    QTest::newRow("settle unknown tab")
        << QStringList{u"settle-tab"_s, u"Table 99"_s,   u"--method"_s,
                       u"cash"_s,       u"--tendered"_s, u"100"_s}
        << u"There is no open tab called Table 99"_s;
    QTest::newRow("import missing file")
        << QStringList{u"product"_s, u"import"_s, u"/nonexistent/catalog.csv"_s}
        << u"Cannot read /nonexistent/catalog.csv"_s;
    QTest::newRow("receipt unknown")
        << QStringList{u"receipt"_s, u"zzzz-000001"_s} << u"There is no receipt ZZZZ-000001."_s;
    QTest::newRow("reprint unknown receipt")
        << QStringList{u"receipt"_s, u"ZZZZ-000001"_s, u"--copy-by"_s, u"Alice"_s}
        << u"There is no receipt ZZZZ-000001."_s;
    QTest::newRow("pdf of unknown receipt")
        << QStringList{u"receipt"_s, u"ZZZZ-000001"_s, u"--pdf"_s, u"/tmp/never-written.pdf"_s}
        << u"There is no receipt ZZZZ-000001."_s;
    QTest::newRow("reprint unknown cashier")
        << QStringList{u"receipt"_s, u"ZZZZ-000001"_s, u"--copy-by"_s, u"Nobody"_s} << noCashier;
    QTest::newRow("cashier injection")
        << QStringList{u"show"_s, u"' OR '1'='1"_s} << u"There is no cashier called ' OR '1'='1"_s;
}

void TestCli::notFound()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);

    freshDatabase(m_seededTemplate);
    const QString before = dump();

    const CliResult text = till(args);
    CHECK_EXIT(text, exitNotFound);
    QVERIFY2(text.errText().contains(message), qPrintable(text.errText()));
    QVERIFY(text.out.isEmpty());

    const CliResult json = till(QStringList{u"--json"_s} + args);
    CHECK_EXIT(json, exitNotFound);
    const QJsonObject error = json.json().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), u"not_found"_s);
    QVERIFY(error.value(u"message"_s).toString().contains(message));

    QCOMPARE(dump(), before);
}

void TestCli::missingDatabase_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("show") << QStringList{u"show"_s, u"Alice"_s};
    QTest::newRow("add") << QStringList{u"add"_s, u"Alice"_s, u"COF-ESP"_s};
    QTest::newRow("tabs") << QStringList{u"tabs"_s};
    QTest::newRow("cashier list") << QStringList{u"cashier"_s, u"list"_s};
    QTest::newRow("cashier add") << QStringList{u"cashier"_s, u"add"_s, u"Zed"_s, u"--pin"_s,
                                                u"1234"_s};
    QTest::newRow("product add") << QStringList{u"product"_s, u"add"_s, u"X-1"_s, u"X"_s, u"1"_s};
    QTest::newRow("history") << QStringList{u"history"_s, u"abc"_s};
}

void TestCli::missingDatabase()
{
    QFETCH(QStringList, args);

    const QString path = m_root.filePath(u"missing/none.sqlite"_s);
    const CliResult text = runCli(QStringList{u"--db"_s, path} + args);
    CHECK_EXIT(text, exitNotFound);
    QVERIFY(text.out.isEmpty());
    QVERIFY(text.errText().contains(u"There is no database at "_s + path));
    QVERIFY(text.errText().contains(u"safetill-cli --db %1 init --demo"_s.arg(path)));

    const CliResult json = runCli(QStringList{u"--json"_s, u"--db"_s, path} + args);
    CHECK_EXIT(json, exitNotFound);
    QCOMPARE(json.json().value(u"error"_s).toObject().value(u"code"_s).toString(), u"not_found"_s);

    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(!QFileInfo::exists(m_root.filePath(u"missing"_s)));
}

void TestCli::defaultDatabaseLocation()
{
    // Without --db the CLI uses the data folder (XDG_DATA_HOME, a temporary folder here).
    const CliResult missing = runCli({u"show"_s, u"Alice"_s});
    CHECK_EXIT(missing, exitNotFound);
    QVERIFY2(missing.errText().contains(m_xdgDataHome), qPrintable(missing.errText()));
    QVERIFY(missing.errText().contains(u"init --demo"_s));
    CHECK_EXIT(runCli({u"init"_s, u"--demo"_s}), exitOk);
    const CliResult added = runCli({u"--json"_s, u"add"_s, u"Maria"_s, u"TEA-GRN"_s});
    CHECK_EXIT(added, exitOk);
    QCOMPARE(added.json().value(u"total_cents"_s).toInteger(), 230);
}

void TestCli::sqlLookingStringsStoredVerbatim()
{
    const QString evilProduct = u"Robert'); DROP TABLE products;--"_s;
    const QString evilTab = u"Tom's \"Corner\"; DROP TABLE tabs;--"_s;
    const QString evilCashier = u"O'Brien\"; DELETE FROM cashiers;--"_s;
    const QString evilCategory = u"x' OR '1'='1"_s;

    const CliResult product = till({u"--json"_s, u"product"_s, u"add"_s, u"SQL-1"_s, evilProduct,
                                    u"150"_s, u"--category"_s, evilCategory});
    CHECK_EXIT(product, exitOk);
    QCOMPARE(product.json().value(u"name"_s).toString(), evilProduct);
    QCOMPARE(dbValue(u"SELECT name FROM products WHERE sku = 'SQL-1'"_s).toString(), evilProduct);
    QCOMPARE(dbValue(u"SELECT category FROM products WHERE sku = 'SQL-1'"_s).toString(),
             evilCategory);

    const CliResult cashier =
        till({u"--json"_s, u"cashier"_s, u"add"_s, evilCashier, u"--pin"_s, u"4444"_s});
    CHECK_EXIT(cashier, exitOk);
    QCOMPARE(cashier.json().value(u"name"_s).toString(), evilCashier);

    // The cashier by that name orders the product and puts it on the tab.
    const CliResult order = till({u"--json"_s, u"add"_s, evilCashier, u"SQL-1"_s});
    CHECK_EXIT(order, exitOk);
    QCOMPARE(order.json().value(u"cashier"_s).toString(), evilCashier);
    QCOMPARE(order.json().value(u"lines"_s).toArray().at(0).toObject().value(u"name"_s).toString(),
             evilProduct);
    const CliResult tab = till({u"--json"_s, u"assign-tab"_s, evilCashier, evilTab});
    CHECK_EXIT(tab, exitOk);
    QCOMPARE(tab.json().value(u"tab"_s).toString(), evilTab);

    // Everything is still there, and round-trips.
    for (const QString &table :
         {u"products"_s, u"tabs"_s, u"cashiers"_s, u"order_sessions"_s, u"order_lines"_s,
          u"payments"_s, u"idempotency"_s, u"outbox"_s, u"order_history"_s})
        QVERIFY2(
            !dbValue(u"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"_s, {table})
                 .isNull(),
            qPrintable(table));
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM products"_s).toInt(), 25);
    QCOMPARE(dbValue(u"SELECT COUNT(*) FROM cashiers"_s).toInt(), 4);

    const CliResult products = till({u"--json"_s, u"product"_s, u"list"_s});
    CHECK_EXIT(products, exitOk);
    bool found = false;
    for (const QJsonValue &value : products.json().value(u"products"_s).toArray())
        found = found || value.toObject().value(u"name"_s).toString() == evilProduct;
    QVERIFY(found);

    const CliResult tabs = till({u"--json"_s, u"tabs"_s});
    CHECK_EXIT(tabs, exitOk);
    const QJsonArray open = tabs.json().value(u"tabs"_s).toArray();
    QCOMPARE(open.size(), 1);
    QCOMPARE(open.at(0).toObject().value(u"name"_s).toString(), evilTab);
    const CliResult tabsText = till({u"tabs"_s});
    CHECK_EXIT(tabsText, exitOk);
    QVERIFY(tabsText.outText().startsWith(evilTab));

    // Settled by that name.
    const CliResult settled = till({u"--json"_s, u"settle-tab"_s, evilTab, u"--method"_s, u"card"_s,
                                    u"--tendered"_s, u"150"_s});
    CHECK_EXIT(settled, exitOk);
    QCOMPARE(settled.json().value(u"name"_s).toString(), evilTab);
    QCOMPARE(dbValue(u"SELECT name FROM tabs"_s).toString(), evilTab);
}

QTEST_GUILESS_MAIN(TestCli)
// http:// to another machine: the device token and the PIN hashes would travel in the clear.
void TestCli::syncWarnsOfAnUnencryptedServer()
{
    const QString missing = m_root.filePath(u"no-token"_s);
    const CliResult remote =
        till({u"sync"_s, u"--once"_s, u"--server"_s, u"http://till-server.example:8080"_s,
              u"--token-file"_s, missing});
    QCOMPARE(remote.exitCode, exitInvalid); // no token file: nothing is sent
    QVERIFY2(remote.errText().contains(u"without encryption"_s), qPrintable(remote.describe()));
    for (const QString &quiet : {u"https://till-server.example:8443"_s, u"http://127.0.0.1:8080"_s,
                                 u"http://localhost:8080"_s}) {
        const CliResult result =
            till({u"sync"_s, u"--once"_s, u"--server"_s, quiet, u"--token-file"_s, missing});
        QCOMPARE(result.exitCode, exitInvalid);
        QVERIFY2(!result.errText().contains(u"without encryption"_s),
                 qPrintable(result.describe()));
    }
}

#include "tst_cli.moc"
