#include "ServerApp.h"

#include "AuthStore.h"
#include "CashierService.h"
#include "CatalogService.h"
#include "Database.h"
#include "SafeTillServer.h"
#include "ServerLogging.h"
#include "Services.h"
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
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

const QString usageText = uR"(Serves the SafeTill order-sessions API and the terminal sync API
(docs/sync-protocol.md), or manages its users, devices and catalog.

Admin commands (on the same database, then exit):
  user add NAME --pin PIN [--role cashier|manager]
  user list
  device add NAME        prints the device's token once, alone on stdout
  product add SKU NAME PRICE_CENTS [--category C]
                         adds a product (a known SKU is refused: import updates)
  product import FILE    CSV with the header sku,name,price_cents[,category]: new SKUs
                         are added, known ones updated; a file with any bad row is
                         refused whole, every problem listed by line
  product list
  verify [--json]        checks the database's money and history promises (the same
                         checks as safetill-cli verify): exit 0 clean, 3 findings listed
The server's users are the cashiers and its products the catalog that synced terminals
pull. Exit status: 0 ok, 2 usage or invalid input, 3 conflict, 4 file not found, 1 other.)"_s;

// SIGTERM/SIGINT: the handler only writes a byte to a socket pair (async-signal-safe); a
// QSocketNotifier on the other end starts the graceful shutdown on the event loop.
int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[0], &byte, 1);
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

} // namespace

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
        {u"idle-timeout-ms"_s,
         u"Close a connection that is silent, or sends a request slowly, this long (10000)."_s,
         u"ms"_s, u"10000"_s},
        {u"pin"_s, u"With user add: the user's PIN (4 to 12 digits)."_s, u"pin"_s},
        {u"role"_s, u"With user add: cashier (default) or manager."_s, u"role"_s},
        {u"category"_s, u"With product add: the product's category."_s, u"category"_s},
        {u"json"_s, u"With verify: print the report as one JSON object."_s},
    });
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
    if (!m_parser.parse(arguments))
        return fail(m_parser.errorText(), 2);
    if (m_parser.isSet(u"help"_s))
        m_parser.showHelp(0);
    if (m_parser.isSet(u"version"_s))
        m_parser.showVersion();
    const QStringList positional = m_parser.positionalArguments();
    if (!positional.isEmpty())
        return admin(positional);
    return serve();
}

int ServerApp::admin(const QStringList &positional)
{
    const QString command = positional.mid(0, 2).join(u' ');
    static const QHash<QString, qsizetype> wordCounts{
        {u"user add"_s, 3},    {u"user list"_s, 2},      {u"device add"_s, 3},
        {u"product add"_s, 5}, {u"product import"_s, 3}, {u"product list"_s, 2},
        {u"verify"_s, 1}};
    if (!wordCounts.contains(command))
        return fail(u"unknown command \u201c%1\u201d; see --help."_s.arg(positional.join(u' ')), 2);
    const qsizetype wanted = wordCounts.value(command);
    if (positional.size() != wanted)
        return fail(u"%1 takes %2 argument(s)."_s.arg(command).arg(wanted - 2), 2);
    if (command.startsWith(u"product "_s))
        return product(command, positional);
    // The server's services: where sync ends, so its actions write no outbox rows.
    Result<std::unique_ptr<Services>> opened =
        Services::open(DatabaseOptions{databaseLocation()}, SyncSide::Server);
    if (!opened)
        return fail(opened.message());
    Services &services = **opened;
    QTextStream out(stdout);
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
    if (command == u"user add"_s) {
        if (!m_parser.isSet(u"pin"_s))
            return fail(u"user add needs --pin PIN."_s, 2);
        const std::optional<Role> role =
            roleFromString(m_parser.isSet(u"role"_s) ? m_parser.value(u"role"_s) : u"cashier"_s);
        if (!role)
            return fail(u"--role is cashier or manager."_s, 2);
        const Result<Cashier> added =
            services.cashiers().add(positional.at(2), m_parser.value(u"pin"_s), *role);
        if (!added)
            return fail(added.message(), added.outcome() == Outcome::InvalidInput ? 2 : 3);
        out << "Added user " << added->name << " (" << toString(added->role) << ", id " << added->id
            << ")" << Qt::endl;
        return 0;
    }
    if (command == u"user list"_s) {
        const Result<QList<Cashier>> users = services.cashiers().list();
        if (!users)
            return fail(users.message());
        for (const Cashier &user : *users)
            out << user.id << '\t' << user.name << '\t' << toString(user.role) << Qt::endl;
        return 0;
    }
    const Result<QString> token = AuthStore(services.database()).addDevice(positional.at(2));
    if (!token)
        return fail(token.message(), token.outcome() == Outcome::InvalidInput ? 2 : 3);
    out << *token << Qt::endl; // alone on stdout: it is shown this once only
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
    } else if (m_parser.isSet(u"category"_s)) {
        return fail(u"--category goes with product add only."_s, 2);
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
            Product{positional.at(2), positional.at(3), *price, m_parser.value(u"category"_s)});
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
    options.groupCommit = !m_parser.isSet(u"no-group-commit"_s);
    if (m_parser.isSet(u"writer-lanes"_s)) {
        options.writerLanes = m_parser.value(u"writer-lanes"_s).toInt(&ok);
        if (!ok || options.writerLanes < 1 || options.writerLanes > 16)
            return fail(u"--writer-lanes is from 1 to 16."_s, 2);
    }
    options.tlsCertificateFile = m_parser.value(u"tls-cert"_s);
    options.tlsKeyFile = m_parser.value(u"tls-key"_s);
    if (options.tlsCertificateFile.isEmpty() != options.tlsKeyFile.isEmpty())
        return fail(u"--tls-cert and --tls-key go together."_s, 2);

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return fail(u"cannot set up signal handling."_s);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    SafeTillServer server(options);
    QString error;
    if (!server.start(&error))
        return fail(error);
    QSocketNotifier notifier(signalPipe[1], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &server, [&server, &notifier] {
        char byte = 0;
        [[maybe_unused]] const ssize_t got = ::read(signalPipe[1], &byte, 1);
        notifier.setEnabled(false);
        server.shutdown();
    });
    QObject::connect(&server, &SafeTillServer::stopped, QCoreApplication::instance(),
                     &QCoreApplication::quit);
    // One line on stdout that scripts and tests wait for (the port matters with --listen ...:0).
    QTextStream(stdout) << "Listening on " << (server.isTls() ? "https" : "http") << "://"
                        << options.address.toString() << ':' << server.port() << Qt::endl;
    return QCoreApplication::exec();
}

} // namespace SafeTill
