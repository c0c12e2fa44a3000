#include "CliApp.h"

#include "CashierService.h"
#include "CatalogService.h"
#include "Database.h"
#include "DemoData.h"
#include "ItemsJson.h"
#include "Json.h"
#include "OrderService.h"
#include "PinHasher.h"
#include "ReceiptDocument.h"
#include "ReceiptSearch.h"
#include "Retention.h"
#include "ReviewStore.h"
#include "Services.h"
#include "ShopSettings.h"
#include "SyncConfig.h"
#include "SyncEngine.h"
#include "SyncStore.h"
#include "TabService.h"
#include "Validation.h"
#include "Verifier.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTextStream>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace SafeTill {

namespace {

const QString commandList = uR"(Commands:
  init [--demo]                              create the database (with demo cashiers and catalog)
  cashier add NAME --pin PIN [--role R]      add a cashier (role cashier or manager)
  cashier list
  shop show                                  the shop's settings: name, address, tax number,
                                             footer, currency, prices-include-tax, cash-rounding,
                                             default-tax, min-pin-digits
  shop set NAME VALUE                        change one (an empty VALUE unsets it), e.g.
                                             shop set currency JPY; shop set prices-include-tax no
  settings show|set                          the same as shop show|set
  tax add CODE NAME RATE                     a tax rate, RATE in basis points (2000 = 20 %)
  tax set CODE NAME RATE                     change a rate (lines already rung up keep theirs)
  tax list
  product add SKU NAME PRICE_CENTS [--category C] [--tax CODE]
  product import FILE                        CSV with header sku,name,price_cents[,category][,tax]
  product list
  open CASHIER                               open or resume the cashier's order
  show CASHIER                               the cashier's open order
  add CASHIER SKU [--qty N] [--price CENTS]  add a product (opens an order if there is none);
                                             --price: the price of one sold at an open price
  set-qty CASHIER LINE QTY
  remove CASHIER LINE
  set-items CASHIER JSON --expect-version V  replace all lines, e.g. '[{"sku":"COF-ESP","qty":2}]'
  logout CASHIER                             park the open order until the cashier returns
  complete CASHIER --method cash|card|other --tendered CENTS [--label L] [--expect-version V]
                                             pay the whole balance due (one tender, or the last)
  pay CASHIER --method cash|card|other --amount CENTS [--tendered CENTS] [--label L]
                                             one tender of a split tender; the one that brings
                                             the balance to 0 completes the order
  discount CASHIER (--line LINE | --order) (--percent P | --amount CENTS) --reason R
           [--approver M]                    a line or order discount (0 removes it); taxes
                                             are computed after discounts; above the shop's
                                             cashier-discount-limit a manager must approve
  price CASHIER LINE PRICE_CENTS --reason R [--approver M]
                                             override a line's unit price (the old one is
                                             kept); a manager, or a manager's approval
  (--approver M: the manager's PIN is read from standard input; exit 3 when refused)
  assign-tab CASHIER TAB [--expect-version V]
  tabs                                       open tabs with their totals
  settle-tab TAB --method cash|card|other --tendered CENTS [--amount CENTS] [--label L]
             [--expect-version V]            with --amount: one tender of a split tender
  history ORDER_ID                           who did what to an order, when
  receipts [--number TEXT] [--amount CENTS] [--date YYYY-MM-DD] [--limit N]
                                             past sales, newest first (number: exact, its start
                                             or the digits after the prefix; date: a local day;
                                             at most N, default 200)
  receipt RECEIPT_NO [--copy-by CASHIER] [--pdf FILE]
                                             the receipt of a past sale (--json: the order or
                                             tab; --pdf: as a PDF file); --copy-by prints it
                                             as a COPY and records the reprint in the order's
                                             history
  refundable RECEIPT_NO                      what is left to refund of a sale, line by line
  refund RECEIPT_NO --cashier NAME [--line LINE:QTY]... --method cash|card|other|original
         [--label L] [--reason R] [--approver NAME]
                                             pay back chosen lines (LINE: its id, or its number
                                             on a one-order receipt; no --line: everything not
                                             refunded yet); a cashier needs a manager's approval
                                             (--approver, the PIN read from standard input)
  void RECEIPT_NO --cashier NAME [--approver NAME] --reason R [--method M]
                                             take back a whole sale of this till's current
                                             shift (a manager, or a cashier with approval)
  review list [--all]                        what sync could not settle alone (open items;
                                             --all: resolved ones too)
  review show ID
  review resolve ID RESOLUTION --by NAME [--note TEXT]
                                             close an item: collected, refunded, written_off,
                                             kept or acknowledged (as the item allows)
  verify                                     check the database's money and history promises
                                             (0 clean, 3 findings listed)
  sync --once [--server URL --token-file FILE] [--trust-cert FILE]
                                             pull cashiers and catalog, push every pending op
                                             (URL and files default to the app's settings)
  sync --status                              pending and failed sync ops, last success
  shift open CASHIER --float CENTS           open the till's shift with the cash counted in
  shift pay-in|pay-out CASHIER CENTS --reason R
                                             cash into or out of the drawer, with the reason
  shift close CASHIER --counted CENTS [--counted-card CENTS] [--pdf FILE]
                                             close the shift by the cash counted: prints its
                                             Z report (numbered per till, stored as printed)
  shift x-report [--pdf FILE]                the open shift so far (changes nothing)
  shift z-report [NUMBER] [--pdf FILE]       reprint a Z report (the last by default)
  no-sale CASHIER [--approver NAME]          open the drawer without a sale (a manager, or
                                             a cashier with a manager's approval: the PIN is
                                             read from standard input)
  prune [--older-than-days N]                delete sent sync ops and stored request results
                                             older than N days (default: the app's setting
                                             retention/days, else 30; at least 1)

Exit status: 0 ok, 2 usage or invalid input, 3 conflict, invalid state or refused by the rules
(more than sold, no approval), 4 not found, 5 busy, 1 anything else. sync --once: 0 only when the outbox is empty, 1 server unreachable, 2 bad
configuration, 3 ops failed or in conflict (kept; see sync --status).)"_s;

} // namespace

CliApp::~CliApp() = default;

