// What one guess at a PIN costs someone who holds its hash (a stolen till: README, "What a stolen
// till reveals"), and what one login costs a till: PinHasher::verify at the production cost
// (PinHasher::standardParameters), timed as CPU time of this thread (what an attacker pays per
// core, whatever else the machine is doing) and as wall time. From the median it prints the time
// to try every 4-digit (10^4) and every 6-digit (10^6) PIN on one core. For comparison: OWASP's
// Argon2id minimum (19 MiB, 2 passes, the cost before issue 13) and the test suites' fast cost.
//
//   safetill-bench-pin-hash [--quick]      (--quick: 3 verifications per cost instead of 7)
//
// Bounded: at most 7 verifications per cost and 90 s in all. Prints SUMMARY lines for bench/run.

#include "PinHasher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <ctime>
#include <vector>

using namespace Qt::StringLiterals;
using namespace SafeTill;

namespace {

double threadCpuSeconds()
{
    timespec now = {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : values.at(values.size() / 2);
}

QString duration(double seconds)
{
    if (seconds < 120)
        return u"%1 s"_s.arg(seconds, 0, 'f', 1);
    if (seconds < 3600)
        return u"%1 min"_s.arg(seconds / 60, 0, 'f', 1);
    if (seconds < 2 * 86400)
        return u"%1 h"_s.arg(seconds / 3600, 0, 'f', 1);
    return u"%1 days"_s.arg(seconds / 86400, 0, 'f', 1);
}

struct Measured
{
    double cpuMs = 0;
    double wallMs = 0;
    int runs = 0;
};

Measured measure(PinHasher::Parameters parameters, int runs, const QElapsedTimer &budget,
                 qint64 budgetMs)
{
    const QString stored = PinHasher::hash(u"480613"_s, parameters);
    if (stored.isEmpty())
        qFatal("could not hash at m=%lld KiB, t=%d", parameters.memoryKiB, parameters.passes);
    std::vector<double> cpu;
    std::vector<double> wall;
    for (int i = 0; i < runs && budget.elapsed() < budgetMs; ++i) {
        // A wrong guess, as an attacker's almost always is; it costs what a right one does.
        const QString guess = u"%1"_s.arg(i, 6, 10, QLatin1Char('0'));
        QElapsedTimer timer;
        timer.start();
        const double before = threadCpuSeconds();
        if (PinHasher::verify(guess, stored))
            qFatal("a wrong PIN verified");
        cpu.push_back((threadCpuSeconds() - before) * 1000);
        wall.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    return {median(cpu), median(wall), int(cpu.size())};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);
    const int runs = quick ? 3 : 7;
    constexpr qint64 budgetMs = 90'000;
    QElapsedTimer budget;
    budget.start();
    QTextStream out(stdout);

    struct Candidate
    {
        QString name;
        PinHasher::Parameters parameters;
        bool production;
    };
    const PinHasher::Parameters standard = PinHasher::standardParameters;
    const std::vector<Candidate> candidates{
        {u"production"_s, standard, true},
        {u"OWASP minimum (before issue 13)"_s, {19 * 1024, 2}, false},
        {u"tests (SAFETILL_PIN_HASH_COST=fast)"_s, PinHasher::parameters(PinHasher::Cost::Fast),
         false},
    };
    for (const Candidate &candidate : candidates) {
        const Measured measured = measure(candidate.parameters, runs, budget, budgetMs);
        const double perGuess = measured.cpuMs / 1000;
        const qint64 kiB = candidate.parameters.memoryKiB;
        const QString cost = (kiB >= 1024 ? u"%1 MiB"_s.arg(kiB / 1024) : u"%1 KiB"_s.arg(kiB)) +
                             u", %1 passes"_s.arg(candidate.parameters.passes);
        out << candidate.name << " (" << cost << "): " << measured.runs << " verifications, median "
            << QString::number(measured.cpuMs, 'f', 1) << " ms CPU, "
            << QString::number(measured.wallMs, 'f', 1) << " ms wall; one core tries 10^4 PINs in "
            << duration(perGuess * 1e4) << ", 10^6 in " << duration(perGuess * 1e6) << Qt::endl;
        if (!candidate.production)
            continue;
        // bench/run's table: the production cost only.
        out << "SUMMARY|pin-hash|ms per guess or login (" << cost << ", CPU)|"
            << QString::number(measured.cpuMs, 'f', 0) << " ms|< 1000 ms (a login)|"
            << (measured.cpuMs < 1000 ? "PASS" : "FAIL") << Qt::endl;
        out << "SUMMARY|pin-hash|ms per login (wall, load "
            << "as measured)|" << QString::number(measured.wallMs, 'f', 0) << " ms|-|-" << Qt::endl;
        out << "SUMMARY|pin-hash|all 10^4 4-digit PINs, one core|" << duration(perGuess * 1e4)
            << "|>= 1 h|" << (perGuess * 1e4 >= 3600 ? "PASS" : "FAIL") << Qt::endl;
        out << "SUMMARY|pin-hash|all 10^6 6-digit PINs, one core|" << duration(perGuess * 1e6)
            << "|-|-" << Qt::endl;
    }
    return 0;
}
