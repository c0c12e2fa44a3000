#include "ServerApp.h"

#include "AuthStore.h"
#include "Backup.h"
#include "CashierService.h"
#include "CatalogService.h"
#include "Database.h"
#include "PinHasher.h"
#include "ReportApi.h"
#include "SafeTillServer.h"
#include "ServerLogging.h"
#include "ServerRetention.h"
#include "ServiceNotifier.h"
#include "Services.h"
#include "ShopSettings.h"
#include "TlsFiles.h"
#include "Validation.h"
#include "Verifier.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

const QString usageText = uR"(Serves the SafeTill order-sessions API and the terminal sync API
(docs/sync-protocol.md), or manages its users, devices and catalog.

Admin commands (on the same database, then exit):
  user add NAME [--role cashier|manager]
                         the PIN (4 to 12 digits, at least min-pin-digits) is read
                         from standard input, one line, or asked twice at a prompt in
                         a terminal: never from the command line (ps and shell
                         history would show it)
  user list              id, name, role, active|retired, PIN (pin-ok, pin-short: fewer
                         digits than min-pin-digits, change it; pin-unknown: set before
                         lengths were recorded; - for a retired user); tab-separated
  user retire USER       by name or id: can no longer sign in or be synced to tills,
                         signed out everywhere; their orders keep naming them
  user set-pin USER      the new PIN as with user add (standard input or a prompt)
  user set-role USER cashier|manager
  device add NAME        prints the device's token once, alone on stdout
  device list            id, name, receipt prefix (- before the first pull),
                         active|revoked; one device a line, tab-separated
  device revoke DEVICE   by name or id: its token is refused by the next request, on
                         every server process (a stolen till); add it again to re-register
  device cashiers DEVICE prints the cashiers whose PIN hashes the till receives (id, name,
                         role); by default every active cashier
  device cashiers DEVICE NAME... | --set NAME,NAME...
                         only these cashiers (by name or id) from the till's next pull on;
                         a cashier left out is deleted from the till by that pull
  device cashiers DEVICE --all
                         back to the default: every active cashier
  settings show          the shop's settings, name and value, tab-separated
  settings set min-pin-digits N
                         new and changed PINs need at least N digits (4 to 12; default 4):
                         e.g. 6 for 6-digit PINs. Existing shorter PINs keep working until
                         changed; user list flags them (pin-short)
  product add SKU NAME PRICE_CENTS [--category C]
                         adds a product (a known SKU is refused: import updates)
  product import FILE    CSV with the header sku,name,price_cents[,category]: new SKUs
                         are added, known ones updated; a file with any bad row is
                         refused whole, every problem listed by line
  product list
  report day DATE [--json]
                         the shop's day report for DATE (YYYY-MM-DD, a UTC day): per
                         till and for the shop, the sums of the Z reports the tills
                         synced whose shift closed that day (the shop's total is the
                         sum of the tills' Z reports exactly); shifts still open are
                         listed apart with their sales so far, not in the totals
  verify [--json]        checks the database's money and history promises (the same
                         checks as safetill-cli verify): exit 0 clean, 3 findings listed
  backup FILE [--force]  copies the SQLite database to FILE (0600) while it may be
                         serving (SQLite's online backup: the state of one moment), checks
                         the copy (PRAGMA integrity_check) and prints its size, schema
                         version, orders and payments. An existing FILE only with --force.
                         PostgreSQL: use pg_dump (README, "Backups").
  restore FILE [--force] replaces the SQLite database with the backup FILE: FILE must be
                         an intact SafeTill database of this version's schema or an older
                         one (migrated); refused while a server has the database open
                         (stop it first); the old database is kept as DB.before-restore
                         (an existing one is replaced only with --force)
  prune [--days N]       deletes expired sign-in tokens, spent login-throttle counters and
                         stored request results older than N days (default 90, at least 7:
                         longer than any client retries); the running server does the same
                         every --prune-interval seconds
Retiring a user or revoking a device again changes nothing and exits 0.
The server's users are the cashiers and its products the catalog that synced terminals
pull. Exit status: 0 ok, 2 usage or invalid input (also: a backup FILE that is not an
intact SafeTill database or is of a newer schema, a PostgreSQL database for backup or
restore), 3 conflict (e.g. a device name taken, a retired user, a backup FILE or
DB.before-restore that exists without --force, a database in use by a running server
for restore), 4 file, user or device not found, 1 other.

Files: the server creates its files (an SQLite database and its journal) readable by
its own user only (0600), and refuses to start with a --tls-key file that other users
can read (chmod 600 or 640).)"_s;

// SIGTERM/SIGINT/SIGHUP: the handler only writes the signal's number to a socket pair
// (async-signal-safe, the pattern of Qt's "Calling Qt Functions From Unix Signal Handlers"); a
// QSocketNotifier on the other end acts on the event loop: SIGHUP reloads the TLS certificate,
// the others start the graceful shutdown.
int signalPipe[2] = {-1, -1};

