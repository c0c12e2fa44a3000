#pragma once

// Small helpers every benchmark program uses.

#include <QString>
#include <QTextStream>
#include <QUuid>

#include <cstdio>

namespace SafeTill::BenchSupport {

// The report goes to stdout (bench/run reads its SUMMARY lines).
inline QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

inline QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace SafeTill::BenchSupport
