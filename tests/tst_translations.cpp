// The translations (issue 16): (a) the .ts files in translations/ are complete for the sources
// as they are now — lupdate, run over the same sources into a copy of each file, must find no new
// or unfinished message — and every translation keeps its source's placeholders and accelerator;
// (b) the real main window, started offscreen in German, shows no English on its main screens
// (login, order screen, payment, receipt, receipts list, shift window); (c) French loads too.

#include "GuiTestSupport.h"
#include "LoginWidget.h"
#include "MainWindow.h"
#include "OrderWidget.h"
#include "PaymentDialog.h"
#include "ReceiptDialog.h"
#include "ReceiptsWindow.h"
#include "Screenshots.h"
#include "SettingsDialog.h"
#include "ShiftWindow.h"
#include "TestSupport.h"
#include "TillApplication.h"
#include "TillBackend.h"
#include "Translations.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPixmap>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QXmlStreamReader>

#include <memory>

using namespace Qt::StringLiterals;
using namespace SafeTill;
using SafeTill::Test::click;
using SafeTill::Test::named;
using SafeTill::Test::visibleOf;
using SafeTill::Test::visibleOne;

namespace {

constexpr int actionTimeoutMs = 5000;
constexpr int lupdateTimeoutMs = 120000;

struct Message
{
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    bool unfinished = false;
    QStringList translations; // one, or the numerus forms
};

QList<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1"_s.arg(path);
        return {};
    }
    QList<Message> messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"name"_s) {
            context = xml.readElementText();
        } else if (name == u"message"_s) {
            message = Message{context, {}, {}, xml.attributes().value(u"numerus"_s) == u"yes"_s,
                              false,   {}};
        } else if (name == u"source"_s) {
            message.source = xml.readElementText();
        } else if (name == u"comment"_s) {
            message.comment = xml.readElementText();
        } else if (name == u"translation"_s) {
            const QString type = xml.attributes().value(u"type"_s).toString();
            message.unfinished = type == u"unfinished"_s;
            if (type == u"vanished"_s || type == u"obsolete"_s)
                continue; // not used: lupdate runs with -no-obsolete
            if (message.numerus) {
                while (xml.readNextStartElement()) {
                    if (xml.name() == u"numerusform"_s)
                        message.translations << xml.readElementText();
                    else
                        xml.skipCurrentElement();
                }
            } else {
                message.translations << xml.readElementText();
            }
            messages << message;
        }
    }
    if (xml.hasError())
        *error = u"%1: %2 at line %3"_s.arg(path, xml.errorString()).arg(xml.lineNumber());
    return messages;
}

// %1..%9 (and %n) as a sorted list: a translation must use each one the source uses.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression pattern(u"%(L?[1-9]|n)"_s);
    QStringList found;
    for (const QRegularExpressionMatch &match : pattern.globalMatch(text))
        found << match.captured(0).remove(u'L');
    found.sort();
    found.removeDuplicates();
    return found;
}

// How many keyboard accelerators ("&Pay", not "&&" or "& ") a text has.
int accelerators(const QString &text)
{
    int count = 0;
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != u'&')
            continue;
        if (text[i + 1] == u'&') {
            ++i;
            continue;
        }
        if (text[i + 1].isLetterOrNumber())
            ++count;
    }
    return count;
}

QString withoutAccelerator(QString text)
{
    static const QRegularExpression single(u"&(?=[^&\\s])"_s);
    return text.remove(single).replace(u"&&"_s, u"&"_s);
}