void onSignal(int number)
{
    const char byte = char(number);
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[0], &byte, 1);
}

// SIGHUP: the shop's currency is read again, and the TLS certificate and key for new connections
// (a bad file keeps the certificate in use).
void reloadOnHangUp(SafeTillServer &server, const QString &listening)
{
    server.reloadShopSettings();
    if (!server.isTls()) {
        qCInfo(lcServer) << "SIGHUP: nothing to reload (no --tls-cert)";
        return;
    }
    ServiceNotifier::reloading();
    QString error;
    if (!server.reloadTls(&error))
        qCWarning(lcServer).noquote()
            << "SIGHUP: kept the current TLS certificate, the new files are refused:" << error;
    ServiceNotifier::ready(listening);
}

int fail(const QString &message, int status = 1)
{
    QTextStream(stderr) << "safetill-server: " << message << Qt::endl;
    return status;
}

// HOST:PORT, [IPv6]:PORT or :PORT (all interfaces).
bool parseListen(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon < 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint number = text.mid(colon + 1).toUInt(&ok);
    if (!ok || number > 65535)
        return false;
    *port = quint16(number);
    if (host.isEmpty() || host == u"*"_s) {
        *address = QHostAddress::Any;
        return true;
    }
    if (host == u"localhost"_s) {
        *address = QHostAddress::LocalHost;
        return true;
    }
    return address->setAddress(host);
}

// One line of standard input, at most maxLength characters (more is refused, not cut).
std::optional<QString> readLine(qsizetype maxLength)
{
    std::string line;
    int c = 0;
    while ((c = std::fgetc(stdin)) != EOF && c != '\n') {
        if (qsizetype(line.size()) > maxLength)
            return std::nullopt;
        line.push_back(char(c));
    }
    if (c == EOF && line.empty())
        return QString();
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

// A line typed at the terminal without echo.
std::optional<QString> promptHidden(const QString &prompt)
{
    QTextStream(stderr) << prompt << Qt::flush;
    termios saved = {};
    const bool terminal = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= ECHONL;
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::optional<QString> line = readLine(64);
    if (terminal)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    return line;
}

} // namespace

// The PIN for user add and user set-pin: one line of standard input, or, in a terminal, typed
// twice without echo. Never an argument: ps and the shell history would show it.
std::optional<QString> ServerApp::readPin(const QString &user, QString *problem)
{
    std::optional<QString> pin;
    if (::isatty(STDIN_FILENO)) {
        pin = promptHidden(u"PIN for %1: "_s.arg(normalizedName(user)));
        if (pin && !pin->isEmpty()) {
            const std::optional<QString> again = promptHidden(u"The same PIN again: "_s);
            if (again != pin) {
                *problem = u"The two PINs differ; nothing was changed."_s;
                return std::nullopt;
            }
        }
    } else {
        pin = readLine(64);
    }
    if (!pin) {
        *problem = u"The PIN on standard input is too long: a PIN has 4 to 12 digits."_s;
        return std::nullopt;
    }
    if (pin->isEmpty()) {
        *problem = u"No PIN was given: it is read from standard input (one line, e.g. "
                   "user add NAME < file) or typed at the prompt in a terminal."_s;
        return std::nullopt;
    }
    if (const QString invalid = PinHasher::validate(*pin); !invalid.isEmpty()) {
        *problem = u"The PIN is not valid: %1"_s.arg(invalid);
        return std::nullopt;
    }
    return pin;
}

