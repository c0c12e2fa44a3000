#pragma once

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace SafeTill {

// The app's languages (issue 16): English is the source language, German and French are
// translated in translations/safetill_*.ts, compiled by qt_add_translations and embedded as the
// resource :/i18n/safetill_LANG.qm. Qt's own texts (the standard buttons, the file dialog...)
// come from the system's Qt translations (QLibraryInfo::TranslationsPath, Debian's
// qt6-translations-l10n).
namespace Translations {

// The QSettings key holding the chosen language ("de", "fr", "en"); empty or missing: the system
// locale decides.
inline constexpr char settingsKey[] = "ui/language";

// The language codes the app is translated into, the source language first: {"en", "de", "fr"}.
QStringList available();

// The language's own name for itself ("Deutsch", "Français", "English").
QString nativeName(const QString &language);

// The language to use: `requested` when not empty (the --language option), else the setting
// ui/language, else the first of the system's UI languages that the app has. Always one of
// available().
QString choose(const QString &requested = {});

// Installs the translators for `language` on the application (ours and Qt's own), removing those
// an earlier call installed; English installs none of ours. Returns false, with a message naming
// the language in `error`, when the language is not one of available() or ours fails to load.
// Qt's own translations are optional: a system without them keeps Qt's English texts.
bool install(const QString &language, QString *error = nullptr);

// The language install() made current ("en" before any call).
QString current();

} // namespace Translations
} // namespace SafeTill