CliApp::CliApp()
{
    m_parser.setApplicationDescription(
        u"SafeTill point-of-sale: orders that are never lost, duplicated or paid twice.\n\n"_s +
        commandList);
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOptions({
        {u"db"_s, u"The database file (default: the app's data location)."_s, u"path"_s},
        {u"json"_s, u"Print the result as one JSON object."_s},
        {u"request-id"_s, u"The id of this request; repeating it changes nothing."_s, u"id"_s},
        {u"demo"_s, u"With init: add demo cashiers and a demo catalog."_s},
        {u"pin"_s, u"A cashier's PIN (4 to 12 digits)."_s, u"pin"_s},
        {u"role"_s, u"A cashier's role: cashier or manager."_s, u"role"_s},
        {u"category"_s, u"A product's category."_s, u"category"_s},
        {u"tax"_s, u"A product's tax code (see tax list)."_s, u"code"_s},
        {u"qty"_s, u"How many to add (default 1)."_s, u"n"_s},
        {u"price"_s, u"order add: the price entered for a product sold at an open price."_s,
         u"cents"_s},
        {u"expect-version"_s, u"Act only if the order or tab is still at this version."_s,
         u"version"_s},
        {u"method"_s, u"Payment method: cash, card or other (with --label)."_s, u"method"_s},
        {u"label"_s, u"pay: what an \u201cother\u201d payment is (e.g. Voucher)."_s, u"text"_s},
        {u"line"_s, u"discount: the line (its number or id)."_s, u"line"_s},
        {u"order"_s, u"discount: the whole order."_s},
        {u"percent"_s, u"discount: a percentage (10, 12.5; 0 removes the discount)."_s, u"p"_s},
        {u"reason"_s, u"discount, price, shift pay-in|pay-out: why (required)."_s, u"text"_s},
        {u"tendered"_s, u"Amount tendered, in cents."_s, u"cents"_s},
        {u"server"_s, u"sync: the central server, http(s)://HOST:PORT."_s, u"url"_s},
        {u"token-file"_s, u"sync: file holding the device token (mode 0600)."_s, u"file"_s},
        {u"trust-cert"_s, u"sync: trust this server certificate (PEM) despite TLS errors."_s,
         u"file"_s},
        {u"once"_s, u"sync: pull and push once, then exit."_s},
        {u"status"_s, u"sync: print pending and failed counts."_s},
        {u"all"_s, u"review list: resolved items too."_s},
        {u"by"_s, u"review resolve: who resolves the item."_s, u"name"_s},
        {u"note"_s, u"review resolve: a note on how it was resolved."_s, u"text"_s},
        {u"number"_s, u"receipts: a receipt number, its start or its sequence digits."_s,
         u"text"_s},
        {u"amount"_s,
         u"In cents: receipts: the exact amount paid; pay, settle-tab: the part of the balance "
         "paid; discount: an amount off (0 removes the discount)."_s,
         u"cents"_s},
        {u"date"_s, u"receipts: a day (YYYY-MM-DD) in this computer's time zone."_s, u"date"_s},
        {u"limit"_s, u"receipts: at most this many (1 to 1000, default 200)."_s, u"n"_s},
        {u"copy-by"_s, u"receipt: reprint it as a COPY by this cashier (recorded)."_s,
         u"cashier"_s},
        {u"pdf"_s,
         u"receipt, shift close|x-report|z-report: write it as a PDF to this file (a receipt "
         "is a COPY with --copy-by)."_s,
         u"file"_s},
        {u"approver"_s,
         u"A manager who approves this action on the spot; their PIN is read from standard "
         "input (one line), never from an argument."_s,
         u"name"_s},
        {u"cashier"_s, u"refund, void: the cashier who pays the money back."_s, u"name"_s},
        {u"float"_s, u"shift open: the cash counted into the drawer, in cents."_s, u"cents"_s},
        {u"counted"_s, u"shift close: the cash counted in the drawer, in cents."_s, u"cents"_s},
        {u"counted-card"_s, u"shift close: the card slips counted, in cents (optional)."_s,
         u"cents"_s},
        {u"language"_s,
         u"Messages in this language: en, de or fr (default: English, which scripts read)."_s,
         u"language"_s},
        {u"older-than-days"_s,
         u"prune, sync: the retention period in days (default: the app's setting, else 30)."_s,
         u"days"_s},
    });
}

int CliApp::run(const QStringList &arguments)
{
    const bool parsed = m_parser.parse(arguments);
    // Known options are recorded even when parsing fails, so --json also shapes a usage error.
    m_output.setJson(m_parser.isSet(u"json"_s));
    if (!parsed)
        return m_output.usage(m_parser.errorText());
    if (m_parser.isSet(u"help"_s))
        m_parser.showHelp(ExitOk);
    if (m_parser.isSet(u"version"_s))
        m_parser.showVersion();
    const QStringList positional = m_parser.positionalArguments();
    if (positional.isEmpty())
        return m_output.usage(u"No command given."_s);
    if (m_parser.isSet(u"request-id"_s)) {
        if (const QString problem = checkRequestId(m_parser.value(u"request-id"_s));
            !problem.isEmpty())
            return m_output.usage(problem);
    }
    return dispatch(positional.front(), positional.mid(1));
}

int CliApp::dispatch(const QString &command, const QStringList &args)
{
    if (command == u"init"_s)
        return init(args);
    if (command == u"cashier"_s)
        return cashier(args);
    if (command == u"product"_s)
        return product(args);
    if (command == u"settings"_s || command == u"shop"_s)
        return settings(command, args);
    if (command == u"tax"_s)
        return tax(args);
    if (command == u"tabs"_s)
        return tabs(args);
    if (command == u"settle-tab"_s)
        return settleTab(args);
    if (command == u"history"_s)
        return history(args);
    if (command == u"review"_s)
        return review(args);
    if (command == u"receipts"_s)
        return receipts(args);
    if (command == u"refund"_s || command == u"void"_s)
        return refund(command, args);
    if (command == u"refundable"_s)
        return refundable(args);
    if (command == u"receipt"_s)
        return receipt(args);
    if (command == u"sync"_s)
        return sync(args);
    if (command == u"verify"_s)
        return verify(args);
    if (command == u"prune"_s)
        return prune(args);
    if (command == u"shift"_s)
        return shift(args);
    if (command == u"no-sale"_s)
        return noSale(args);
    static const QStringList orderCommands{
        u"open"_s,   u"show"_s,     u"add"_s,        u"set-qty"_s,  u"remove"_s, u"set-items"_s,
        u"logout"_s, u"complete"_s, u"assign-tab"_s, u"discount"_s, u"pay"_s,    u"price"_s};
    if (orderCommands.contains(command))
        return orderCommand(command, args);
    return m_output.usage(u"Unknown command \u201c%1\u201d."_s.arg(command));
}

std::optional<int> CliApp::openDatabase(bool create)
{
    QString path = m_parser.value(u"db"_s);
    if (path.isEmpty()) {
        path = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
               u"/safetill.sqlite"_s;
    }
    if (!create && !path.startsWith(u"postgres"_s) && !QFileInfo::exists(path)) {
        return m_output.failWith(
            Outcome::NotFound,
            u"There is no database at %1. Create it with: safetill-cli --db %1 init --demo"_s.arg(
                path));
    }
    Result<std::unique_ptr<Services>> opened = Services::open(DatabaseOptions{path});
    if (!opened)
        return m_output.failWith(Outcome::Error, opened.message());
    m_services = opened.take();
    // Amounts print in the shop's currency's minor units. A database not yet migrated to the
    // shop settings answers with an error here; the defaults then apply.
    if (const Result<ShopProfile> shop = ShopSettings(m_services->database()).profile())
        CliOutput::setCurrency(shop->currency);
    return std::nullopt;
}