ServerApp::ServerApp()
{
    m_parser.setApplicationDescription(usageText);
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOptions({
        {u"listen"_s, u"Address and port to serve on (default 127.0.0.1:8080; port 0: any)."_s,
         u"host:port"_s, u"127.0.0.1:8080"_s},
        {u"db"_s,
         u"SQLite file or postgresql://USER@HOST:PORT/DBNAME (default: the data location)."_s,
         u"path|url"_s},
        {u"tls-cert"_s, u"Serve HTTPS with this PEM certificate (needs --tls-key)."_s, u"file"_s},
        {u"tls-key"_s, u"The PEM private key for --tls-cert."_s, u"file"_s},
        {u"workers"_s, u"Worker threads (default: twice the cores, at most 16)."_s, u"n"_s},
        {u"no-group-commit"_s,
         u"Commit every write request on its own instead of sharing durable commits (slower; "
         "for measuring)."_s},
        {u"writer-lanes"_s,
         u"Group-commit writer threads (PostgreSQL; default 2, SQLite always 1)."_s, u"n"_s},
        {u"batch-wait-us"_s,
         u"Under load, how long a writer lane may wait for more write requests while another "
         "lane's batch runs, so that more of them share one commit (PostgreSQL; 2000; 0: never wait)."_s,
         u"us"_s, u"2000"_s},
        {u"idle-timeout-ms"_s,
         u"Close a connection that is silent, or sends a request slowly, this long (10000)."_s,
         u"ms"_s, u"10000"_s},
        {u"trusted-proxy"_s,
         u"A reverse proxy (address or CIDR subnet; repeatable) whose Forwarded: for= or "
         "X-Forwarded-For header names the client: the address the login throttle and the logs "
         "use. From any other peer those headers are ignored."_s,
         u"addr"_s},
        {u"max-connections-per-address"_s,
         u"Open connections allowed from one address (64; 0: no limit); more are answered 503 "
         "and closed. Trusted proxies are exempt."_s,
         u"n"_s, u"64"_s},
        {u"max-queued-writes"_s,
         u"Write requests waiting for the group commit (1024); more are answered 503 with "
         "Retry-After at once."_s,
         u"n"_s, u"1024"_s},
        {u"pin"_s, u"Refused: a PIN is read from standard input or a prompt."_s, u"pin"_s},
        {u"role"_s, u"With user add: cashier (default) or manager."_s, u"role"_s},
        {u"login-lock-seconds"_s,
         u"The first lock after too many failed sign-ins (30; it doubles with every further "
         "failure, up to 900)."_s,
         u"s"_s, u"30"_s},
        {u"category"_s, u"With product add: the product's category."_s, u"category"_s},
        {u"tax"_s, u"With product add: the product's tax code (tax rates: safetill-cli tax)."_s,
         u"code"_s},
        {u"json"_s, u"With verify and report day: print the report as one JSON object."_s},
        {u"set"_s, u"With device cashiers: only these cashiers (comma-separated names or ids)."_s,
         u"names"_s},
        {u"all"_s, u"With device cashiers: every active cashier (the default)."_s},
        {u"metrics-listen"_s,
         u"Serve the Prometheus GET /metrics on this address and port only (plain HTTP), not on "
         "--listen's. Without it, /metrics is on the main port."_s,
         u"host:port"_s},
        {u"force"_s, u"With backup: replace an existing FILE; with restore: an existing "
                     "DB.before-restore."_s},
        {u"days"_s,
         u"With prune, and when serving: keep stored request results this many days (90; "
         "7 to 3650)."_s,
         u"n"_s},
        {u"prune-interval"_s,
         u"When serving: prune expired tokens, spent throttle counters and old request "
         "results every this many seconds (600; 0: never)."_s,
         u"s"_s, u"600"_s},
    });
    // For tests only, not shown in --help: caps the SQLite file at N pages (PRAGMA
    // max_page_count on every connection), so a test gets a real SQLITE_FULL ("disk full")
    // without a small file system.
    QCommandLineOption maxPages(u"test-max-db-pages"_s, u"(tests only)"_s, u"n"_s);
    maxPages.setFlags(QCommandLineOption::HiddenFromHelp);
    m_parser.addOption(maxPages);
}

QString ServerApp::databaseLocation() const
{
    const QString given = m_parser.value(u"db"_s);
    if (!given.isEmpty())
        return given;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return folder + u"/safetill-server.sqlite"_s;
}

int ServerApp::run(const QStringList &arguments)
{
    // Whatever the server creates (the SQLite database, its WAL and shared-memory files) is for
    // its own user only: the database holds PIN and token hashes.
    ::umask(::umask(0) | S_IRWXG | S_IRWXO);
    if (!m_parser.parse(arguments))
        return fail(m_parser.errorText(), 2);
    if (m_parser.isSet(u"help"_s))
        m_parser.showHelp(0);
    if (m_parser.isSet(u"version"_s))
        m_parser.showVersion();
    if (m_parser.isSet(u"pin"_s))
        return fail(u"--pin is not accepted: a PIN on the command line shows in ps and the shell "
                    "history. Give it on standard input (e.g. from a file: user add NAME < pin) "
                    "or type it at the prompt."_s,
                    2);
    const QStringList positional = m_parser.positionalArguments();
    if (!positional.isEmpty())
        return admin(positional);
    return serve();
}

