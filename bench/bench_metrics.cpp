// The cost of the server's metrics (server/ServerMetrics): what recording one request costs on
// the hot path, with threads recording at once (relaxed atomics, no lock), and what one scrape of
// GET /metrics costs to render. Prints numbers (and SUMMARY lines, see README.md); not a test.
// Bounded: each measurement stops after --seconds (default 2 s) or its count, whichever first.

#include "ServerMetrics.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <atomic>
#include <thread>
#include <vector>

using namespace SafeTill;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.contains(QStringLiteral("--help"))) {
        QTextStream(stdout) << "safetill-bench-metrics [--quick] [--seconds S]\n"
                               "At most 2 measurements of --seconds each (default 2, --quick 0.5)"
                               " plus 1 s of scrapes.\n";
        return 0;
    }
    double seconds = arguments.contains(QStringLiteral("--quick")) ? 0.5 : 2.0;
    if (const qsizetype at = arguments.indexOf(QStringLiteral("--seconds"));
        at >= 0 && at + 1 < arguments.size())
        seconds = qBound(0.1, arguments.at(at + 1).toDouble(), 30.0);
    const qint64 limitNs = qint64(seconds * 1e9);
    ServerMetrics &metrics = ServerMetrics::instance();
    for (int route = 0; route < 16; ++route)
        metrics.defineRoute(route, {"GET", "/bench/route"});
    QTextStream out(stdout);

    for (const int threads : {1, 4}) {
        constexpr qint64 perThreadCap = 50'000'000;
        std::atomic<qint64> recorded{0};
        QElapsedTimer wall;
        wall.start();
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                QElapsedTimer timer;
                timer.start();
                qint64 count = 0;
                while (count < perThreadCap) {
                    for (int i = 0; i < 1000; ++i, ++count)
                        metrics.recordRequest((t + i) % 16, i % 7 == 0 ? 404 : 200,
                                              250'000 + (i % 50) * 1000);
                    if (timer.nsecsElapsed() > limitNs)
                        break;
                }
                recorded += count;
            });
        }
        for (std::thread &worker : workers)
            worker.join();
        const double nsPerRecord = double(wall.nsecsElapsed()) * threads / double(recorded);
        out << "record one request, " << threads << " thread(s): " << Qt::fixed
            << qSetRealNumberPrecision(1) << nsPerRecord << " ns (" << recorded.load()
            << " recorded)\n";
        out << "SUMMARY|metrics|record one request (" << threads << " threads)|"
            << qSetRealNumberPrecision(1) << nsPerRecord << " ns|-|-\n";
    }

    QElapsedTimer timer;
    timer.start();
    int scrapes = 0;
    qsizetype bytes = 0;
    while (scrapes < 10000 && timer.elapsed() < 1000) {
        bytes = metrics.render().size();
        ++scrapes;
    }
    const double usPerScrape = double(timer.nsecsElapsed()) / 1e3 / scrapes;
    out << "render GET /metrics (17 route series, 2 statuses each): " << qSetRealNumberPrecision(1)
        << usPerScrape << " us, " << bytes << " bytes\n";
    out << "SUMMARY|metrics|render one scrape|" << usPerScrape << " us|-|-\n";
    return 0;
}
