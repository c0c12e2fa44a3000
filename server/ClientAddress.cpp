#include "ClientAddress.h"

#include "HttpMessage.h"

using namespace Qt::StringLiterals;

namespace SafeTill {

std::optional<TrustedProxies> TrustedProxies::parse(const QStringList &entries, QString *error)
{
    TrustedProxies proxies;
    for (const QString &entry : entries) {
        const QString text = entry.trimmed();
        QPair<QHostAddress, int> subnet;
        if (text.contains(u'/')) {
            subnet = QHostAddress::parseSubnet(text);
        } else if (QHostAddress address(text); !address.isNull()) {
            address = canonicalAddress(address);
            subnet = {address, address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128};
        }
        if (subnet.first.isNull() || subnet.second < 0) {
            *error = u"--trusted-proxy \u201c%1\u201d is not an address or a subnet (e.g. "
                     "10.0.0.5, ::1 or 10.0.0.0/8)."_s.arg(entry);
            return std::nullopt;
        }
        proxies.m_subnets.append(subnet);
    }
    return proxies;
}

bool TrustedProxies::contains(const QHostAddress &address) const
{
    const QHostAddress canonical = canonicalAddress(address);
    return std::any_of(m_subnets.begin(), m_subnets.end(), [&](const auto &subnet) {
        return canonical.isInSubnet(subnet.first, subnet.second);
    });
}

QHostAddress canonicalAddress(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        bool mapped = false;
        const quint32 ipv4 = address.toIPv4Address(&mapped);
        if (mapped)
            return QHostAddress(ipv4);
    }
    return address;
}

namespace {

// One node of a forwarded list: "192.0.2.1", "192.0.2.1:4711", "[2001:db8::1]", "[2001:db8::1]:80",
// "2001:db8::1" (X-Forwarded-For writes IPv6 bare), possibly quoted. Null for "unknown", an
// obfuscated identifier ("_hidden") or anything else.
QHostAddress parseNode(QByteArray node)
{
    node = node.trimmed();
    if (node.size() >= 2 && node.startsWith('"') && node.endsWith('"'))
        node = node.mid(1, node.size() - 2).replace("\\", "");
    if (node.startsWith('[')) {
        const qsizetype close = node.indexOf(']');
        if (close < 0)
            return {};
        node = node.mid(1, close - 1);
    } else if (node.count(':') == 1) {
        node = node.left(node.indexOf(':')); // IPv4 with a port
    }
    QHostAddress address;
    if (node.isEmpty() || !address.setAddress(QString::fromLatin1(node)))
        return {};
    return canonicalAddress(address);
}

// Splits at `separator` outside quoted strings.
QList<QByteArray> splitOutsideQuotes(const QByteArray &text, char separator)
{
    QList<QByteArray> parts;
    QByteArray current;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (quoted && c == '\\' && i + 1 < text.size()) {
            current += c;
            current += text.at(++i);
            continue;
        }
        if (c == '"')
            quoted = !quoted;
        if (c == separator && !quoted) {
            parts.append(current);
            current.clear();
        } else {
            current += c;
        }
    }
    parts.append(current);
    return parts;
}

// The for= node of every element of a Forwarded header, in order (nodes it cannot read are
// null); empty when no element has one.
QList<QHostAddress> forwardedFor(const QByteArray &header)
{
    QList<QHostAddress> nodes;
    for (const QByteArray &element : splitOutsideQuotes(header, ',')) {
        for (const QByteArray &pair : splitOutsideQuotes(element, ';')) {
            const qsizetype equals = pair.indexOf('=');
            if (equals > 0 && pair.left(equals).trimmed().compare("for", Qt::CaseInsensitive) == 0)
                nodes.append(parseNode(pair.mid(equals + 1)));
        }
    }
    return nodes;
}

} // namespace

QHostAddress clientAddress(const QHostAddress &peer, const HttpRequest &request,
                           const TrustedProxies &trusted)
{
    const QHostAddress direct = canonicalAddress(peer);
    if (trusted.isEmpty() || !trusted.contains(direct))
        return direct;
    QList<QHostAddress> chain;
    if (request.hasHeader("forwarded"))
        chain = forwardedFor(request.header("forwarded"));
    if (chain.isEmpty() && request.hasHeader("x-forwarded-for")) {
        for (const QByteArray &node : request.header("x-forwarded-for").split(','))
            chain.append(parseNode(node));
    }
    // From the right: each trusted proxy vouches for the node to its left.
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        const QHostAddress &node = chain.at(i);
        if (node.isNull())
            return direct; // the client is hidden: it counts as the proxy
        if (!trusted.contains(node))
            return node;
    }
    // Every node is a trusted proxy: the leftmost one made the request.
    return chain.isEmpty() ? direct : chain.first();
}

} // namespace SafeTill
