#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#include <memory>

using namespace Qt::StringLiterals;

namespace SafeTill::Translations {

namespace {

struct Installed
{
    QString language = u"en"_s;
    std::unique_ptr<QTranslator> ours;
    std::unique_ptr<QTranslator> qt;
};

Installed &installed()
{
    static Installed state;
    return state;
}

// "de_DE", "de-AT" and "de" all mean German to us.
QString baseLanguage(const QString &name)
{
    return name.section(u'_', 0, 0).section(u'-', 0, 0).toLower();
}

} // namespace

QStringList available()
{
    return {u"en"_s, u"de"_s, u"fr"_s};
}

QString nativeName(const QString &language)
{
    const QLocale locale(language);
    QString name = locale.nativeLanguageName();
    if (!name.isEmpty())
        name[0] = name[0].toUpper(); // "français" -> "Français" in a list of choices
    return name;
}

QString choose(const QString &requested)
{
    const QStringList languages = available();
    if (!requested.isEmpty())
        return baseLanguage(requested);
    const QString setting =
        baseLanguage(QSettings().value(QLatin1StringView(settingsKey)).toString());
    if (languages.contains(setting))
        return setting;
    for (const QString &ui : QLocale::system().uiLanguages()) {
        if (const QString language = baseLanguage(ui); languages.contains(language))
            return language;
    }
    return languages.front();
}

bool install(const QString &requested, QString *error)
{
    const QString language = baseLanguage(requested);
    if (!available().contains(language)) {
        if (error) {
            *error =
                QCoreApplication::translate(
                    "SafeTill::Translations",
                    "There is no translation for the language \u201c%1\u201d; choose one of: %2.")
                    .arg(requested, available().join(u", "_s));
        }
        return false;
    }
    Installed &state = installed();
    for (std::unique_ptr<QTranslator> *translator : {&state.ours, &state.qt}) {
        if (*translator) {
            QCoreApplication::removeTranslator(translator->get());
            translator->reset();
        }
    }
    state.language = u"en"_s;
    if (language == u"en"_s)
        return true;
    auto ours = std::make_unique<QTranslator>();
    if (!ours->load(u":/i18n/safetill_"_s + language)) {
        if (error) {
            *error = QCoreApplication::translate("SafeTill::Translations",
                                                 "The translation for \u201c%1\u201d is missing.")
                         .arg(language);
        }
        return false;
    }
    // Qt's own texts: "qt_LANG" bundles qtbase and the other modules' catalogues.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(QLocale(language), u"qt"_s, u"_"_s,
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        state.qt = std::move(qt);
    }
    QCoreApplication::installTranslator(ours.get());
    state.ours = std::move(ours);
    state.language = language;
    return true;
}

QString current()
{
    return installed().language;
}

} // namespace SafeTill::Translations