int ServerApp::admin(const QStringList &positional)
{
    const QString first = positional.value(0);
    const QString command = first == u"backup"_s || first == u"restore"_s || first == u"prune"_s
                                ? first
                                : positional.mid(0, 2).join(u' ');
    static const QHash<QString, qsizetype> wordCounts{
        {u"user add"_s, 3},        {u"user list"_s, 2},     {u"user retire"_s, 3},
        {u"user set-pin"_s, 3},    {u"user set-role"_s, 4}, {u"device add"_s, 3},
        {u"device list"_s, 2},     {u"device revoke"_s, 3}, {u"product add"_s, 5},
        {u"product import"_s, 3},  {u"product list"_s, 2},  {u"verify"_s, 1},
        {u"device cashiers"_s, 3}, {u"settings show"_s, 2}, {u"settings set"_s, 4},
        {u"backup"_s, 2},          {u"restore"_s, 2},       {u"prune"_s, 1},
        {u"report day"_s, 3}};
    if (!wordCounts.contains(command))
        return fail(u"unknown command \u201c%1\u201d; see --help."_s.arg(positional.join(u' ')), 2);
    if ((m_parser.isSet(u"set"_s) || m_parser.isSet(u"all"_s)) && command != u"device cashiers"_s)
        return fail(u"--set and --all go with device cashiers only."_s, 2);
    if (m_parser.isSet(u"role"_s) && command != u"user add"_s)
        return fail(u"--role goes with user add only (user set-role USER ROLE changes it)."_s, 2);
    if (command == u"device cashiers"_s)
        return deviceCashiers(positional);
    if (command.startsWith(u"settings "_s))
        return settings(command, positional);
    const qsizetype wanted = wordCounts.value(command);
    if (positional.size() != wanted)
        return fail(
            u"%1 takes %2 argument(s)."_s.arg(command).arg(wanted - command.count(u' ') - 1), 2);
    if (m_parser.isSet(u"force"_s) && command != u"backup"_s && command != u"restore"_s)
        return fail(u"--force goes with backup and restore only."_s, 2);
    if (m_parser.isSet(u"days"_s) && command != u"prune"_s)
        return fail(u"--days goes with prune (or when serving) only."_s, 2);
    if (command.startsWith(u"product "_s))
        return product(command, positional);
    if (command == u"backup"_s || command == u"restore"_s || command == u"prune"_s)
        return maintenance(command, positional);
    if (command == u"report day"_s)
        return dayReport(positional.at(2));
    // Everything the user gives is checked before the database is opened: a bad call changes
    // nothing.
    std::optional<Role> role;
    if (command == u"user add"_s || command == u"user set-role"_s) {
        const QString text =
            command == u"user add"_s
                ? (m_parser.isSet(u"role"_s) ? m_parser.value(u"role"_s) : u"cashier"_s)
                : positional.at(3);
        role = roleFromString(text);
        if (!role)
            return fail(u"The role is cashier or manager, not \u201c%1\u201d."_s.arg(text), 2);
    }
    QString pin;
    if (command == u"user add"_s || command == u"user set-pin"_s) {
        QString problem;
        const std::optional<QString> read = readPin(positional.at(2), &problem);
        if (!read)
            return fail(problem, 2);
        pin = *read;
    }
    // The server's services: where sync ends, so its actions write no outbox rows.
    Result<std::unique_ptr<Services>> opened =
        Services::open(DatabaseOptions{databaseLocation()}, SyncSide::Server);
    if (!opened)
        return fail(opened.message());
    Services &services = **opened;
    QTextStream out(stdout);
    auto status = [](Outcome outcome) {
        switch (outcome) {
        case Outcome::InvalidInput:
            return 2;
        case Outcome::Conflict:
            return 3;
        case Outcome::NotFound:
            return 4;
        default:
            return 1;
        }
    };
    if (command == u"verify"_s) {
        const Result<VerifyReport> report = services.verifier().run();
        if (!report.value()) // the database could not be read: no report
            return fail(report.message());
        out << (m_parser.isSet(u"json"_s)
                    ? QString::fromUtf8(
                          QJsonDocument(toJson(*report.value())).toJson(QJsonDocument::Compact))
                    : toText(*report.value()))
            << Qt::endl;
        return report ? 0 : 3;
    }
    CashierService &cashiers = services.cashiers();
    if (command == u"user add"_s) {
        const Result<Cashier> added = cashiers.add(positional.at(2), pin, *role);
        if (!added)
            return fail(added.message(), status(added.outcome()));
        out << "Added user " << added->name << " (" << toString(added->role) << ", id " << added->id
            << ")" << Qt::endl;
        return 0;
    }
    if (command == u"user list"_s) {
        const Result<QList<CashierService::Entry>> users = cashiers.listAll();
        if (!users)
            return fail(users.message());
        const Result<int> minDigits = ShopSettings(services.database()).minPinDigits();
        if (!minDigits)
            return fail(minDigits.message());
        int shortPins = 0;
        for (const CashierService::Entry &user : *users) {
            // Shorter than the policy: still works, but should be changed (set-pin).
            const char *pin = user.retired                   ? "-"
                              : !user.pinDigits              ? "pin-unknown"
                              : *user.pinDigits < *minDigits ? "pin-short"
                                                             : "pin-ok";
            shortPins += !user.retired && user.pinDigits && *user.pinDigits < *minDigits;
            out << user.cashier.id << '\t' << user.cashier.name << '\t'
                << toString(user.cashier.role) << '\t' << (user.retired ? "retired" : "active")
                << '\t' << pin << Qt::endl;
        }
        if (shortPins > 0)
            QTextStream(stderr) << "safetill-server: " << shortPins
                                << " PIN(s) have fewer digits than min-pin-digits (" << *minDigits
                                << "): change them with user set-pin USER." << Qt::endl;
        return 0;
    }
    if (command == u"user retire"_s) {
        bool wasActive = false;
        const Result<Cashier> retired = cashiers.retire(positional.at(2), &wasActive);
        if (!retired)
            return fail(retired.message(), status(retired.outcome()));
        out << (wasActive ? "Retired user " : "Already retired: ") << retired->name << " (id "
            << retired->id << ")" << Qt::endl;
        return 0;
    }
    if (command == u"user set-pin"_s) {
        const Result<Cashier> changed = cashiers.setPin(positional.at(2), pin);
        if (!changed)
            return fail(changed.message(), status(changed.outcome()));
        // The new PIN works at once, even for a user the throttle had locked out.
        AuthStore(services.database()).clearUserThrottle(changed->id);
        out << "New PIN for " << changed->name << " (id " << changed->id << ")" << Qt::endl;
        return 0;
    }
    if (command == u"user set-role"_s) {
        const Result<Cashier> changed = cashiers.setRole(positional.at(2), *role);
        if (!changed)
            return fail(changed.message(), status(changed.outcome()));
        out << changed->name << " is now " << toString(changed->role) << " (id " << changed->id
            << ")" << Qt::endl;
        return 0;
    }
    AuthStore auth(services.database());
    if (command == u"device list"_s) {
        const Result<QList<AuthStore::DeviceInfo>> devices = auth.listDevices();
        if (!devices)
            return fail(devices.message());
        for (const AuthStore::DeviceInfo &device : *devices)
            out << device.id << '\t' << device.name << '\t'
                << (device.receiptPrefix.isEmpty() ? u"-"_s : device.receiptPrefix) << '\t'
                << (device.revokedAt.isValid() ? "revoked" : "active") << Qt::endl;
        return 0;
    }
    if (command == u"device revoke"_s) {
        bool wasActive = false;
        const Result<AuthStore::DeviceInfo> revoked =
            auth.revokeDevice(positional.at(2), &wasActive);
        if (!revoked)
            return fail(revoked.message(), status(revoked.outcome()));
        out << (wasActive ? "Revoked device " : "Already revoked: ") << revoked->name << " (id "
            << revoked->id << ")" << Qt::endl;
        return 0;
    }
    const Result<QString> token = auth.addDevice(positional.at(2));
    if (!token)
        return fail(token.message(), token.outcome() == Outcome::InvalidInput ? 2 : 3);
    out << *token << Qt::endl; // alone on stdout: it is shown this once only
    return 0;
}

