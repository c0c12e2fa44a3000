#pragma once

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace SafeTill {

struct HttpRequest;

// The reverse proxies (--trusted-proxy) whose word on the client's address the server takes.
class TrustedProxies
{
public:
    // Each entry an address ("10.0.0.5", "::1") or a CIDR subnet ("10.0.0.0/8"); nullopt and
    // *error (naming the entry) when one is neither.
    static std::optional<TrustedProxies> parse(const QStringList &entries, QString *error);
    bool isEmpty() const { return m_subnets.isEmpty(); }
    bool contains(const QHostAddress &address) const;

private:
    QList<QPair<QHostAddress, int>> m_subnets;
};

// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, what a dual-stack listener reports) as plain IPv4,
// so one client has one key whichever way it came in.
QHostAddress canonicalAddress(const QHostAddress &address);

// The address of the client a request comes from. For a peer that is a trusted proxy: from
// `Forwarded: for=` (RFC 7239) or, without one, `X-Forwarded-For`, the rightmost address that is
// not itself a trusted proxy (the ones to its left were written by the client and prove nothing).
// For any other peer those headers are ignored: the peer is the client. A forwarded list that
// names no usable address (e.g. "unknown" or an obfuscated identifier where the client should be)
// leaves the peer's address.
QHostAddress clientAddress(const QHostAddress &peer, const HttpRequest &request,
                           const TrustedProxies &trusted);

} // namespace SafeTill