std::optional<int> CliApp::checkArgumentCount(const QString &command, const QStringList &args,
                                              qsizetype count)
{
    if (args.size() == count)
        return std::nullopt;
    return m_output.usage(
        u"%1 takes %2 argument(s), %3 given."_s.arg(command).arg(count).arg(args.size()));
}

std::optional<int> CliApp::checkOptions(const QString &command, const QStringList &allowed)
{
    static const QStringList global{u"db"_s, u"json"_s, u"help"_s, u"version"_s, u"language"_s};
    for (const QString &name : m_parser.optionNames()) {
        if (!global.contains(name) && !allowed.contains(name))
            return m_output.usage(u"--%1 does not apply to %2."_s.arg(name, command));
    }
    return std::nullopt;
}

QString CliApp::requestId() const
{
    const QString given = m_parser.value(u"request-id"_s);
    return given.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : given;
}

std::optional<QString> CliApp::cashierId(const QString &nameOrId, int *status)
{
    const Result<Cashier> found = m_services->cashiers().find(nameOrId);
    if (!found) {
        *status = m_output.fail(found);
        return std::nullopt;
    }
    return found->id;
}

std::optional<Approver> CliApp::approver(int *status)
{
    *status = ExitOk;
    if (!m_parser.isSet(u"approver"_s))
        return std::nullopt;
    // The PIN never appears in an argument (the process list and shell history would show it).
    QTextStream in(stdin);
    const QString pin = in.readLine().trimmed();
    if (pin.isEmpty()) {
        *status =
            m_output.usage(u"--approver needs the approver's PIN on standard input (one line)."_s);
        return std::nullopt;
    }
    return Approver{m_parser.value(u"approver"_s), pin};
}

template<typename T> int CliApp::report(const Result<T> &result)
{
    if (!result)
        return m_output.fail(result);
    if (result.replayed())
        m_output.noteReplay();
    if constexpr (std::is_same_v<T, Order>)
        m_output.printOrder(*result);
    else
        m_output.printTab(*result);
    return ExitOk;
}

int CliApp::init(const QStringList &args)
{
    if (auto status = checkOptions(u"init"_s, {u"demo"_s}))
        return *status;
    if (auto status = checkArgumentCount(u"init"_s, args, 0))
        return *status;
    if (auto status = openDatabase(true))
        return *status;
    QJsonObject json{{u"database"_s, m_services->database().options().location}};
    QString text = u"Database ready: %1"_s.arg(m_services->database().options().location);
    if (m_parser.isSet(u"demo"_s)) {
        if (auto status = refuseIfSynced())
            return *status;
        const Result<DemoInstall> demo = installDemoData(m_services->database());
        if (!demo)
            return m_output.fail(demo);
        json.insert(u"cashiers_added"_s, demo->cashiersAdded);
        json.insert(u"products_added"_s, demo->productsAdded);
        text +=
            u"\nDemo data: %1 cashiers and %2 products added. Demo PINs:"_s.arg(demo->cashiersAdded)
                .arg(demo->productsAdded);
        for (const DemoCashier &cashier : demoCashiers) {
            text +=
                u" %1 %2;"_s.arg(QString::fromUtf16(cashier.name), QString::fromUtf16(cashier.pin));
        }
        text.chop(1);
    }
    m_output.printMessage(text, json);
    return ExitOk;
}

int CliApp::cashier(const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == u"add"_s) {
        if (auto status = checkOptions(u"cashier add"_s, {u"pin"_s, u"role"_s}))
            return *status;
        if (auto status = checkArgumentCount(u"cashier add"_s, args.mid(1), 1))
            return *status;
        if (!m_parser.isSet(u"pin"_s))
            return m_output.usage(u"cashier add needs --pin PIN."_s);
        const std::optional<Role> role =
            roleFromString(m_parser.isSet(u"role"_s) ? m_parser.value(u"role"_s) : u"cashier"_s);
        if (!role)
            return m_output.usage(u"--role is cashier or manager."_s);
        if (auto status = openDatabase(false))
            return *status;
        if (auto status = refuseIfSynced())
            return *status;
        const Result<Cashier> added =
            m_services->cashiers().add(args.at(1), m_parser.value(u"pin"_s), *role);
        if (!added)
            return m_output.fail(added);
        m_output.printMessage(
            u"Added %1 (%2), id %3"_s.arg(added->name, toString(added->role), added->id),
            toJson(*added));
        return ExitOk;
    }
    if (sub == u"list"_s) {
        if (auto status = checkOptions(u"cashier list"_s, {}))
            return *status;
        if (auto status = checkArgumentCount(u"cashier list"_s, args.mid(1), 0))
            return *status;
        if (auto status = openDatabase(false))
            return *status;
        const Result<QList<Cashier>> cashiers = m_services->cashiers().list();
        if (!cashiers)
            return m_output.fail(cashiers);
        m_output.printCashiers(*cashiers);
        return ExitOk;
    }
    return m_output.usage(u"cashier takes add or list."_s);
}

// The same settings as safetill-server's, in this till's own database: a till that does not sync
// keeps its own min-pin-digits for cashier add (a syncing till takes its cashiers from the server).
int CliApp::settings(const QString &name, const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub != u"show"_s && sub != u"set"_s)
        return m_output.usage(u"%1 takes show or set NAME VALUE."_s.arg(name));
    const QString command = name + u' ' + sub;
    if (auto status = checkOptions(command, {}))
        return *status;
    if (auto status = checkArgumentCount(command, args.mid(1), sub == u"set"_s ? 2 : 0))
        return *status;
    if (auto status = openDatabase(false))
        return *status;
    ShopSettings settings(m_services->database());
    if (sub == u"set"_s) {
        const Result<QString> stored = settings.set(args.at(1), args.at(2));
        if (!stored)
            return m_output.fail(stored);
        m_output.printMessage(stored->isEmpty() ? u"%1 is now unset"_s.arg(args.at(1))
                                                : u"%1 is now %2"_s.arg(args.at(1), *stored),
                              QJsonObject{{args.at(1), settingJson(args.at(1), *stored)}});
        return ExitOk;
    }
    const auto values = settings.values();
    if (!values)
        return m_output.fail(values);
    const Result<ShopProfile> profile = settings.profile();
    if (!profile)
        return m_output.fail(profile);
    QString text;
    QJsonObject json;
    for (const auto &[setting, value] : *values) {
        // What applies when a setting is unset, so the listing says what the till does.
        QString shown = value;
        if (setting == u"currency"_s)
            shown = profile->currency.code;
        else if (setting == u"prices-include-tax"_s)
            shown = profile->pricesIncludeTax ? u"yes"_s : u"no"_s;
        else if (setting == u"min-pin-digits"_s)
            shown = QString::number(profile->minPinDigits);
        else if (setting == u"cash-rounding"_s)
            shown = QString::number(profile->cashRoundingStep);
        text += u"%1\t%2\n"_s.arg(setting, shown);
        json.insert(setting, settingJson(setting, shown));
    }
    json.insert(u"minor-units"_s, profile->currency.minorUnits);
    text += u"minor-units\t%1 (from the currency)"_s.arg(profile->currency.minorUnits);
    m_output.printMessage(text, json);
    return ExitOk;
}

