// Checks HTTP answers against docs/openapi.json: the operation (method + path template), the
// status, the documented headers, the Content-Type and the body's JSON Schema. A small validator
// for the subset of JSON Schema 2020-12 the document uses (checkDocument() refuses any other
// keyword, so the document cannot silently outgrow it).
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMutex>
#include <QPair>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>

namespace SafeTill::Test {

class OpenApiDocument
{
public:
    // The repository's docs/openapi.json (SAFETILL_OPENAPI_PATH), loaded once; a document that
    // cannot be read leaves loadError() set and every check failing.
    static const OpenApiDocument &shared();

    bool load(const QString &path, QString *error);
    bool loadJson(const QByteArray &json, QString *error);
    const QJsonObject &root() const { return m_root; }
    QString loadError() const { return m_loadError; }

    // The document's own shape, as the validator needs it: OpenAPI 3.1, every $ref resolves,
    // every operation has responses, every schema keyword is one the validator knows.
    QStringList checkDocument() const;

    // Every operation of the document: {"GET", "/api/tabs/{id}/settle"}, ...
    QList<QPair<QByteArray, QString>> operations() const;
    // The documented path template a request path falls under ("/api/tabs/7/settle" ->
    // "/api/tabs/{id}/settle"), if any; a trailing slash is ignored as the server does.
    std::optional<QString> pathTemplate(const QString &path) const;

    // value against a schema (a JSON object or boolean); schemaLocation names it in messages,
    // e.g. "#/components/schemas/Tab". An empty list: valid.
    QStringList validate(const QJsonValue &value, const QJsonValue &schema,
                         const QString &schemaLocation) const;
    QStringList validateAgainst(const QJsonValue &value, const QString &ref) const;

    // An answer to METHOD path (method empty: the request could not be read, so any
    // connection-level refusal is allowed). Header names in lower case.
    QStringList checkResponse(const QByteArray &method, const QString &path, int status,
                              const QHash<QByteArray, QByteArray> &headers,
                              const QByteArray &body) const;

private:
    struct Context
    {
        QStringList *errors;
        int depth = 0;
    };
    std::optional<QJsonValue> resolve(const QString &ref) const;
    void validateValue(const QJsonValue &value, const QJsonValue &schema,
                       const QString &schemaLocation, const QString &instanceLocation,
                       Context &context) const;
    QJsonObject resolvedObject(const QJsonValue &value, QString *location) const;
    QStringList checkAgainstResponse(const QString &what, const QJsonObject &response,
                                     const QString &responseLocation,
                                     const QHash<QByteArray, QByteArray> &headers,
                                     const QByteArray &body) const;
    QRegularExpression regex(const QString &pattern) const;

    QJsonObject m_root;
    QString m_loadError;
    mutable QMutex m_regexLock;
    mutable QHash<QString, QRegularExpression> m_regexes;
};

// The statuses any request can get from the connection layer (the parser's refusals, a server
// shutting down), whatever its operation.
bool isConnectionLevelStatus(int status);

} // namespace SafeTill::Test
