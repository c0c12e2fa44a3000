#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

// A network receipt printer for tests: listens on 127.0.0.1 (a free port) and keeps every byte
// it receives, one entry per connection (one print job each), as a raw TCP 9100 printer does.
class FakePrinter : public QObject
{
public:
    // On a free port, or on `port` (a printer switched on again at its old address).
    explicit FakePrinter(quint16 port = 0)
    {
        m_server.listen(QHostAddress::LocalHost, port);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                const qsizetype job = m_jobs.size();
                m_jobs.append(QByteArray());
                m_open.append(true);
                QObject::connect(socket, &QTcpSocket::readyRead, this,
                                 [this, socket, job] { m_jobs[job] += socket->readAll(); });
                QObject::connect(socket, &QTcpSocket::disconnected, this, [this, socket, job] {
                    m_jobs[job] += socket->readAll();
                    m_open[job] = false;
                    socket->deleteLater();
                });
            }
        });
    }

    bool listening() const { return m_server.isListening(); }
    quint16 port() const { return m_server.serverPort(); }
    // Jobs whose connection was closed by the sender: complete.
    QList<QByteArray> finishedJobs() const
    {
        QList<QByteArray> done;
        for (qsizetype i = 0; i < m_jobs.size(); ++i) {
            if (!m_open.at(i))
                done.append(m_jobs.at(i));
        }
        return done;
    }
    QByteArray allBytes() const
    {
        QByteArray all;
        for (const QByteArray &job : m_jobs)
            all += job;
        return all;
    }
    void close() { m_server.close(); }

private:
    QTcpServer m_server;
    QList<QByteArray> m_jobs;
    QList<bool> m_open;
};