int ServerApp::dayReport(const QString &dateText)
{
    const std::optional<QDate> date = ReportApi::parseDate(dateText);
    if (!date)
        return fail(
            u"DATE must be a day as YYYY-MM-DD (e.g. 2026-12-05), not \u201c%1\u201d."_s.arg(
                dateText),
            2);
    Result<std::unique_ptr<Services>> opened =
        Services::open(DatabaseOptions{databaseLocation()}, SyncSide::Server);
    if (!opened)
        return fail(opened.message());
    const Result<QJsonObject> report =
        ReportApi::dayReport((*opened)->database(), *date, QDateTime::currentDateTimeUtc());
    if (!report)
        return fail(report.message());
    QTextStream out(stdout);
    if (m_parser.isSet(u"json"_s))
        out << QString::fromUtf8(QJsonDocument(*report).toJson(QJsonDocument::Compact)) << Qt::endl;
    else
        out << ReportApi::dayReportText(*report);
    return 0;
}

int ServerApp::deviceCashiers(const QStringList &positional)
{
    if (positional.size() < 3)
        return fail(u"device cashiers takes a DEVICE, then optionally the cashiers' names."_s, 2);
    QStringList names = positional.mid(3);
    const bool setGiven = m_parser.isSet(u"set"_s);
    const bool all = m_parser.isSet(u"all"_s);
    if (int(setGiven) + int(all) + int(!names.isEmpty()) > 1)
        return fail(u"device cashiers takes names, --set NAMES or --all: one of them."_s, 2);
    if (setGiven) {
        for (const QString &name : m_parser.value(u"set"_s).split(u','))
            if (!name.trimmed().isEmpty())
                names.append(name.trimmed());
        if (names.isEmpty())
            return fail(u"--set needs at least one cashier (a till nobody may use is revoked "
                        "instead: device revoke DEVICE)."_s,
                        2);
    }
    Result<std::unique_ptr<Services>> opened =
        Services::open(DatabaseOptions{databaseLocation()}, SyncSide::Server);
    if (!opened)
        return fail(opened.message());
    AuthStore auth((*opened)->database());
    const QString device = positional.at(2);
    const Result<AuthStore::DeviceCashiers> list = all ? auth.allowAllDeviceCashiers(device)
                                                   : names.isEmpty()
                                                       ? auth.deviceCashiers(device)
                                                       : auth.restrictDeviceCashiers(device, names);
    if (!list) {
        const Outcome outcome = list.outcome();
        return fail(list.message(), outcome == Outcome::InvalidInput ? 2
                                    : outcome == Outcome::Conflict   ? 3
                                    : outcome == Outcome::NotFound   ? 4
                                                                     : 1);
    }
    QTextStream out(stdout);
    for (const AuthStore::SyncedCashier &cashier : list->cashiers)
        out << cashier.id << '\t' << cashier.name << '\t' << cashier.role << Qt::endl;
    QTextStream(stderr) << list->device.name << ": "
                        << (list->restricted
                                ? u"only the %1 cashier(s) listed"_s.arg(list->cashiers.size())
                                : u"every active cashier (the default)"_s)
                        << (list->device.revokedAt.isValid() ? " (the device is revoked)" : "")
                        << Qt::endl;
    return 0;
}