// Words that are English and not German: one of them on a German screen is a string that was not
// translated (or not wrapped in tr()). Words German shares with English (Name, Manager, Status,
// PIN, Start, OK...) are not in the list.
const QSet<QString> &englishWords()
{
    static const QSet<QString> words{
        u"the"_s,    u"and"_s,     u"of"_s,       u"to"_s,       u"is"_s,       u"not"_s,
        u"with"_s,   u"for"_s,     u"on"_s,       u"Pay"_s,      u"Cash"_s,     u"Card"_s,
        u"Other"_s,  u"Total"_s,   u"Subtotal"_s, u"Receipt"_s,  u"Receipts"_s, u"Shift"_s,
        u"Order"_s,  u"Log"_s,     u"out"_s,      u"Search"_s,   u"Cancel"_s,   u"Close"_s,
        u"Open"_s,   u"Report"_s,  u"Refund"_s,   u"Discount"_s, u"Tabs"_s,     u"Settings"_s,
        u"Window"_s, u"Item"_s,    u"Items"_s,    u"Price"_s,    u"Quantity"_s, u"Amount"_s,
        u"Change"_s, u"Done"_s,    u"Print"_s,    u"Save"_s,     u"New"_s,      u"Back"_s,
        u"Clear"_s,  u"Tax"_s,     u"Add"_s,      u"Remove"_s,   u"Cashier"_s,  u"Tendered"_s,
        u"Due"_s,    u"Paid"_s,    u"Date"_s,     u"Number"_s,   u"Time"_s,     u"Reason"_s,
        u"Float"_s,  u"Counted"_s, u"Expected"_s, u"Sales"_s,    u"Refunds"_s,  u"Yes"_s,
        u"No"_s,     u"Take"_s,    u"payment"_s,  u"Enter"_s,    u"Choose"_s,   u"Who"_s,
        u"Help"_s,   u"Quit"_s,    u"File"_s,     u"View"_s,     u"Review"_s,   u"Void"_s,
        u"Copy"_s,   u"COPY"_s,    u"Thank"_s,    u"you"_s,      u"Net"_s,      u"Gross"_s,
        u"Exact"_s,  u"Balance"_s, u"Method"_s,   u"Nothing"_s,  u"yet"_s,      u"Today"_s,
        u"Sync"_s,   u"offline"_s, u"pending"_s,  u"Reprint"_s,  u"Line"_s,     u"Lines"_s};
    return words;
}

struct Visible
{
    QString where; // the widget's class and object name
    QString text;
};

void collectTexts(QWidget *root, QList<Visible> *out)
{
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *widget : widgets) {
        if (!widget->isVisible())
            continue;
        const QString where =
            QString::fromLatin1(widget->metaObject()->className()) + u'#' + widget->objectName();
        const auto add = [&](const QString &text) {
            if (!text.trimmed().isEmpty())
                *out << Visible{where, text};
        };
        if (widget->isWindow())
            add(widget->windowTitle());
        add(widget->toolTip());
        add(widget->accessibleName());
        if (auto *label = qobject_cast<QLabel *>(widget))
            add(label->text());
        if (auto *button = qobject_cast<QAbstractButton *>(widget))
            add(button->text());
        if (auto *edit = qobject_cast<QLineEdit *>(widget))
            add(edit->placeholderText());
        if (auto *group = qobject_cast<QGroupBox *>(widget))
            add(group->title());
        if (auto *browser = qobject_cast<QTextBrowser *>(widget))
            add(browser->toPlainText());
        if (auto *tabs = qobject_cast<QTabWidget *>(widget)) {
            for (int i = 0; i < tabs->count(); ++i)
                add(tabs->tabText(i));
        }
        if (auto *view = qobject_cast<QAbstractItemView *>(widget); view && view->model()) {
            for (int column = 0; column < view->model()->columnCount(); ++column)
                add(view->model()->headerData(column, Qt::Horizontal).toString());
        }
        for (QAction *action : widget->actions()) {
            add(action->text());
            add(action->toolTip());
        }
        if (auto *bar = qobject_cast<QMenuBar *>(widget)) {
            for (QAction *menu : bar->actions()) {
                add(menu->text());
                if (menu->menu()) {
                    for (QAction *action : menu->menu()->actions())
                        add(action->text());
                }
            }
        }
    }
}

// The offscreen platform warns about every window feature it lacks; that noise would hide the
// warnings that matter.
// The German order screen for the README (docs/screenshots/order-de.png; tests/Screenshots.h).
QString saveScreenshot(QWidget *window, const QString &name)
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    return Test::saveScreenshot(window->grab(), name);
}

template<typename T> T *visibleTopLevel()
{
    for (QWidget *top : QApplication::topLevelWidgets()) {
        if (auto *found = qobject_cast<T *>(top); found && found->isVisible())
            return found;
    }
    return nullptr;
}

template<typename T> T *visibleChild(const QObject *root)
{
    for (T *widget : root->findChildren<T *>()) {
        if (widget->isVisible())
            return widget;
    }
    return nullptr;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void tsFilesAreComplete_data();
    void tsFilesAreComplete();
    void placeholdersAndAcceleratorsKept_data();
    void placeholdersAndAcceleratorsKept();
    void languageChoice();
    void settingsDialogStoresTheLanguage();
    void frenchLoads();
    void cliSpeaksEnglishUnlessAsked();
    void germanMainScreensShowNoEnglish();

private:
    void checkGerman(QWidget *screen, const QString &screenName);

    QHash<QString, QString> m_englishWithGerman; // source (no accelerator) -> German
    QStringList m_dataNames;                     // products, categories, cashiers: not translated
    QStringList m_found;                         // English found on the German screens
    QTemporaryDir m_settingsDir;                 // QSettings of this run, not the user's
};