QJsonValue CliApp::settingJson(const QString &name, const QString &value)
{
    if (name == u"min-pin-digits"_s || name == u"cash-rounding"_s)
        return value.toInt();
    if (name == u"prices-include-tax"_s)
        return value != u"no"_s;
    return value;
}

int CliApp::tax(const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub != u"add"_s && sub != u"set"_s && sub != u"list"_s)
        return m_output.usage(u"tax takes add CODE NAME RATE, set CODE NAME RATE or list."_s);
    const QString command = u"tax "_s + sub;
    if (auto status = checkOptions(command, {}))
        return *status;
    if (auto status = checkArgumentCount(command, args.mid(1), sub == u"list"_s ? 0 : 3))
        return *status;
    std::optional<qint64> rate;
    if (sub != u"list"_s) {
        rate = parseWhole(args.at(3), 0, 10000);
        if (!rate)
            return m_output.usage(
                u"RATE is a whole number of basis points from 0 to 10000 "
                "(2000 = 20 %, 550 = 5.5 %), not \u201c%1\u201d."_s.arg(args.at(3).left(20)));
    }
    if (auto status = openDatabase(false))
        return *status;
    const auto rateJson = [](const TaxRate &taxRate) {
        return QJsonObject{
            {u"code"_s, taxRate.code}, {u"name"_s, taxRate.name}, {u"rateBp"_s, taxRate.rateBp}};
    };
    if (sub == u"list"_s) {
        const Result<QList<TaxRate>> rates = m_services->catalog().taxRates();
        if (!rates)
            return m_output.fail(rates);
        QString text;
        QJsonArray array;
        for (const TaxRate &taxRate : *rates) {
            text += u"%1\t%2\t%3\n"_s.arg(taxRate.code, formatRate(taxRate.rateBp), taxRate.name);
            array.append(rateJson(taxRate));
        }
        if (rates->isEmpty())
            text = u"No tax rates; add one with: tax add STD \"Standard rate\" 2000"_s;
        m_output.printMessage(text.trimmed(), QJsonObject{{u"taxes"_s, array}});
        return ExitOk;
    }
    if (auto status = refuseIfSynced())
        return *status;
    const Result<TaxRate> stored =
        m_services->catalog().addTaxRate({args.at(1), args.at(2), int(*rate)}, sub == u"set"_s);
    if (!stored)
        return m_output.fail(stored);
    m_output.printMessage(
        u"Tax %1 (%2): %3"_s.arg(stored->code, stored->name, formatRate(stored->rateBp)),
        rateJson(*stored));
    return ExitOk;
}

int CliApp::product(const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == u"add"_s) {
        if (auto status = checkOptions(u"product add"_s, {u"category"_s, u"tax"_s}))
            return *status;
        if (auto status = checkArgumentCount(u"product add"_s, args.mid(1), 3))
            return *status;
        const std::optional<qint64> price = parseWhole(args.at(3), 0, Limits::maxPriceCents);
        if (!price)
            return m_output.usage(
                u"PRICE_CENTS must be a whole number of cents from 0 to %1."_s.arg(
                    Limits::maxPriceCents));
        if (auto status = openDatabase(false))
            return *status;
        if (auto status = refuseIfSynced())
            return *status;
        const Result<Product> added = m_services->catalog().add(
            Product{args.at(1), args.at(2), *price, m_parser.value(u"category"_s),
                    m_parser.value(u"tax"_s).trimmed().toUpper()});
        if (!added)
            return m_output.fail(added);
        m_output.printMessage(u"Added %1 %2 at %3"_s.arg(added->sku, added->name,
                                                         CliOutput::money(added->priceCents)),
                              toJson(*added));
        return ExitOk;
    }
    if (sub == u"import"_s) {
        if (auto status = checkOptions(u"product import"_s, {}))
            return *status;
        if (auto status = checkArgumentCount(u"product import"_s, args.mid(1), 1))
            return *status;
        QFile file(args.at(1));
        if (!file.open(QIODevice::ReadOnly))
            return m_output.failWith(Outcome::NotFound,
                                     u"Cannot read %1: %2"_s.arg(args.at(1), file.errorString()));
        if (file.size() > CatalogService::maxImportBytes)
            return m_output.failWith(Outcome::InvalidInput,
                                     u"%1 is larger than 10 MiB."_s.arg(args.at(1)));
        const QByteArray csv = file.read(CatalogService::maxImportBytes + 1);
        if (auto status = openDatabase(false))
            return *status;
        if (auto status = refuseIfSynced())
            return *status;
        const Result<ImportSummary> imported = m_services->catalog().importCsv(csv);
        if (!imported)
            return m_output.fail(imported);
        m_output.printMessage(
            u"Imported: %1 added, %2 updated"_s.arg(imported->added).arg(imported->updated),
            {{u"added"_s, imported->added}, {u"updated"_s, imported->updated}});
        return ExitOk;
    }
    if (sub == u"list"_s) {
        if (auto status = checkOptions(u"product list"_s, {}))
            return *status;
        if (auto status = checkArgumentCount(u"product list"_s, args.mid(1), 0))
            return *status;
        if (auto status = openDatabase(false))
            return *status;
        const Result<QList<Product>> products = m_services->catalog().list();
        if (!products)
            return m_output.fail(products);
        m_output.printProducts(*products);
        return ExitOk;
    }
    return m_output.usage(u"product takes add, import or list."_s);
}

