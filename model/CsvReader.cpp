#include "CsvReader.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

CsvParse parseCsv(const QByteArray &data)
{
    CsvParse result;
    QString text = QString::fromUtf8(data);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);

    CsvRecord record;
    QString field;
    bool inQuotes = false;
    bool fieldWasQuoted = false;
    int line = 1;
    record.line = 1;

    const auto endField = [&] {
        record.fields << field;
        field.clear();
        fieldWasQuoted = false;
    };
    const auto endRecord = [&] {
        endField();
        const bool blank = record.fields.size() == 1 && record.fields.front().trimmed().isEmpty();
        if (!blank)
            result.records << record;
        record = CsvRecord{line, {}};
    };

    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == u'\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == u'"') {
            if (!field.trimmed().isEmpty() || fieldWasQuoted) {
                result.error = u"line %1: a quote inside an unquoted field"_s.arg(line);
                return result;
            }
            field.clear();
            inQuotes = true;
            fieldWasQuoted = true;
        } else if (c == u',') {
            endField();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            continue; // the \n ends the record
        } else if (c == u'\n') {
            ++line;
            endRecord();
        } else {
            if (fieldWasQuoted && !c.isSpace()) {
                result.error = u"line %1: text after a closing quote"_s.arg(line);
                return result;
            }
            if (!fieldWasQuoted)
                field += c;
        }
    }
    if (inQuotes) {
        result.error = u"line %1: a quoted field is never closed"_s.arg(record.line);
        return result;
    }
    if (!field.isEmpty() || !record.fields.isEmpty())
        endRecord();
    return result;
}

} // namespace SafeTill