void TestTranslations::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    Test::dropPlatformNoise();
    QVERIFY(m_settingsDir.isValid());
    QCoreApplication::setOrganizationName(u"SafeTill-tst_translations"_s);
    QCoreApplication::setApplicationName(u"safetill"_s);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QVERIFY2(QSettings().fileName().startsWith(m_settingsDir.path()),
             qPrintable(QSettings().fileName()));
    QVERIFY2(QGuiApplication::platformName() == u"offscreen"_s,
             "run with QT_QPA_PLATFORM=offscreen (ctest sets it)");
}

void TestTranslations::cleanup()
{
    Translations::install(u"en"_s);
}

void TestTranslations::tsFilesAreComplete_data()
{
    QTest::addColumn<QString>("tsFile");
    for (const QString &ts : QStringLiteral(SAFETILL_TS_FILES).split(u'|'))
        QTest::newRow(qPrintable(QFileInfo(ts).fileName())) << ts;
}

// lupdate over today's sources into a copy of the .ts: a string added (or changed) without a
// translation shows up as unfinished there.
void TestTranslations::tsFilesAreComplete()
{
    QFETCH(QString, tsFile);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString copy = dir.filePath(QFileInfo(tsFile).fileName());
    QVERIFY(QFile::copy(tsFile, copy));
    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments = QStringLiteral(SAFETILL_LUPDATE_OPTIONS).split(u'|');
    arguments << u"@"_s + QStringLiteral(SAFETILL_TRANSLATED_SOURCES_LIST) << u"-ts"_s << copy;
    lupdate.start(QStringLiteral(SAFETILL_LUPDATE_PATH), arguments);
    QVERIFY2(lupdate.waitForFinished(lupdateTimeoutMs), "lupdate did not finish");
    const QString output = QString::fromLocal8Bit(lupdate.readAll());
    QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0,
             qPrintable(output));
    // A tr() lupdate cannot give a class (a free function) lands in a context the program never
    // asks for: its translation would never show.
    QVERIFY2(!output.contains(u"lacks Q_OBJECT macro"_s) && !output.contains(u"Cannot invoke"_s),
             qPrintable(u"tr() without a context lupdate can see (use the class's tr, a "
                        "Q_DECLARE_TR_FUNCTIONS struct or QCoreApplication::translate):\n"_s +
                        output));

    QString error;
    const QList<Message> messages = readTs(copy, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(messages.size() > 100);
    QStringList missing;
    for (const Message &message : messages) {
        const bool empty = std::any_of(message.translations.begin(), message.translations.end(),
                                       [](const QString &t) { return t.isEmpty(); });
        if (message.unfinished || message.translations.isEmpty() || empty)
            missing << u"  [%1] %2"_s.arg(message.context, message.source);
    }
    QVERIFY2(missing.isEmpty(),
             qPrintable(u"%1 untranslated message(s) in %2 — run `cmake --build build --target "
                        "update_translations` and translate them:\n%3"_s.arg(missing.size())
                            .arg(QFileInfo(tsFile).fileName(), missing.mid(0, 40).join(u'\n'))));
    // The file in the repository is what lupdate writes (sorted, no locations): a merge of two
    // branches' strings stays clean.
    QFile original(tsFile);
    QFile updated(copy);
    QVERIFY(original.open(QIODevice::ReadOnly) && updated.open(QIODevice::ReadOnly));
    QVERIFY2(original.readAll() == updated.readAll(),
             "the .ts file is not as lupdate writes it: run the update_translations target");
}

void TestTranslations::placeholdersAndAcceleratorsKept_data()
{
    tsFilesAreComplete_data();
}