int ServerApp::settings(const QString &command, const QStringList &positional)
{
    if (positional.size() != (command == u"settings set"_s ? 4 : 2))
        return fail(command == u"settings set"_s ? u"settings set takes NAME VALUE."_s
                                                 : u"settings show takes no argument."_s,
                    2);
    Result<std::unique_ptr<Services>> opened =
        Services::open(DatabaseOptions{databaseLocation()}, SyncSide::Server);
    if (!opened)
        return fail(opened.message());
    ShopSettings settings((*opened)->database());
    QTextStream out(stdout);
    if (command == u"settings set"_s) {
        const Result<QString> stored = settings.set(positional.at(2), positional.at(3));
        if (!stored)
            return fail(stored.message(), stored.outcome() == Outcome::InvalidInput ? 2 : 1);
        out << positional.at(2) << " is now " << *stored << Qt::endl;
        return 0;
    }
    const Result<int> minDigits = settings.minPinDigits();
    if (!minDigits)
        return fail(minDigits.message());
    out << "min-pin-digits\t" << *minDigits << Qt::endl;
    return 0;
}

// The exit status of a failed admin command: see the usage text.
int ServerApp::exitStatus(Outcome outcome)
{
    switch (outcome) {
    case Outcome::InvalidInput:
        return 2;
    case Outcome::Conflict:
        return 3;
    case Outcome::NotFound:
        return 4;
    default:
        return 1;
    }
}

std::optional<int> ServerApp::retentionDays(QString *problem) const
{
    if (!m_parser.isSet(u"days"_s))
        return ServerRetentionPolicy::defaultIdempotencyDays;
    bool ok = false;
    const qint64 days = m_parser.value(u"days"_s).toLongLong(&ok);
    *problem = ok ? ServerRetentionPolicy::checkDays(days) : ServerRetentionPolicy::checkDays(-1);
    if (!problem->isEmpty())
        return std::nullopt;
    return int(days);
}

int ServerApp::maintenance(const QString &command, const QStringList &positional)
{
    QTextStream out(stdout);
    const QString location = databaseLocation();
    const bool force = m_parser.isSet(u"force"_s);
    if (command == u"backup"_s) {
        const Result<DatabaseSummary> written =
            SqliteBackup::backup(location, positional.at(1), force);
        if (!written)
            return fail(written.message(), exitStatus(written.outcome()));
        out << "Wrote " << positional.at(1) << ": " << written->bytes << " bytes, schema version "
            << written->schemaVersion << ", " << written->orders << " orders, " << written->payments
            << " payments (integrity check: ok)" << Qt::endl;
        return 0;
    }
    if (command == u"restore"_s) {
        const Result<SqliteBackup::RestoreReport> restored =
            SqliteBackup::restore(location, positional.at(1), force);
        if (!restored)
            return fail(restored.message(), exitStatus(restored.outcome()));
        out << "Restored " << location << " from " << positional.at(1) << ": "
            << restored->restored.bytes << " bytes, schema version "
            << restored->restored.schemaVersion;
        if (restored->backupSchemaVersion != restored->restored.schemaVersion)
            out << " (migrated from " << restored->backupSchemaVersion << ")";
        out << ", " << restored->restored.orders << " orders, " << restored->restored.payments
            << " payments";
        if (!restored->previousKeptAs.isEmpty())
            out << "; the previous database is kept as " << restored->previousKeptAs;
        out << Qt::endl;
        return 0;
    }
    QString problem;
    const std::optional<int> days = retentionDays(&problem);
    if (!days)
        return fail(problem, 2);
    Result<std::unique_ptr<Services>> opened =
        Services::open(DatabaseOptions{location}, SyncSide::Server);
    if (!opened)
        return fail(opened.message());
    ServerRetentionPolicy policy;
    policy.idempotencyDays = *days;
    policy.maxChunks = 0; // on demand: all of it, still in short transactions
    const Result<ServerPruneReport> pruned = pruneServer((*opened)->database(), policy);
    if (!pruned)
        return fail(pruned.message(), exitStatus(pruned.outcome()));
    out << "Deleted " << pruned->idempotencyDeleted << " stored request results (older than "
        << *days << " days), " << pruned->tokensDeleted << " expired tokens, "
        << pruned->throttleDeleted << " spent login-throttle counters" << Qt::endl;
    return 0;
}

