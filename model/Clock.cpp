#include "Clock.h"

#include <QTimeZone>

namespace SafeTill {

namespace {
class SystemClock : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};
} // namespace

const Clock &Clock::system()
{
    static const SystemClock clock;
    return clock;
}

QString toStorageTime(const QDateTime &time)
{
    if (!time.isValid())
        return QString();
    // Qt::ISODateWithMs of the UTC time, "yyyy-MM-ddTHH:mm:ss.zzzZ", written here for the years
    // of four digits (QDateTime::toString takes several times the instructions, and every action
    // stores a few times); Qt writes any other.
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    const QTime clock = utc.time();
    if (date.year() < 1 || date.year() > 9999)
        return utc.toString(Qt::ISODateWithMs);
    char16_t text[24];
    const auto digits = [&text](int at, int value, int count) {
        for (int i = count - 1; i >= 0; --i, value /= 10)
            text[at + i] = char16_t(u'0' + value % 10);
    };
    digits(0, date.year(), 4);
    text[4] = u'-';
    digits(5, date.month(), 2);
    text[7] = u'-';
    digits(8, date.day(), 2);
    text[10] = u'T';
    digits(11, clock.hour(), 2);
    text[13] = u':';
    digits(14, clock.minute(), 2);
    text[16] = u':';
    digits(17, clock.second(), 2);
    text[19] = u'.';
    digits(20, clock.msec(), 3);
    text[23] = u'Z';
    return QString(reinterpret_cast<const QChar *>(text), 24);
}

QDateTime fromStorageTime(const QString &text)
{
    if (text.isEmpty())
        return {};
    // What toStorageTime writes, read here (every order read has a few); anything else by Qt.
    const auto number = [&text](int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; ++i) {
            const char16_t c = text.at(i).unicode();
            if (c < u'0' || c > u'9')
                return -1;
            value = value * 10 + (c - u'0');
        }
        return value;
    };
    if (text.size() == 24 && text.at(4) == u'-' && text.at(7) == u'-' && text.at(10) == u'T' &&
        text.at(13) == u':' && text.at(16) == u':' && text.at(19) == u'.' && text.at(23) == u'Z') {
        const QDate date(number(0, 4), number(5, 2), number(8, 2));
        const int hour = number(11, 2);
        const int minute = number(14, 2);
        const int second = number(17, 2);
        const int msec = number(20, 3);
        if (date.isValid() && date.year() >= 1 && QTime::isValid(hour, minute, second, msec))
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
            // Qt 6.8 deprecates the Qt::TimeSpec constructor; QTimeZone::UTC is 6.5's.
            return QDateTime(date, QTime(hour, minute, second, msec), QTimeZone::UTC);
#else
            return QDateTime(date, QTime(hour, minute, second, msec), Qt::UTC);
#endif
    }
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    return time.toUTC();
}

} // namespace SafeTill
