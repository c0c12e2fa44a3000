#pragma once

#include <QDateTime>

namespace SafeTill {

// The time source for every timestamp the model writes; tests substitute a manual clock.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0; // UTC

    static const Clock &system();
};

// A clock that only moves when told to, for tests.
class ManualClock : public Clock
{
public:
    explicit ManualClock(QDateTime start)
        : m_now(start.toUTC())
    {}
    QDateTime now() const override { return m_now; }
    void advance(qint64 ms) { m_now = m_now.addMSecs(ms); }
    void set(const QDateTime &time) { m_now = time.toUTC(); }

private:
    QDateTime m_now;
};

// Timestamps are stored as UTC ISO-8601 with milliseconds, e.g. 2026-11-28T12:39:19.123Z.
QString toStorageTime(const QDateTime &time);
QDateTime fromStorageTime(const QString &text); // invalid QDateTime for empty/NULL

} // namespace SafeTill