int ServerApp::product(const QString &command, const QStringList &positional)
{
    // Everything the user typed is checked before the database is opened: a bad call changes
    // nothing.
    std::optional<qint64> price;
    if (command == u"product add"_s) {
        const QString text = positional.at(4);
        const bool digitsOnly =
            !text.isEmpty() && text.size() <= 12 &&
            std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
        if (digitsOnly && text.toLongLong() <= Limits::maxPriceCents)
            price = text.toLongLong();
        if (!price)
            return fail(u"PRICE_CENTS must be a whole number of cents from 0 to %1."_s.arg(
                            Limits::maxPriceCents),
                        2);
    } else if (m_parser.isSet(u"category"_s) || m_parser.isSet(u"tax"_s)) {
        return fail(u"--category and --tax go with product add only."_s, 2);
    }
    QByteArray csv;
    if (command == u"product import"_s) {
        QFile file(positional.at(2));
        if (!file.open(QIODevice::ReadOnly))
            return fail(u"Cannot read %1: %2"_s.arg(positional.at(2), file.errorString()), 4);
        if (file.size() > CatalogService::maxImportBytes)
            return fail(u"%1 is larger than 10 MiB."_s.arg(positional.at(2)), 2);
        csv = file.read(CatalogService::maxImportBytes + 1);
    }
    Result<std::unique_ptr<Services>> opened =
        Services::open(DatabaseOptions{databaseLocation()}, SyncSide::Server);
    if (!opened)
        return fail(opened.message());
    CatalogService &catalog = (*opened)->catalog();
    QTextStream out(stdout);
    auto status = [](Outcome outcome) {
        return outcome == Outcome::InvalidInput ? 2 : outcome == Outcome::Conflict ? 3 : 1;
    };
    if (command == u"product add"_s) {
        const Result<Product> added = catalog.add(
            Product{positional.at(2), positional.at(3), *price, m_parser.value(u"category"_s),
                    m_parser.value(u"tax"_s).trimmed().toUpper()});
        if (!added)
            return fail(added.message(), status(added.outcome()));
        out << "Added " << added->sku << ' ' << added->name << " at " << added->priceCents
            << " cents" << Qt::endl;
        return 0;
    }
    if (command == u"product import"_s) {
        const Result<ImportSummary> imported = catalog.importCsv(csv);
        if (!imported)
            return fail(imported.message(), status(imported.outcome()));
        out << "Imported: " << imported->added << " added, " << imported->updated << " updated"
            << Qt::endl;
        return 0;
    }
    const Result<QList<Product>> products = catalog.list();
    if (!products)
        return fail(products.message());
    for (const Product &product : *products)
        out << product.sku << '\t' << product.name << '\t' << product.priceCents << '\t'
            << product.category << Qt::endl;
    return 0;
}

