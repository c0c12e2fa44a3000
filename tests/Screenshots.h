// Screenshots of the real windows for the README (docs/screenshots/), shared by the GUI suites:
// always written into the build folder (tests/screenshots/), and copied into docs/screenshots/ of
// the source tree only with SAFETILL_UPDATE_SCREENSHOTS=1 (refreshing the committed copies is a
// deliberate act: each run shows new ids and times).
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPixmap>
#include <QString>

namespace SafeTill::Test {

inline QString screenshotDir()
{
    return QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
}

// docs/screenshots/ of the source tree (this file is tests/Screenshots.h).
inline QString docsScreenshotDir()
{
    return QFileInfo(QStringLiteral(__FILE__))
        .absoluteDir()
        .absoluteFilePath(QStringLiteral("../docs/screenshots"));
}

// Saves pixmap as NAME.png; an empty string when it was written, else what went wrong.
inline QString saveScreenshot(const QPixmap &pixmap, const QString &name)
{
    const QString file = name + QStringLiteral(".png");
    const QString path = screenshotDir() + u'/' + file;
    if (pixmap.isNull())
        return QStringLiteral("nothing was painted for ") + name;
    if (!QDir().mkpath(screenshotDir()) || !pixmap.save(path, "PNG") || QFileInfo(path).size() == 0)
        return QStringLiteral("cannot write ") + path;
    if (qEnvironmentVariableIntValue("SAFETILL_UPDATE_SCREENSHOTS") != 1)
        return {};
    const QString docs = docsScreenshotDir();
    QFile::remove(docs + u'/' + file);
    if (!QDir().mkpath(docs) || !QFile::copy(path, docs + u'/' + file))
        return QStringLiteral("cannot copy to ") + docs;
    return {};
}

} // namespace SafeTill::Test