int CliApp::orderCommand(const QString &command, const QStringList &args)
{
    // Arguments after CASHIER, and the options each command accepts.
    struct Shape
    {
        qsizetype arguments;
        QStringList options;
    };
    static const QHash<QString, Shape> shapes{
        {u"open"_s, {1, {u"request-id"_s}}},
        {u"show"_s, {1, {}}},
        {u"add"_s, {2, {u"request-id"_s, u"qty"_s, u"price"_s}}},
        {u"set-qty"_s, {3, {u"request-id"_s}}},
        {u"remove"_s, {2, {u"request-id"_s}}},
        {u"set-items"_s, {2, {u"request-id"_s, u"expect-version"_s}}},
        {u"logout"_s, {1, {u"request-id"_s}}},
        {u"complete"_s,
         {1, {u"request-id"_s, u"method"_s, u"tendered"_s, u"expect-version"_s, u"label"_s}}},
        {u"assign-tab"_s, {2, {u"request-id"_s, u"expect-version"_s}}},
        {u"discount"_s,
         {1,
          {u"request-id"_s, u"expect-version"_s, u"line"_s, u"order"_s, u"percent"_s, u"amount"_s,
           u"reason"_s, u"approver"_s}}},
        {u"pay"_s,
         {1,
          {u"request-id"_s, u"expect-version"_s, u"method"_s, u"amount"_s, u"tendered"_s,
           u"label"_s}}},
        {u"price"_s, {3, {u"request-id"_s, u"expect-version"_s, u"reason"_s, u"approver"_s}}},
    };
    const Shape shape = shapes.value(command);
    if (auto status = checkOptions(command, shape.options))
        return *status;
    if (auto status = checkArgumentCount(command, args, shape.arguments))
        return *status;

    // Everything the command needs is checked before the database is touched.
    std::optional<int> expectedVersion;
    if (m_parser.isSet(u"expect-version"_s)) {
        const auto version = parseWhole(m_parser.value(u"expect-version"_s), 1, 2'000'000'000);
        if (!version)
            return m_output.usage(u"--expect-version must be a whole number from 1."_s);
        expectedVersion = int(*version);
    } else if (command == u"set-items"_s) {
        return m_output.usage(u"set-items needs --expect-version V (the version you saw)."_s);
    }
    PaymentRequest payment;
    if (command == u"complete"_s) {
        const auto method = paymentMethodFromString(m_parser.value(u"method"_s));
        if (!method)
            return m_output.usage(u"complete needs --method cash, card or other (with --label)."_s);
        const auto tendered = parseWhole(m_parser.value(u"tendered"_s), 0, Limits::maxTenderCents);
        if (!tendered)
            return m_output.usage(
                u"complete needs --tendered CENTS, a whole number from 0 to %1."_s.arg(
                    Limits::maxTenderCents));
        payment = PaymentRequest{*method, *tendered, std::nullopt, m_parser.value(u"label"_s)};
    }
    if (command == u"pay"_s) {
        const auto method = paymentMethodFromString(m_parser.value(u"method"_s));
        if (!method)
            return m_output.usage(u"pay needs --method cash, card or other."_s);
        const auto amount = parseWhole(m_parser.value(u"amount"_s), 0, Limits::maxTenderCents);
        if (!amount)
            return m_output.usage(
                u"pay needs --amount CENTS, a whole number from 0 to %1 (to pay "
                "the whole balance, use complete)."_s.arg(Limits::maxTenderCents));
        Cents tendered = *amount; // card and other pay exactly their amount
        if (m_parser.isSet(u"tendered"_s)) {
            const auto given = parseWhole(m_parser.value(u"tendered"_s), 0, Limits::maxTenderCents);
            if (!given)
                return m_output.usage(u"--tendered must be a whole number of cents from 0 to "
                                      "%1."_s.arg(Limits::maxTenderCents));
            tendered = *given;
        }
        payment = PaymentRequest{*method, tendered, *amount, m_parser.value(u"label"_s)};
    }
    Discount discount;
    QString discountLine;
    if (command == u"discount"_s) {
        if (m_parser.isSet(u"line"_s) == m_parser.isSet(u"order"_s))
            return m_output.usage(u"discount needs --line LINE or --order (one of them)."_s);
        if (m_parser.isSet(u"percent"_s) == m_parser.isSet(u"amount"_s))
            return m_output.usage(u"discount needs --percent P or --amount CENTS (one of them)."_s);
        discountLine = m_parser.value(u"line"_s);
        if (m_parser.isSet(u"percent"_s)) {
            const std::optional<int> bp = parseRate(m_parser.value(u"percent"_s));
            if (!bp)
                return m_output.usage(
                    u"--percent must be from 0 to 100 with at most two decimals (12.5)."_s);
            discount.kind = *bp == 0 ? DiscountKind::None : DiscountKind::Percent;
            discount.value = *bp;
        } else {
            const auto cents = parseWhole(m_parser.value(u"amount"_s), 0, Limits::maxTenderCents);
            if (!cents)
                return m_output.usage(
                    u"--amount must be a whole number of cents from 0 to %1."_s.arg(
                        Limits::maxTenderCents));
            discount.kind = *cents == 0 ? DiscountKind::None : DiscountKind::Amount;
            discount.value = *cents;
        }
        discount.reason = m_parser.value(u"reason"_s);
        if (discount.isNone())
            discount = Discount{};
    }
    Cents price = 0;
    if (command == u"price"_s) {
        const auto cents = parseWhole(args.at(2), 0, Limits::maxTenderCents);
        if (!cents)
            return m_output.usage(u"PRICE must be a whole number of cents."_s);
        price = *cents;
    }
    int quantity = 1;
    if (m_parser.isSet(u"qty"_s)) {
        const auto qty = parseWhole(m_parser.value(u"qty"_s), 1, Limits::maxQuantity);
        if (!qty)
            return m_output.usage(
                u"--qty must be a whole number from 1 to %1."_s.arg(Limits::maxQuantity));
        quantity = int(*qty);
    }
    std::optional<Cents> enteredPrice; // add: a product sold at an open price
    if (m_parser.isSet(u"price"_s)) {
        const auto cents = parseWhole(m_parser.value(u"price"_s), 0, Limits::maxPriceCents);
        if (!cents)
            return m_output.usage(u"--price must be a whole number of cents from 0 to %1."_s.arg(
                Limits::maxPriceCents));
        enteredPrice = *cents;
    }
    int lineNo = 0;
    if (command == u"set-qty"_s || command == u"remove"_s) {
        const auto line = parseWhole(args.at(1), 1, Limits::maxLinesPerOrder * 1000);
        if (!line)
            return m_output.usage(u"LINE must be a line number from the order (1, 2, ...)."_s);
        lineNo = int(*line);
    }
    if (command == u"set-qty"_s) {
        const auto qty = parseWhole(args.at(2), 1, Limits::maxQuantity);
        if (!qty)
            return m_output.usage(u"QTY must be a whole number from 1 to %1; to take a line off, "
                                  "use remove."_s.arg(Limits::maxQuantity));
        quantity = int(*qty);
    }
    QList<ItemSpec> items;
    if (command == u"set-items"_s) {
        const ParsedItems parsed = parseItemsJson(args.at(1).toUtf8());
        if (!parsed.error.isEmpty())
            return m_output.usage(parsed.error);
        items = parsed.items;
    }

    if (auto status = openDatabase(false))
        return *status;
    int status = ExitOk;
    const std::optional<QString> cashier = cashierId(args.at(0), &status);
    if (!cashier)
        return status;
    OrderService &orders = m_services->orders();
    const OrderTarget target = OrderTarget::byCashier(*cashier);
    const QString id = requestId();
    if (command == u"open"_s)
        return report(orders.openOrResume(*cashier, id));
    if (command == u"show"_s)
        return report(orders.openOrderOf(*cashier));
    if (command == u"add"_s)
        return report(orders.addProduct(target, args.at(1), quantity, id, enteredPrice));
    if (command == u"set-qty"_s)
        return report(orders.setQuantity(target, lineNo, quantity, id));
    if (command == u"remove"_s)
        return report(orders.removeLine(target, lineNo, id));
    if (command == u"set-items"_s)
        return report(orders.replaceLines(target, items, *expectedVersion, id));
    if (command == u"logout"_s)
        return report(orders.logOut(target, id));
    if (command == u"complete"_s)
        return report(orders.complete(target, payment, expectedVersion, id));
    if (command == u"pay"_s)
        return report(orders.pay(target, payment, expectedVersion, id));
    // A discount above the shop's limit and a price override need a manager: the cashier
    // themselves, or --approver with the manager's PIN on standard input (exit 3 otherwise).
    std::optional<Approver> approvedBy;
    if (command == u"discount"_s || command == u"price"_s) {
        approvedBy = approver(&status);
        if (status != ExitOk)
            return status;
    }
    if (command == u"discount"_s) {
        discount.byCashierId = discount.isNone() ? QString() : *cashier;
        return report(discountLine.isEmpty()
                          ? orders.discountOrder(target, discount, expectedVersion, id, approvedBy)
                          : orders.discountLine(target, discountLine, discount, expectedVersion, id,
                                                approvedBy));
    }
    if (command == u"price"_s)
        return report(orders.overridePrice(target, args.at(1), price, m_parser.value(u"reason"_s),
                                           *cashier, expectedVersion, id, approvedBy));
    return report(orders.assignToTab(target, args.at(1), expectedVersion, id));
}

int CliApp::tabs(const QStringList &args)
{
    if (auto status = checkOptions(u"tabs"_s, {}))
        return *status;
    if (auto status = checkArgumentCount(u"tabs"_s, args, 0))
        return *status;
    if (auto status = openDatabase(false))
        return *status;
    const Result<QList<Tab>> open = m_services->tabs().openTabs();
    if (!open)
        return m_output.fail(open);
    m_output.printTabs(*open);
    return ExitOk;
}

int CliApp::settleTab(const QStringList &args)
{
    if (auto status = checkOptions(u"settle-tab"_s, {u"request-id"_s, u"method"_s, u"tendered"_s,
                                                     u"expect-version"_s, u"amount"_s, u"label"_s}))
        return *status;
    if (auto status = checkArgumentCount(u"settle-tab"_s, args, 1))
        return *status;
    const auto method = paymentMethodFromString(m_parser.value(u"method"_s));
    if (!method)
        return m_output.usage(u"settle-tab needs --method cash, card or other."_s);
    const auto tendered = parseWhole(m_parser.value(u"tendered"_s), 0, Limits::maxTenderCents);
    if (!tendered)
        return m_output.usage(
            u"settle-tab needs --tendered CENTS, a whole number from 0 to %1."_s.arg(
                Limits::maxTenderCents));
    std::optional<int> expectedVersion;
    if (m_parser.isSet(u"expect-version"_s)) {
        const auto version = parseWhole(m_parser.value(u"expect-version"_s), 1, 2'000'000'000);
        if (!version)
            return m_output.usage(u"--expect-version must be a whole number from 1."_s);
        expectedVersion = int(*version);
    }
    // With --amount, one tender of a split tender (the tab stays open until its balance is 0).
    if (m_parser.isSet(u"amount"_s)) {
        const auto amount = parseWhole(m_parser.value(u"amount"_s), 0, Limits::maxTenderCents);
        if (!amount)
            return m_output.usage(u"--amount must be a whole number of cents from 0 to %1."_s.arg(
                Limits::maxTenderCents));
        if (auto status = openDatabase(false))
            return *status;
        return report(m_services->tabs().pay(
            args.at(0), PaymentRequest{*method, *tendered, *amount, m_parser.value(u"label"_s)},
            expectedVersion, requestId()));
    }
    if (auto status = openDatabase(false))
        return *status;
    return report(m_services->tabs().settle(
        args.at(0), PaymentRequest{*method, *tendered, std::nullopt, m_parser.value(u"label"_s)},
        expectedVersion, requestId()));
}

int CliApp::history(const QStringList &args)
{
    if (auto status = checkOptions(u"history"_s, {}))
        return *status;
    if (auto status = checkArgumentCount(u"history"_s, args, 1))
        return *status;
    if (auto status = openDatabase(false))
        return *status;
    const Result<QList<HistoryEntry>> entries = m_services->orders().history(args.at(0));
    if (!entries)
        return m_output.fail(entries);
    m_output.printHistory(*entries);
    return ExitOk;
}

int CliApp::receipts(const QStringList &args)
{
    if (auto status =
            checkOptions(u"receipts"_s, {u"number"_s, u"amount"_s, u"date"_s, u"limit"_s}))
        return *status;
    if (auto status = checkArgumentCount(u"receipts"_s, args, 0))
        return *status;
    ReceiptQuery query;
    query.number = m_parser.value(u"number"_s);
    if (m_parser.isSet(u"amount"_s)) {
        const auto amount = parseWhole(m_parser.value(u"amount"_s), 0, Limits::maxTenderCents);
        if (!amount)
            return m_output.usage(u"--amount must be a whole number of cents from 0 to %1."_s.arg(
                Limits::maxTenderCents));
        query.amountCents = *amount;
    }
    if (m_parser.isSet(u"date"_s)) {
        static const QRegularExpression isoDay(u"^\\d{4}-\\d{2}-\\d{2}$"_s);
        const QString text = m_parser.value(u"date"_s);
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!isoDay.match(text).hasMatch() || !date.isValid())
            return m_output.usage(
                u"--date must be a calendar day as YYYY-MM-DD, e.g. 2026-03-31."_s);
        query.date = date;
    }
    if (m_parser.isSet(u"limit"_s)) {
        const auto limit = parseWhole(m_parser.value(u"limit"_s), 1, ReceiptSearch::maxLimit);
        if (!limit)
            return m_output.usage(
                u"--limit must be a whole number from 1 to %1."_s.arg(ReceiptSearch::maxLimit));
        query.limit = int(*limit);
    }
    if (auto status = openDatabase(false))
        return *status;
    const Result<ReceiptList> found = m_services->receipts().search(query);
    if (!found)
        return m_output.fail(found);
    m_output.printReceipts(*found);
    return ExitOk;
}

int CliApp::receipt(const QStringList &args)
{
    if (auto status = checkOptions(u"receipt"_s, {u"copy-by"_s, u"request-id"_s, u"pdf"_s}))
        return *status;
    if (auto status = checkArgumentCount(u"receipt"_s, args, 1))
        return *status;
    if (m_parser.isSet(u"request-id"_s) && !m_parser.isSet(u"copy-by"_s))
        return m_output.usage(u"--request-id applies to a reprint (--copy-by CASHIER)."_s);
    const QString pdf = m_parser.value(u"pdf"_s);
    if (m_parser.isSet(u"pdf"_s) && pdf.isEmpty())
        return m_output.usage(u"--pdf needs the file to write, e.g. --pdf receipt.pdf."_s);
    // main() makes a QGuiApplication (offscreen) when --pdf is given: fonts need one.
    if (!pdf.isEmpty() && !qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return m_output.failWith(Outcome::Error, u"Writing a PDF needs Qt's GUI module."_s);
    if (auto status = openDatabase(false))
        return *status;
    const bool copy = m_parser.isSet(u"copy-by"_s);
    std::optional<QString> cashier;
    if (copy) {
        int status = ExitOk;
        cashier = cashierId(m_parser.value(u"copy-by"_s), &status);
        if (!cashier)
            return status;
    }
    ReceiptSearch &receipts = m_services->receipts();
    Result<Receipt> found = receipts.receipt(args.at(0));
    if (!found)
        return m_output.fail(found);
    // The PDF first, then the record of the reprint: a copy that was recorded exists, and one
    // whose record failed is removed again.
    if (!pdf.isEmpty()) {
        const Result<ShopProfile> shop = ShopSettings(m_services->database()).profile();
        if (!shop)
            return m_output.fail(shop);
        const QString html =
            found->order ? receiptHtml(*found->order, *shop) : receiptHtml(*found->tab, *shop);
        if (!writeReceiptPdf(copy ? receiptCopyHtml(html) : html, pdf))
            return m_output.failWith(
                Outcome::Error, u"Could not write the PDF %1; nothing was recorded."_s.arg(pdf));
    }
    if (copy) {
        found = receipts.recordReprint(args.at(0), *cashier, requestId());
        if (!found) {
            if (!pdf.isEmpty())
                QFile::remove(pdf);
            return m_output.fail(found);
        }
        if (found.replayed())
            m_output.noteReplay();
    }
    if (!pdf.isEmpty() && !m_output.json()) {
        m_output.printMessage(u"Receipt %1%2 written to %3"_s.arg(
                                  found->summary.receiptNo, copy ? u" (COPY)"_s : QString(), pdf),
                              {});
        return ExitOk;
    }
    m_output.printReceipt(*found, copy);
    return ExitOk;
}

namespace {

QString describeReviewItem(const ReviewItem &item)
{
    QString text = u"%1  %2  %3\n  %4"_s.arg(item.id, ReviewStore::describeKind(item.kind),
                                             toStorageTime(item.createdAt), item.summary);
    if (item.amountCents != 0)
        text += u"\n  difference: %1 cents"_s.arg(item.amountCents);
    if (item.resolved) {
        text += u"\n  resolved by %1 at %2: %3%4"_s.arg(
            item.resolvedBy, toStorageTime(item.resolvedAt),
            ReviewStore::describeResolution(item.resolution),
            item.resolutionNote.isEmpty() ? QString() : u" (%1)"_s.arg(item.resolutionNote));
    } else {
        text += u"\n  resolve with: %1"_s.arg(ReviewStore::resolutionsFor(item.kind).join(u", "_s));
    }
    return text;
}

} // namespace

int CliApp::review(const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == u"list"_s) {
        if (auto status = checkOptions(u"review list"_s, {u"all"_s}))
            return *status;
        if (auto status = checkArgumentCount(u"review list"_s, args, 1))
            return *status;
    } else if (sub == u"show"_s) {
        if (auto status = checkOptions(u"review show"_s, {}))
            return *status;
        if (auto status = checkArgumentCount(u"review show"_s, args, 2))
            return *status;
    } else if (sub == u"resolve"_s) {
        if (auto status = checkOptions(u"review resolve"_s, {u"by"_s, u"note"_s}))
            return *status;
        if (auto status = checkArgumentCount(u"review resolve"_s, args, 3))
            return *status;
        if (m_parser.value(u"by"_s).trimmed().isEmpty())
            return m_output.usage(u"review resolve needs --by NAME (who resolves it)."_s);
    } else {
        return m_output.usage(u"review takes list, show ID or resolve ID RESOLUTION."_s);
    }
    if (auto status = openDatabase(false))
        return *status;
    ReviewStore &reviews = m_services->reviews();
    if (sub == u"list"_s) {
        const Result<QList<ReviewItem>> items = reviews.list(m_parser.isSet(u"all"_s));
        if (!items)
            return m_output.fail(items);
        QJsonArray json;
        QStringList lines;
        for (const ReviewItem &item : *items) {
            json.append(toJson(item));
            lines << describeReviewItem(item);
        }
        m_output.printMessage(lines.isEmpty() ? u"Nothing to review."_s : lines.join(u"\n\n"_s),
                              {{u"items"_s, json}});
        return ExitOk;
    }
    const Result<ReviewItem> item =
        sub == u"show"_s ? reviews.item(args.at(1))
                         : reviews.resolve(args.at(1), args.at(2), m_parser.value(u"note"_s),
                                           m_parser.value(u"by"_s));
    if (!item)
        return m_output.fail(item);
    m_output.printMessage(describeReviewItem(*item), toJson(*item));
    return ExitOk;
}

int CliApp::verify(const QStringList &args)
{
    if (auto status = checkOptions(u"verify"_s, {}))
        return *status;
    if (auto status = checkArgumentCount(u"verify"_s, args, 0))
        return *status;
    if (auto status = openDatabase(false))
        return *status;
    const Result<VerifyReport> report = m_services->verifier().run();
    if (!report.value()) // the database could not be read: no report
        return m_output.fail(report);
    m_output.printMessage(toText(*report.value()), toJson(*report.value()));
    return report ? ExitOk : ExitRefused;
}

std::optional<int> CliApp::retentionDays(int *days)
{
    *days = RetentionPolicy::daysFromSettings(QSettings());
    if (!m_parser.isSet(u"older-than-days"_s))
        return std::nullopt;
    const auto given = parseWhole(m_parser.value(u"older-than-days"_s),
                                  RetentionPolicy::minimumDays, RetentionPolicy::maximumDays);
    if (!given)
        return m_output.usage(u"--older-than-days: "_s + RetentionPolicy::checkDays(-1));
    *days = int(*given);
    return std::nullopt;
}

int CliApp::prune(const QStringList &args)
{
    if (auto status = checkOptions(u"prune"_s, {u"older-than-days"_s}))
        return *status;
    if (auto status = checkArgumentCount(u"prune"_s, args, 0))
        return *status;
    RetentionPolicy policy;
    if (auto status = retentionDays(&policy.days))
        return *status;
    policy.maxChunks = 0; // on demand: to the end, still one short transaction per chunk
    if (auto status = openDatabase(false))
        return *status;
    const Result<PruneReport> report = m_services->retention().prune(policy);
    if (!report)
        return m_output.fail(report);
    m_output.printMessage(
        QCoreApplication::translate("CliApp", "Pruned %1 sent sync op(s) and %2 stored request "
                                              "result(s) older than %3 day(s) (before %4).")
            .arg(report->outboxDeleted)
            .arg(report->idempotencyDeleted)
            .arg(policy.days)
            .arg(toStorageTime(report->cutoff)),
        {{u"outbox_deleted"_s, report->outboxDeleted},
         {u"idempotency_deleted"_s, report->idempotencyDeleted},
         {u"older_than_days"_s, policy.days},
         {u"cutoff"_s, toStorageTime(report->cutoff)},
         {u"transactions"_s, report->transactions}});
    return ExitOk;
}

std::optional<int> CliApp::refuseIfSynced()
{
    QString serverUrl;
    if (!SyncStore::isSyncedTerminal(m_services->database(), &serverUrl))
        return std::nullopt;
    return m_output.failWith(Outcome::InvalidState,
                             SyncStore::serverIsSourceOfTruthMessage(serverUrl));
}

int CliApp::sync(const QStringList &args)
{
    if (auto status = checkOptions(u"sync"_s, {u"server"_s, u"token-file"_s, u"trust-cert"_s,
                                               u"once"_s, u"status"_s, u"older-than-days"_s}))
        return *status;
    if (auto status = checkArgumentCount(u"sync"_s, args, 0))
        return *status;
    if (m_parser.isSet(u"once"_s) == m_parser.isSet(u"status"_s))
        return m_output.usage(u"sync takes either --once or --status."_s);
    if (m_parser.isSet(u"status"_s)) {
        if (m_parser.isSet(u"server"_s) || m_parser.isSet(u"token-file"_s) ||
            m_parser.isSet(u"trust-cert"_s))
            return m_output.usage(u"sync --status takes no server options."_s);
        return syncStatus();
    }

    // The command line wins; what it leaves out comes from the app's settings (the GUI's
    // Settings dialog writes the same keys).
    const QSettings settings;
    SyncConfig config = SyncConfig::load(settings);
    QString error;
    if (m_parser.isSet(u"server"_s)) {
        const std::optional<QUrl> url =
            SyncConfig::parseServerUrl(m_parser.value(u"server"_s), &error);
        if (!url)
            return m_output.usage(error);
        config.serverUrl = *url;
    }
    if (m_parser.isSet(u"token-file"_s))
        config.tokenFile = m_parser.value(u"token-file"_s);
    if (m_parser.isSet(u"trust-cert"_s))
        config.trustedCertFile = m_parser.value(u"trust-cert"_s);
    if (!config.serverUrl.isValid() || config.serverUrl.isEmpty())
        return m_output.usage(u"sync --once needs --server URL (or a server in the settings)."_s);
    if (const QString warning = SyncConfig::cleartextWarning(config.serverUrl); !warning.isEmpty())
        QTextStream(stderr) << warning << Qt::endl;
    const std::optional<QByteArray> token = SyncConfig::readToken(config.tokenFile, &error);
    if (!token)
        return m_output.failWith(Outcome::InvalidInput, error);
    const std::optional<QList<QSslCertificate>> trusted =
        SyncConfig::readTrustedCertificates(config.trustedCertFile, &error);
    if (!trusted)
        return m_output.failWith(Outcome::InvalidInput, error);
    if (auto status = openDatabase(false))
        return *status;

    SyncTransport transport(config.serverUrl, *token, *trusted);
    SyncPolicy policy;
    // A CLI run waits a bounded time: about half a minute of retries at most.
    policy.maxAttemptsPerRequest = 6;
    policy.maxBackoffMs = 4000;
    policy.maxRetryAfterMs = 10000;
    if (auto status = retentionDays(&policy.retentionDays))
        return *status;
    SyncEngine engine(m_services->database(), transport, config.serverUrl.toString(), policy);
    const SyncRunReport report = engine.run();

    const QString summary =
        u"Sync with %1: %2 op(s) sent, %3 conflict(s), %4 rejected; %5 pending, %6 failed."_s
            .arg(config.serverUrl.toString())
            .arg(report.sent)
            .arg(report.conflicts)
            .arg(report.rejected)
            .arg(report.pendingAfter)
            .arg(report.failedAfter);
    QString text = summary;
    for (const QString &message : report.messages)
        text += u"\n  "_s + message;
    QJsonObject json{{u"sent"_s, report.sent},
                     {u"conflicts"_s, report.conflicts},
                     {u"rejected"_s, report.rejected},
                     {u"pending"_s, report.pendingAfter},
                     {u"failed"_s, report.failedAfter},
                     {u"pulled"_s, report.pulled},
                     {u"pruned"_s, report.pruned},
                     {u"messages"_s, QJsonArray::fromStringList(report.messages)}};
    QTextStream err(stderr);
    if (report.status != SyncRunReport::Status::Done) {
        json.insert(u"error"_s, report.error);
        m_output.printMessage(text, json);
        err << report.error << '\n';
        return report.status == SyncRunReport::Status::Refused ? ExitInvalid : ExitFailure;
    }
    m_output.printMessage(text, json);
    if (!report.outboxEmpty()) {
        err << u"The outbox is not empty: %1 op(s) pending, %2 failed (kept; see "
               u"\"safetill-cli "
               "sync --status\")."_s.arg(report.pendingAfter)
                   .arg(report.failedAfter)
            << '\n';
        return ExitRefused;
    }
    return ExitOk;
}

int CliApp::syncStatus()
{
    if (auto status = openDatabase(false))
        return *status;
    const Result<SyncCounts> counts = SyncStore(m_services->database()).counts();
    if (!counts)
        return m_output.fail(counts);
    QString text = u"Sync: %1 pending, %2 failed"_s.arg(counts->pending).arg(counts->failed);
    text += u"\nServer: %1"_s.arg(counts->serverUrl.isEmpty() ? u"none (never synced)"_s
                                                              : counts->serverUrl);
    text += u"\nLast success: %1"_s.arg(
        counts->lastSuccess.isValid() ? toStorageTime(counts->lastSuccess) : u"never"_s);
    if (!counts->lastError.isEmpty())
        text += u"\nLast error: %1"_s.arg(counts->lastError);
    QJsonArray problems;
    for (const SyncProblem &problem : counts->problems) {
        text += u"\n  seq %1 %2%3: %4 (%5) %6"_s.arg(
            QString::number(problem.seq), problem.op,
            problem.orderId.isEmpty() ? QString() : u" order "_s + problem.orderId, problem.kind,
            problem.code, problem.message);
        problems.append(QJsonObject{{u"seq"_s, problem.seq},
                                    {u"op"_s, problem.op},
                                    {u"order_id"_s, problem.orderId},
                                    {u"kind"_s, problem.kind},
                                    {u"code"_s, problem.code},
                                    {u"message"_s, problem.message}});
    }
    for (const QString &message : counts->messages)
        text += u"\n  ! "_s + message;
    m_output.printMessage(
        text, {{u"pending"_s, counts->pending},
               {u"failed"_s, counts->failed},
               {u"server_url"_s, counts->serverUrl.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                             : QJsonValue(counts->serverUrl)},
               {u"last_success"_s, counts->lastSuccess.isValid()
                                       ? QJsonValue(toStorageTime(counts->lastSuccess))
                                       : QJsonValue(QJsonValue::Null)},
               {u"last_error"_s, counts->lastError},
               {u"problems"_s, problems},
               {u"messages"_s, QJsonArray::fromStringList(counts->messages)}});
    return ExitOk;
}

} // namespace SafeTill