void TestTranslations::placeholdersAndAcceleratorsKept()
{
    QFETCH(QString, tsFile);
    QString error;
    const QList<Message> messages = readTs(tsFile, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const int forms = 2; // German and French: singular and plural
    QStringList wrong;
    for (const Message &message : messages) {
        if (message.context == u"SafeTill"_s)
            wrong << u"  [SafeTill] %1: a free function's tr(); no class context"_s.arg(
                message.source);
        if (message.numerus && message.translations.size() != forms)
            wrong << u"  [%1] %2: %3 plural forms, not %4"_s.arg(message.context, message.source)
                         .arg(message.translations.size())
                         .arg(forms);
        QStringList expected = placeholders(message.source);
        if (message.numerus && !expected.contains(u"%n"_s)) {
            wrong << u"  [%1] %2: numerus without %n"_s.arg(message.context, message.source);
        }
        for (const QString &translation : message.translations) {
            QStringList have = placeholders(translation);
            // A plural form may spell out "one" instead of %n.
            if (message.numerus && !have.contains(u"%n"_s)) {
                have << u"%n"_s;
                have.sort();
            }
            if (have != expected) {
                wrong << u"  [%1] %2 -> %3: placeholders %4, not %5"_s.arg(
                    message.context, message.source, translation, have.join(u' '),
                    expected.join(u' '));
            }
            if (accelerators(translation) != accelerators(message.source)) {
                wrong << u"  [%1] %2 -> %3: the accelerator (&) is lost or doubled"_s.arg(
                    message.context, message.source, translation);
            }
        }
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
}

void TestTranslations::languageChoice()
{
    QCOMPARE(Translations::available(), (QStringList{u"en"_s, u"de"_s, u"fr"_s}));
    // An explicit choice (--language) wins, and a region does not matter.
    QCOMPARE(Translations::choose(u"de_AT"_s), u"de"_s);
    QCOMPARE(Translations::choose(u"fr-CA"_s), u"fr"_s);
    QCOMPARE(Translations::nativeName(u"de"_s), u"Deutsch"_s);
    QCOMPARE(Translations::nativeName(u"fr"_s), u"Français"_s);
    QString error;
    QVERIFY(!Translations::install(u"xx"_s, &error));
    QVERIFY2(error.contains(u"xx"_s), qPrintable(error));
    QCOMPARE(Translations::current(), u"en"_s);
    QVERIFY(Translations::install(u"de"_s));
    QCOMPARE(Translations::current(), u"de"_s);
    QCOMPARE(QCoreApplication::translate("SafeTill::CashierService", "Wrong PIN."),
             u"Falsche PIN."_s);
    QVERIFY(Translations::install(u"en"_s));
    QCOMPARE(QCoreApplication::translate("SafeTill::CashierService", "Wrong PIN."),
             u"Wrong PIN."_s);
}

// Settings → Language: stored in ui/language, which choose() then follows; "the system's language"
// removes it again.
void TestTranslations::settingsDialogStoresTheLanguage()
{
    const QLatin1StringView key(Translations::settingsKey);
    QSettings().remove(key);
    {
        SettingsDialog dialog(SyncConfig{});
        auto *language = dialog.findChild<QComboBox *>(u"languageChoice"_s);
        QVERIFY(language);
        QCOMPARE(language->currentData().toString(), QString()); // nothing stored: the system's
        QCOMPARE(language->count(), 1 + Translations::available().size());
        language->setCurrentIndex(language->findText(u"Français"_s));
        QVERIFY(language->currentIndex() > 0);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    QCOMPARE(QSettings().value(key).toString(), u"fr"_s);
    QCOMPARE(Translations::choose(), u"fr"_s);
    QCOMPARE(Translations::choose(u"de"_s), u"de"_s); // --language still wins
    {
        SettingsDialog dialog(SyncConfig{});
        auto *language = dialog.findChild<QComboBox *>(u"languageChoice"_s);
        QCOMPARE(language->currentData().toString(), u"fr"_s);
        language->setCurrentIndex(0);
        dialog.accept();
    }
    QVERIFY(!QSettings().contains(key));
}

void TestTranslations::frenchLoads()
{
    QString error;
    QVERIFY2(Translations::install(u"fr"_s, &error), qPrintable(error));
    QCOMPARE(QCoreApplication::translate("SafeTill::CashierService", "Wrong PIN."),
             u"Code PIN erroné."_s);
    // A model message the cashier reads, and a receipt's word.
    QCOMPARE(QCoreApplication::translate("QObject", "Subtotal"), u"Sous-total"_s);
    // Qt's own texts, from the system's translations (qt6-translations-l10n).
    if (!QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) + u"/qtbase_fr.qm"_s))
        QSKIP("Qt's own French translation is not installed (qt6-translations-l10n)");
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Annuler"_s);
}

// safetill-cli: English (what scripts read) unless --language asks for another; the model's
// message for a person is then translated.
void TestTranslations::cliSpeaksEnglishUnlessAsked()
{
    Test::TestDatabase db;
    const auto run = [&](const QStringList &extra) {
        QProcess cli;
        cli.start(QStringLiteral(SAFETILL_CLI_PATH),
                  QStringList{u"--db"_s, db.path()} + extra +
                      QStringList{u"add"_s, u"Alice"_s, u"NO-SUCH-SKU"_s});
        if (!cli.waitForFinished(60000))
            return QString();
        return QString::fromUtf8(cli.readAllStandardError()) + u'\n' +
               QString::number(cli.exitCode());
    };
    const QString english = run({});
    QVERIFY2(english.contains(u"There is no product with SKU NO-SUCH-SKU"_s), qPrintable(english));
    const QString german = run({u"--language"_s, u"de"_s});
    QVERIFY2(german.contains(u"Es gibt kein Produkt mit der SKU NO-SUCH-SKU"_s),
             qPrintable(german));
    QCOMPARE(german.section(u'\n', -1), english.section(u'\n', -1)); // the same exit status
    const QString french = run({u"--language=fr"_s});
    QVERIFY2(french.contains(u"Il n'y a pas de produit avec le SKU NO-SUCH-SKU"_s),
             qPrintable(french));
    const QString unknown = run({u"--language"_s, u"xx"_s});
    QVERIFY2(unknown.contains(u"\u201cxx\u201d"_s) && unknown.endsWith(u"\n2"_s),
             qPrintable(unknown));
}

// Every visible text of the screen: not an English source that has a German translation, and
// without English words, once the data (product, category and cashier names), numbers and money
// are taken out.
void TestTranslations::checkGerman(QWidget *screen, const QString &screenName)
{
    QList<Visible> texts;
    collectTexts(screen, &texts);
    QVERIFY2(!texts.isEmpty(), qPrintable(screenName));
    static const QRegularExpression word(u"[A-Za-z]+"_s);
    for (const Visible &visible : std::as_const(texts)) {
        QString text = withoutAccelerator(visible.text);
        if (const auto german = m_englishWithGerman.constFind(text.trimmed());
            german != m_englishWithGerman.cend()) {
            m_found << u"%1 %2: \u201c%3\u201d (German: \u201c%4\u201d)"_s.arg(
                screenName, visible.where, text, *german);
            continue;
        }
        for (const QString &name : std::as_const(m_dataNames))
            text.replace(name, u" "_s);
        for (const QRegularExpressionMatch &match : word.globalMatch(text)) {
            if (englishWords().contains(match.captured(0))) {
                m_found << u"%1 %2: \u201c%3\u201d (the English word \u201c%4\u201d)"_s.arg(
                    screenName, visible.where, visible.text.left(200), match.captured(0));
                break;
            }
        }
    }
}

void TestTranslations::germanMainScreensShowNoEnglish()
{
    // What German changes: every source whose German translation differs.
    QString error;
    const QStringList tsFiles = QStringLiteral(SAFETILL_TS_FILES).split(u'|');
    const auto german = std::find_if(tsFiles.begin(), tsFiles.end(), [](const QString &file) {
        return file.endsWith(u"_de.ts"_s);
    });
    QVERIFY(german != tsFiles.end());
    for (const Message &message : readTs(*german, &error)) {
        const QString source = withoutAccelerator(message.source).trimmed();
        const QString translation = message.translations.isEmpty()
                                        ? QString()
                                        : withoutAccelerator(message.translations[0]);
        if (!source.isEmpty() && translation.trimmed() != source && !message.numerus &&
            !source.contains(u'%'))
            m_englishWithGerman.insert(source, translation);
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));

    if (qEnvironmentVariable("SAFETILL_TEST_SMOKE_LANGUAGE") != u"en"_s) // to see the check fail
        QVERIFY(Translations::install(u"de"_s, &error));
    Test::TestDatabase db;
    // The data is the shop's own, in its own words (the demo catalog is English), longest first so
    // that "Double espresso" goes before "Espresso".
    for (const QString &sql : {u"SELECT group_concat(name, char(10)) FROM products"_s,
                               u"SELECT group_concat(DISTINCT category) FROM products"_s,
                               u"SELECT group_concat(name, char(10)) FROM cashiers"_s}) {
        const QString joined = Test::queryValue(db.db(), sql).toString();
        m_dataNames << joined.split(sql.contains(u"DISTINCT"_s) ? u',' : u'\n', Qt::SkipEmptyParts);
    }
    std::sort(m_dataNames.begin(), m_dataNames.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    QVERIFY(m_dataNames.contains(u"Espresso"_s));

    Result<std::unique_ptr<TillBackend>> backend = TillBackend::open(DatabaseOptions{db.path()});
    QVERIFY2(backend, qPrintable(backend.message()));
    std::unique_ptr<TillApplication> app = TillApplication::create(backend.take(), {});
    MainWindow *window = app->newWindow();
    QVERIFY(window && QTest::qWaitForWindowExposed(window));
    window->resize(1024, 768); // the size of the README's screenshots

    // The login screen, then the PIN pad for Alice.
    LoginWidget *login = window->loginWidget();
    QPushButton *alice = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((alice = login->findChild<QPushButton *>(u"cashier-Alice"_s)) &&
                                 alice->isVisible(),
                             actionTimeoutMs);
    checkGerman(window, u"login"_s);
    STEP(Test::chooseCashier(window, u"Alice"_s));
    checkGerman(window, u"PIN"_s);
    STEP(Test::enterPin(window, u"Alice"_s, u"1234"_s));

    // The order screen with two items.
    OrderWidget *order = window->orderWidget();
    auto *sku = order->findChild<QLineEdit *>(u"skuEdit"_s);
    QVERIFY(sku);
    for (const QString &code : {u"COF-ESP"_s, u"COF-CAP"_s}) {
        const int before = order->order()->version;
        QTest::mouseClick(sku, Qt::LeftButton);
        QTest::keyClicks(sku, code);
        QTest::keyClick(sku, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!order->actionInFlight() && order->order() &&
                                     order->order()->version > before,
                                 actionTimeoutMs);
    }
    checkGerman(window, u"order"_s);
    const QString screenshot = saveScreenshot(window, u"order-de"_s);
    QVERIFY2(screenshot.isEmpty(), qPrintable(screenshot));

    // The payment dialog, then the receipt after a card payment.
    click(order, u"payButton"_s);
    PaymentDialog *payment = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((payment = visibleChild<PaymentDialog>(window)), actionTimeoutMs);
    checkGerman(payment, u"payment"_s);
    click(payment, u"cardButton"_s);
    checkGerman(payment, u"payment by card"_s);
    click(payment, u"confirmPayment"_s);
    ReceiptDialog *receipt = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((receipt = visibleChild<ReceiptDialog>(window)), actionTimeoutMs);
    checkGerman(receipt, u"receipt"_s);
    click(receipt, u"receiptDone"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!order->actionInFlight(), actionTimeoutMs);

    // The receipts list (Window → Receipts), with the sale in it.
    auto *receiptsAction = window->findChild<QAction *>(u"receiptsAction"_s);
    QVERIFY(receiptsAction);
    receiptsAction->trigger();
    ReceiptsWindow *receipts = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((receipts = visibleTopLevel<ReceiptsWindow>()), actionTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(receipts->model()->rowCount(), 1, actionTimeoutMs);
    checkGerman(receipts, u"receipts"_s);
    receipts->close();

    // The shift window: no shift, then an open one and its X report.
    auto *shiftAction = window->findChild<QAction *>(u"shiftAction"_s);
    QVERIFY(shiftAction);
    shiftAction->trigger();
    ShiftWindow *shift = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((shift = visibleTopLevel<ShiftWindow>()), actionTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!shift->busy(), actionTimeoutMs);
    checkGerman(shift, u"shift"_s);
    auto *floatEdit = shift->findChild<QLineEdit *>(u"shiftFloat"_s);
    QVERIFY(floatEdit);
    QTest::keyClicks(floatEdit, u"100.00"_s);
    click(shift, u"openShift"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!shift->busy() &&
                                 shift->findChild<QPushButton *>(u"closeShift"_s)->isEnabled(),
                             actionTimeoutMs);
    click(shift, u"xReport"_s);
    QTRY_VERIFY_WITH_TIMEOUT(shift->report() && !shift->busy(), actionTimeoutMs);
    checkGerman(shift, u"X report"_s);
    shift->close();

    // And the main window's menus after the login.
    checkGerman(window, u"order (after the sale)"_s);

    m_found.removeDuplicates();
    QVERIFY2(m_found.isEmpty(),
             qPrintable(u"English on the German screens:\n  "_s + m_found.join(u"\n  "_s)));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