int ServerApp::serve()
{
    installServerMessageHandler();
    SafeTillServer::Options options;
    if (!parseListen(m_parser.value(u"listen"_s), &options.address, &options.port))
        return fail(u"--listen takes HOST:PORT, e.g. 127.0.0.1:8080."_s, 2);
    options.api.database.location = databaseLocation();
    bool ok = true;
    options.limits.idleTimeoutMs = m_parser.value(u"idle-timeout-ms"_s).toInt(&ok);
    if (!ok || options.limits.idleTimeoutMs < 100 || options.limits.idleTimeoutMs > 3'600'000)
        return fail(u"--idle-timeout-ms is from 100 to 3600000."_s, 2);
    if (m_parser.isSet(u"workers"_s)) {
        options.workerThreads = m_parser.value(u"workers"_s).toInt(&ok);
        if (!ok || options.workerThreads < 1 || options.workerThreads > 256)
            return fail(u"--workers is from 1 to 256."_s, 2);
    }
    if (m_parser.isSet(u"test-max-db-pages"_s)) {
        options.api.database.maxPageCount = m_parser.value(u"test-max-db-pages"_s).toInt(&ok);
        if (!ok || options.api.database.maxPageCount < 1)
            return fail(u"--test-max-db-pages takes a positive number of pages."_s, 2);
    }
    options.groupCommit = !m_parser.isSet(u"no-group-commit"_s);
    const qint64 pruneSeconds = m_parser.value(u"prune-interval"_s).toLongLong(&ok);
    if (!ok || pruneSeconds < 0 || pruneSeconds > 7 * 24 * 3600)
        return fail(u"--prune-interval is from 0 (never) to 604800 seconds."_s, 2);
    options.pruneIntervalMs = int(pruneSeconds * 1000);
    QString daysProblem;
    const std::optional<int> days = retentionDays(&daysProblem);
    if (!days)
        return fail(daysProblem, 2);
    options.retention.idempotencyDays = *days;
    if (m_parser.isSet(u"writer-lanes"_s)) {
        options.writerLanes = m_parser.value(u"writer-lanes"_s).toInt(&ok);
        if (!ok || options.writerLanes < 1 || options.writerLanes > 16)
            return fail(u"--writer-lanes is from 1 to 16."_s, 2);
    }
    options.batchWaitUs = m_parser.value(u"batch-wait-us"_s).toInt(&ok);
    if (!ok || options.batchWaitUs < 0 || options.batchWaitUs > 100'000)
        return fail(u"--batch-wait-us is from 0 (never wait) to 100000."_s, 2);
    QString proxyError;
    const std::optional<TrustedProxies> proxies =
        TrustedProxies::parse(m_parser.values(u"trusted-proxy"_s), &proxyError);
    if (!proxies)
        return fail(proxyError, 2);
    options.limits.trustedProxies = *proxies;
    options.limits.maxConnectionsPerAddress =
        m_parser.value(u"max-connections-per-address"_s).toInt(&ok);
    if (!ok || options.limits.maxConnectionsPerAddress < 0 ||
        options.limits.maxConnectionsPerAddress > 1'000'000)
        return fail(u"--max-connections-per-address is from 0 (no limit) to 1000000."_s, 2);
    options.maxQueuedWrites = m_parser.value(u"max-queued-writes"_s).toInt(&ok);
    if (!ok || options.maxQueuedWrites < 1 || options.maxQueuedWrites > 1'000'000)
        return fail(u"--max-queued-writes is from 1 to 1000000."_s, 2);
    options.tlsCertificateFile = m_parser.value(u"tls-cert"_s);
    options.tlsKeyFile = m_parser.value(u"tls-key"_s);
    if (options.tlsCertificateFile.isEmpty() != options.tlsKeyFile.isEmpty())
        return fail(u"--tls-cert and --tls-key go together."_s, 2);
    if (!options.tlsKeyFile.isEmpty()) {
        // A private key every local user can read is as good as published (checked again on
        // every reload).
        if (const QString problem = worldReadableKeyProblem(options.tlsKeyFile); !problem.isEmpty())
            return fail(problem, 2);
    }
    if (m_parser.isSet(u"metrics-listen"_s)) {
        options.separateMetrics = true;
        if (!parseListen(m_parser.value(u"metrics-listen"_s), &options.metricsAddress,
                         &options.metricsPort))
            return fail(u"--metrics-listen takes HOST:PORT, e.g. 127.0.0.1:9180."_s, 2);
    }
    options.api.throttle.lockSeconds = m_parser.value(u"login-lock-seconds"_s).toInt(&ok);
    if (!ok || options.api.throttle.lockSeconds < 1 ||
        options.api.throttle.lockSeconds > options.api.throttle.maxLockSeconds)
        return fail(
            u"--login-lock-seconds is from 1 to %1."_s.arg(options.api.throttle.maxLockSeconds), 2);
    if (const QString location = options.api.database.location;
        !location.startsWith(u"postgres"_s)) {
        struct stat database = {};
        if (::stat(QFile::encodeName(location).constData(), &database) == 0 &&
            (database.st_mode & S_IROTH) != 0) {
            qCWarning(lcServer).noquote()
                << "the database" << location
                << "is readable by every user; it holds PIN and token hashes (chmod 600 it)";
        }
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return fail(u"cannot set up signal handling."_s);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGHUP, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    SafeTillServer server(options);
    QString error;
    if (!server.start(&error))
        return fail(error);
    QSocketNotifier notifier(signalPipe[1], QSocketNotifier::Read);
    const QString listening = u"Listening on %1://%2:%3"_s.arg(
        server.isTls() ? u"https"_s : u"http"_s, options.address.toString(),
        QString::number(server.port()));
    QObject::connect(&notifier, &QSocketNotifier::activated, &server,
                     [&server, &notifier, &listening] {
                         char byte = 0;
                         if (::read(signalPipe[1], &byte, 1) != 1)
                             return;
                         if (byte == SIGHUP) {
                             reloadOnHangUp(server, listening);
                             return;
                         }
                         notifier.setEnabled(false);
                         ServiceNotifier::stopping(u"Stopping: finishing the requests in flight"_s);
                         server.shutdown();
                     });
    QObject::connect(&server, &SafeTillServer::stopped, QCoreApplication::instance(),
                     &QCoreApplication::quit);
    // One line on stdout that scripts and tests wait for (the port matters with --listen ...:0).
    QTextStream(stdout) << listening << Qt::endl;
    // Listening, the database open and migrated: systemd may start what depends on the server.
    ServiceNotifier::ready(listening);
    return QCoreApplication::exec();
}

} // namespace SafeTill
