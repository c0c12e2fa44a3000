// Replays every input the request fuzzer found a bug with (fuzz/regressions/) and its seed corpus
// (fuzz/corpus/) through the very checks the libFuzzer target runs (fuzz/RequestFuzzing.h), in
// the ordinary g++ build: a bug that came back fails here, without clang or a fuzzing run.

#include "RequestFuzzing.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;

class FuzzRegressionsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replay_data();
    void replay();
};

void FuzzRegressionsTest::replay_data()
{
    QTest::addColumn<QString>("path");
    const QDir fuzzDir(QStringLiteral(SAFETILL_FUZZ_DIR));
    int rows = 0;
    for (const QString &subdir : {u"regressions"_s, u"corpus"_s}) {
        const QDir dir(fuzzDir.filePath(subdir));
        for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
            if (name.startsWith(u'.') || name.endsWith(u".md"_s))
                continue;
            const QString path = dir.filePath(name);
            QTest::newRow(qPrintable(subdir + u'/' + name)) << path;
            ++rows;
        }
    }
    QVERIFY2(rows > 0, "no inputs in fuzz/regressions or fuzz/corpus");
}

void FuzzRegressionsTest::replay()
{
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    const QByteArray input = file.readAll();
    const QString problem = SafeTill::Fuzz::checkRequestBytes(input);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

QTEST_GUILESS_MAIN(FuzzRegressionsTest)
#include "tst_fuzz_regressions.moc"
