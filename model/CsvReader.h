#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace SafeTill {

// RFC 4180 CSV: quoted fields, doubled quotes, separators and line breaks inside quotes, CRLF or
// LF, an optional UTF-8 byte order mark. Each record remembers the line it started on, so errors
// can name it.
struct CsvRecord
{
    int line = 0;
    QStringList fields;
};

struct CsvParse
{
    QList<CsvRecord> records;
    QString error; // empty when the text parsed
};

CsvParse parseCsv(const QByteArray &data);

} // namespace SafeTill
