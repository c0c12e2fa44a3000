#include "OpenApiValidator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QSet>

#include <algorithm>
#include <functional>

#include <cmath>

using namespace Qt::StringLiterals;

namespace SafeTill::Test {

namespace {

constexpr int maxRefDepth = 64;

const QSet<QString> &knownKeywords()
{
    // Validated keywords, then annotations the validator may ignore.
    static const QSet<QString> keywords{u"$ref"_s,
                                        u"type"_s,
                                        u"enum"_s,
                                        u"const"_s,
                                        u"properties"_s,
                                        u"required"_s,
                                        u"additionalProperties"_s,
                                        u"items"_s,
                                        u"minItems"_s,
                                        u"maxItems"_s,
                                        u"maxProperties"_s,
                                        u"minimum"_s,
                                        u"maximum"_s,
                                        u"minLength"_s,
                                        u"maxLength"_s,
                                        u"pattern"_s,
                                        u"oneOf"_s,
                                        u"anyOf"_s,
                                        u"allOf"_s,
                                        u"description"_s,
                                        u"title"_s,
                                        u"examples"_s,
                                        u"default"_s,
                                        u"deprecated"_s,
                                        u"readOnly"_s,
                                        u"writeOnly"_s,
                                        u"format"_s};
    return keywords;
}

QString typeOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"boolean"_s;
    case QJsonValue::Double:
        return u"number"_s;
    case QJsonValue::String:
        return u"string"_s;
    case QJsonValue::Array:
        return u"array"_s;
    case QJsonValue::Object:
        return u"object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"undefined"_s;
}

bool isWhole(const QJsonValue &value)
{
    return value.isDouble() && std::isfinite(value.toDouble()) &&
           std::trunc(value.toDouble()) == value.toDouble();
}

bool hasType(const QJsonValue &value, const QString &type)
{
    if (type == u"integer")
        return isWhole(value);
    return typeOf(value) == type;
}

QString shown(const QJsonValue &value)
{
    QString text;
    if (value.isObject())
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    else if (value.isArray())
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    else if (value.isString())
        text = u'"' + value.toString() + u'"';
    else if (value.isDouble())
        text = QString::number(value.toDouble(), 'g', 17);
    else if (value.isBool())
        text = value.toBool() ? u"true"_s : u"false"_s;
    else
        text = u"null"_s;
    return text.size() > 80 ? text.left(77) + u"..."_s : text;
}

// JSON Pointer tokens (RFC 6901).
QString pointerToken(QString token)
{
    return token.replace(u"~1"_s, u"/"_s).replace(u"~0"_s, u"~"_s);
}

QString escapedToken(QString token)
{
    return token.replace(u"~"_s, u"~0"_s).replace(u"/"_s, u"~1"_s);
}

// Path template segments against a request path ("{name}" is one non-empty segment).
bool templateMatches(const QString &pattern, const QString &path)
{
    const QList<QStringView> want = QStringView(pattern).split(u'/');
    const QList<QStringView> have = QStringView(path).split(u'/');
    if (want.size() != have.size())
        return false;
    for (qsizetype i = 0; i < want.size(); ++i) {
        if (want.at(i).startsWith(u'{') && want.at(i).endsWith(u'}')) {
            if (have.at(i).isEmpty())
                return false;
        } else if (want.at(i) != have.at(i)) {
            return false;
        }
    }
    return true;
}

const QStringList httpMethods{u"get"_s,     u"put"_s,  u"post"_s,  u"delete"_s,
                              u"options"_s, u"head"_s, u"patch"_s, u"trace"_s};

} // namespace

bool isConnectionLevelStatus(int status)
{
    // 400/408/411/413/417/431/501/505: the parser or the connection refused the request;
    // 405: HEAD and CONNECT; 503: shutting down.
    static const QSet<int> statuses{400, 405, 408, 411, 413, 417, 431, 501, 503, 505};
    return statuses.contains(status);
}

const OpenApiDocument &OpenApiDocument::shared()
{
    // Built once, for every thread; never destroyed (threads may still check at exit).
    static const OpenApiDocument *const document = [] {
        auto *loaded = new OpenApiDocument;
        QString error;
        if (!loaded->load(QStringLiteral(SAFETILL_OPENAPI_PATH), &error))
            loaded->m_loadError = error;
        return loaded;
    }();
    return *document;
}

bool OpenApiDocument::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"Cannot read %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return loadJson(file.readAll(), error);
}

bool OpenApiDocument::loadJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = u"The OpenAPI document is not a JSON object (%1 at offset %2)."_s
                     .arg(parseError.errorString())
                     .arg(parseError.offset);
        return false;
    }
    m_root = document.object();
    m_loadError.clear();
    return true;
}

std::optional<QJsonValue> OpenApiDocument::resolve(const QString &ref) const
{
    if (!ref.startsWith(u"#/"))
        return std::nullopt; // only references into this document
    QJsonValue at = m_root;
    for (const QString &raw : ref.mid(2).split(u'/')) {
        const QString token = pointerToken(raw);
        if (at.isObject()) {
            if (!at.toObject().contains(token))
                return std::nullopt;
            at = at.toObject().value(token);
        } else if (at.isArray()) {
            bool ok = false;
            const int index = token.toInt(&ok);
            if (!ok || index < 0 || index >= at.toArray().size())
                return std::nullopt;
            at = at.toArray().at(index);
        } else {
            return std::nullopt;
        }
    }
    return at;
}

QJsonObject OpenApiDocument::resolvedObject(const QJsonValue &value, QString *location) const
{
    QJsonValue at = value;
    for (int depth = 0; depth < maxRefDepth && at.isObject() && at.toObject().contains(u"$ref"_s);
         ++depth) {
        const QString ref = at.toObject().value(u"$ref"_s).toString();
        *location = ref;
        at = resolve(ref).value_or(QJsonValue());
    }
    return at.toObject();
}

QRegularExpression OpenApiDocument::regex(const QString &pattern) const
{
    QMutexLocker lock(&m_regexLock);
    auto it = m_regexes.find(pattern);
    if (it == m_regexes.end())
        it = m_regexes.insert(pattern, QRegularExpression(pattern));
    return *it;
}

QStringList OpenApiDocument::validate(const QJsonValue &value, const QJsonValue &schema,
                                      const QString &schemaLocation) const
{
    QStringList errors;
    Context context{&errors};
    validateValue(value, schema, schemaLocation, u"$"_s, context);
    return errors;
}

QStringList OpenApiDocument::validateAgainst(const QJsonValue &value, const QString &ref) const
{
    return validate(value, QJsonObject{{u"$ref"_s, ref}}, ref);
}

void OpenApiDocument::validateValue(const QJsonValue &value, const QJsonValue &schemaValue,
                                    const QString &where, const QString &at, Context &context) const
{
    QStringList &errors = *context.errors;
    auto fail = [&](const QString &message) {
        errors.append(u"at %1: %2 (schema %3)"_s.arg(at, message, where));
    };
    if (schemaValue.isBool()) {
        if (!schemaValue.toBool())
            fail(u"no value is allowed here"_s);
        return;
    }
    if (!schemaValue.isObject()) {
        fail(u"the schema is not an object"_s);
        return;
    }
    const QJsonObject schema = schemaValue.toObject();

    if (schema.contains(u"$ref"_s)) {
        const QString ref = schema.value(u"$ref"_s).toString();
        const std::optional<QJsonValue> target = resolve(ref);
        if (!target) {
            fail(u"$ref %1 does not resolve"_s.arg(ref));
            return;
        }
        if (++context.depth > maxRefDepth) {
            fail(u"$ref nesting deeper than %1"_s.arg(maxRefDepth));
            return;
        }
        validateValue(value, *target, ref, at, context);
        --context.depth;
    }

    if (schema.contains(u"type"_s)) {
        const QJsonValue type = schema.value(u"type"_s);
        QStringList types;
        if (type.isArray()) {
            for (const QJsonValue &one : type.toArray())
                types.append(one.toString());
        } else {
            types.append(type.toString());
        }
        const bool any = std::any_of(types.begin(), types.end(),
                                     [&](const QString &one) { return hasType(value, one); });
        if (!any) {
            fail(u"%1 is %2, not %3"_s.arg(shown(value), typeOf(value), types.join(u" or "_s)));
            return; // the other keywords would only repeat it
        }
    }
    if (schema.contains(u"const"_s) && value != schema.value(u"const"_s))
        fail(u"%1 is not %2"_s.arg(shown(value), shown(schema.value(u"const"_s))));
    if (schema.contains(u"enum"_s) && !schema.value(u"enum"_s).toArray().contains(value)) {
        fail(u"%1 is not one of %2"_s.arg(shown(value), shown(schema.value(u"enum"_s))));
    }

    if (value.isDouble()) {
        const double number = value.toDouble();
        if (schema.contains(u"minimum"_s) && number < schema.value(u"minimum"_s).toDouble()) {
            fail(u"%1 is less than the minimum %2"_s.arg(shown(value),
                                                         shown(schema.value(u"minimum"_s))));
        }
        if (schema.contains(u"maximum"_s) && number > schema.value(u"maximum"_s).toDouble()) {
            fail(u"%1 is more than the maximum %2"_s.arg(shown(value),
                                                         shown(schema.value(u"maximum"_s))));
        }
    }

    if (value.isString()) {
        const QString text = value.toString();
        const qsizetype length = text.toUcs4().size();
        if (schema.contains(u"minLength"_s) && length < schema.value(u"minLength"_s).toInteger())
            fail(u"%1 is shorter than %2 characters"_s.arg(shown(value))
                     .arg(schema.value(u"minLength"_s).toInteger()));
        if (schema.contains(u"maxLength"_s) && length > schema.value(u"maxLength"_s).toInteger())
            fail(u"%1 is longer than %2 characters"_s.arg(shown(value))
                     .arg(schema.value(u"maxLength"_s).toInteger()));
        if (schema.contains(u"pattern"_s)) {
            const QRegularExpression expression = regex(schema.value(u"pattern"_s).toString());
            if (!expression.isValid())
                fail(u"the pattern is not a valid regular expression"_s);
            else if (!expression.match(text).hasMatch())
                fail(u"%1 does not match %2"_s.arg(shown(value),
                                                   schema.value(u"pattern"_s).toString()));
        }
    }

    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (schema.contains(u"minItems"_s) &&
            array.size() < schema.value(u"minItems"_s).toInteger())
            fail(u"%1 items, fewer than %2"_s.arg(array.size())
                     .arg(schema.value(u"minItems"_s).toInteger()));
        if (schema.contains(u"maxItems"_s) &&
            array.size() > schema.value(u"maxItems"_s).toInteger())
            fail(u"%1 items, more than %2"_s.arg(array.size())
                     .arg(schema.value(u"maxItems"_s).toInteger()));
        if (schema.contains(u"items"_s)) {
            for (qsizetype i = 0; i < array.size(); ++i) {
                validateValue(array.at(i), schema.value(u"items"_s), where + u"/items"_s,
                              at + u'[' + QString::number(i) + u']', context);
            }
        }
    }

    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const QJsonObject properties = schema.value(u"properties"_s).toObject();
        for (const QJsonValue &name : schema.value(u"required"_s).toArray()) {
            if (!object.contains(name.toString()))
                fail(u"the member \u201c%1\u201d is missing"_s.arg(name.toString()));
        }
        if (schema.contains(u"maxProperties"_s) &&
            object.size() > schema.value(u"maxProperties"_s).toInteger())
            fail(u"%1 members, more than %2"_s.arg(object.size())
                     .arg(schema.value(u"maxProperties"_s).toInteger()));
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString member = at + u'.' + it.key();
            if (properties.contains(it.key())) {
                validateValue(it.value(), properties.value(it.key()),
                              where + u"/properties/"_s + escapedToken(it.key()), member, context);
                continue;
            }
            const QJsonValue additional = schema.value(u"additionalProperties"_s);
            if (additional.isBool() && !additional.toBool()) {
                fail(u"the member \u201c%1\u201d is not in the schema"_s.arg(it.key()));
            } else if (additional.isObject()) {
                validateValue(it.value(), additional, where + u"/additionalProperties"_s, member,
                              context);
            }
        }
    }

    if (schema.contains(u"allOf"_s)) {
        const QJsonArray all = schema.value(u"allOf"_s).toArray();
        for (qsizetype i = 0; i < all.size(); ++i)
            validateValue(value, all.at(i), where + u"/allOf/"_s + QString::number(i), at, context);
    }
    for (const QString &keyword : {u"anyOf"_s, u"oneOf"_s}) {
        if (!schema.contains(keyword))
            continue;
        const QJsonArray branches = schema.value(keyword).toArray();
        QStringList why;
        int matched = 0;
        for (qsizetype i = 0; i < branches.size(); ++i) {
            QStringList branchErrors;
            Context branch{&branchErrors, context.depth};
            validateValue(value, branches.at(i), where + u'/' + keyword + u'/' + QString::number(i),
                          at, branch);
            if (branchErrors.isEmpty())
                ++matched;
            else
                why.append(branchErrors.first());
        }
        if (matched == 0) {
            fail(u"%1 matches none of the %2 alternatives: %3"_s.arg(shown(value), keyword,
                                                                     why.join(u"; "_s)));
        } else if (keyword == u"oneOf" && matched > 1) {
            fail(u"%1 matches %2 of the oneOf alternatives, not exactly one"_s.arg(shown(value))
                     .arg(matched));
        }
    }
}

QList<QPair<QByteArray, QString>> OpenApiDocument::operations() const
{
    QList<QPair<QByteArray, QString>> result;
    const QJsonObject paths = m_root.value(u"paths"_s).toObject();
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        const QJsonObject item = path.value().toObject();
        for (auto method = item.begin(); method != item.end(); ++method) {
            if (httpMethods.contains(method.key()))
                result.append({method.key().toUpper().toLatin1(), path.key()});
        }
    }
    return result;
}

std::optional<QString> OpenApiDocument::pathTemplate(const QString &path) const
{
    QString normalized = path;
    if (normalized.size() > 1 && normalized.endsWith(u'/'))
        normalized.chop(1);
    const QJsonObject paths = m_root.value(u"paths"_s).toObject();
    // A literal path wins over a template that also matches it.
    if (paths.contains(normalized))
        return normalized;
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        if (templateMatches(it.key(), normalized))
            return it.key();
    }
    return std::nullopt;
}

QStringList OpenApiDocument::checkResponse(const QByteArray &method, const QString &path,
                                           int status, const QHash<QByteArray, QByteArray> &headers,
                                           const QByteArray &body) const
{
    if (!m_loadError.isEmpty())
        return {m_loadError};
    const QString what = method.isEmpty()
                             ? u"an unreadable request -> %1"_s.arg(status)
                             : u"%1 %2 -> %3"_s.arg(QString::fromLatin1(method), path).arg(status);
    const QJsonObject components = m_root.value(u"components"_s).toObject();
    const QString errorRef = u"#/components/schemas/Error"_s;
    // Not an operation of the document: the router's 404/405, or a refusal before routing.
    auto checkRefusal = [&](std::initializer_list<int> allowed) -> QStringList {
        if (!isConnectionLevelStatus(status) &&
            std::find(allowed.begin(), allowed.end(), status) == allowed.end()) {
            return {what + u": this status is not documented for a request that is not one of "
                           "the document's operations"_s};
        }
        QStringList problems;
        if (headers.value("content-type") != "application/json")
            problems.append(what + u": Content-Type is \u201c%1\u201d, not application/json"_s.arg(
                                       QString::fromLatin1(headers.value("content-type"))));
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            problems.append(what + u": the body is not JSON: "_s + parseError.errorString());
            return problems;
        }
        const QJsonValue value =
            document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
        for (const QString &problem : validateAgainst(value, errorRef))
            problems.append(what + u": body "_s + problem);
        return problems;
    };
    if (method.isEmpty())
        return checkRefusal({});
    const std::optional<QString> found = pathTemplate(path);
    if (!found)
        return checkRefusal({404});
    const QJsonObject item = m_root.value(u"paths"_s).toObject().value(*found).toObject();
    const QString methodKey = QString::fromLatin1(method).toLower();
    if (!item.contains(methodKey) || !httpMethods.contains(methodKey)) {
        QStringList problems = checkRefusal({405});
        if (status == 405 && headers.contains("allow")) {
            // The router's Allow names exactly the document's methods for this path.
            QSet<QString> allowed;
            for (const QByteArray &one : headers.value("allow").split(','))
                allowed.insert(QString::fromLatin1(one.trimmed()));
            QSet<QString> documented;
            for (auto it = item.begin(); it != item.end(); ++it) {
                if (httpMethods.contains(it.key()))
                    documented.insert(it.key().toUpper());
            }
            if (allowed != documented) {
                problems.append(
                    what + u": Allow is \u201c%1\u201d but the document has %2"_s.arg(
                               QString::fromLatin1(headers.value("allow")),
                               QStringList(documented.begin(), documented.end()).join(u", "_s)));
            }
        }
        return problems;
    }
    const QJsonObject operation = item.value(methodKey).toObject();
    const QJsonObject responses = operation.value(u"responses"_s).toObject();
    const QString statusKey = QString::number(status);
    if (!responses.contains(statusKey)) {
        return {what + u": the status %1 is not documented for %2 %3 (documented: %4)"_s.arg(
                           statusKey, QString::fromLatin1(method), *found,
                           responses.keys().join(u", "_s))};
    }
    QString location =
        u"#/paths/%1/%2/responses/%3"_s.arg(escapedToken(*found), methodKey, statusKey);
    const QJsonObject response = resolvedObject(responses.value(statusKey), &location);
    Q_UNUSED(components)
    return checkAgainstResponse(what, response, location, headers, body);
}

QStringList OpenApiDocument::checkAgainstResponse(const QString &what, const QJsonObject &response,
                                                  const QString &responseLocation,
                                                  const QHash<QByteArray, QByteArray> &headers,
                                                  const QByteArray &body) const
{
    QStringList problems;
    const QJsonObject documentedHeaders = response.value(u"headers"_s).toObject();
    for (auto it = documentedHeaders.begin(); it != documentedHeaders.end(); ++it) {
        QString headerLocation = responseLocation + u"/headers/"_s + it.key();
        const QJsonObject header = resolvedObject(it.value(), &headerLocation);
        const QByteArray name = it.key().toLower().toLatin1();
        if (!headers.contains(name)) {
            if (header.value(u"required"_s).toBool())
                problems.append(what +
                                u": the header %1 is missing (%2)"_s.arg(it.key(), headerLocation));
            continue;
        }
        for (const QString &problem :
             validate(QString::fromLatin1(headers.value(name)), header.value(u"schema"_s),
                      headerLocation + u"/schema"_s))
            problems.append(what + u": header "_s + it.key() + u' ' + problem);
    }
    const QJsonObject content = response.value(u"content"_s).toObject();
    const QByteArray contentType = headers.value("content-type").split(';').first().trimmed();
    if (content.isEmpty()) {
        if (!body.isEmpty() || headers.contains("content-type") ||
            headers.contains("content-length")) {
            problems.append(what + u": the document gives this response no body, but it has "
                                   "one (or a Content-Type or Content-Length)"_s);
        }
        return problems;
    }
    if (!content.contains(QString::fromLatin1(contentType))) {
        problems.append(what + u": Content-Type is \u201c%1\u201d, the document has %2"_s.arg(
                                   QString::fromLatin1(contentType), content.keys().join(u", "_s)));
        return problems;
    }
    const QJsonObject media = content.value(QString::fromLatin1(contentType)).toObject();
    if (contentType != "application/json") {
        const QStringList schemaProblems =
            validate(QString::fromUtf8(body), media.value(u"schema"_s), responseLocation);
        for (const QString &problem : schemaProblems)
            problems.append(what + u": body "_s + problem);
        return problems;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        problems.append(what + u": the body is not JSON: "_s + parseError.errorString());
        return problems;
    }
    const QJsonValue value =
        document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    const QString schemaLocation = responseLocation + u"/content/application~1json/schema"_s;
    for (const QString &problem : validate(value, media.value(u"schema"_s), schemaLocation))
        problems.append(what + u": body "_s + problem);
    return problems;
}

QStringList OpenApiDocument::checkDocument() const
{
    QStringList problems;
    if (!m_loadError.isEmpty())
        return {m_loadError};
    if (!m_root.value(u"openapi"_s).toString().startsWith(u"3.1."_s))
        problems.append(u"\u201copenapi\u201d is not 3.1.x"_s);
    for (const QString &member : {u"info"_s, u"paths"_s, u"components"_s}) {
        if (!m_root.value(member).isObject())
            problems.append(u"\u201c%1\u201d is missing"_s.arg(member));
    }
    const QJsonObject info = m_root.value(u"info"_s).toObject();
    if (!info.value(u"title"_s).isString() || !info.value(u"version"_s).isString())
        problems.append(u"info needs a title and a version"_s);

    // Every $ref anywhere resolves.
    std::function<void(const QJsonValue &, const QString &)> walkRefs =
        [&](const QJsonValue &value, const QString &location) {
            if (value.isObject()) {
                const QJsonObject object = value.toObject();
                for (auto it = object.begin(); it != object.end(); ++it) {
                    if (it.key() == u"$ref" &&
                        (!it.value().isString() || !resolve(it.value().toString()))) {
                        problems.append(
                            u"%1: $ref %2 does not resolve"_s.arg(location, it.value().toString()));
                    }
                    walkRefs(it.value(), location + u'/' + escapedToken(it.key()));
                }
            } else if (value.isArray()) {
                const QJsonArray array = value.toArray();
                for (qsizetype i = 0; i < array.size(); ++i)
                    walkRefs(array.at(i), location + u'/' + QString::number(i));
            }
        };
    walkRefs(m_root, u"#"_s);

    // Every schema uses only keywords the validator knows.
    std::function<void(const QJsonValue &, const QString &)> walkSchema =
        [&](const QJsonValue &value, const QString &location) {
            if (value.isBool())
                return;
            if (!value.isObject()) {
                problems.append(location + u": a schema must be an object or a boolean"_s);
                return;
            }
            const QJsonObject schema = value.toObject();
            for (auto it = schema.begin(); it != schema.end(); ++it) {
                if (!knownKeywords().contains(it.key()) && !it.key().startsWith(u"x-"))
                    problems.append(u"%1: the keyword \u201c%2\u201d is not supported by the "
                                    "validator"_s.arg(location, it.key()));
            }
            if (schema.contains(u"pattern"_s) &&
                !QRegularExpression(schema.value(u"pattern"_s).toString()).isValid())
                problems.append(location + u": the pattern is not valid"_s);
            const QJsonObject properties = schema.value(u"properties"_s).toObject();
            for (auto it = properties.begin(); it != properties.end(); ++it)
                walkSchema(it.value(), location + u"/properties/"_s + escapedToken(it.key()));
            for (const QString &key : {u"items"_s, u"additionalProperties"_s}) {
                if (schema.contains(key))
                    walkSchema(schema.value(key), location + u'/' + key);
            }
            for (const QString &key : {u"oneOf"_s, u"anyOf"_s, u"allOf"_s}) {
                const QJsonArray branches = schema.value(key).toArray();
                for (qsizetype i = 0; i < branches.size(); ++i)
                    walkSchema(branches.at(i), location + u'/' + key + u'/' + QString::number(i));
            }
        };
    const QJsonObject components = m_root.value(u"components"_s).toObject();
    const QJsonObject schemas = components.value(u"schemas"_s).toObject();
    for (auto it = schemas.begin(); it != schemas.end(); ++it)
        walkSchema(it.value(), u"#/components/schemas/"_s + it.key());
    auto walkMedia = [&](const QJsonObject &holder, const QString &location) {
        const QJsonObject content = holder.value(u"content"_s).toObject();
        for (auto it = content.begin(); it != content.end(); ++it)
            walkSchema(it.value().toObject().value(u"schema"_s),
                       location + u"/content/"_s + escapedToken(it.key()) + u"/schema"_s);
        const QJsonObject headerMap = holder.value(u"headers"_s).toObject();
        for (auto it = headerMap.begin(); it != headerMap.end(); ++it) {
            if (!it.value().toObject().contains(u"$ref"_s))
                walkSchema(it.value().toObject().value(u"schema"_s),
                           location + u"/headers/"_s + it.key() + u"/schema"_s);
        }
    };
    const QJsonObject responsesComponent = components.value(u"responses"_s).toObject();
    for (auto it = responsesComponent.begin(); it != responsesComponent.end(); ++it)
        walkMedia(it.value().toObject(), u"#/components/responses/"_s + it.key());
    const QJsonObject headerComponents = components.value(u"headers"_s).toObject();
    for (auto it = headerComponents.begin(); it != headerComponents.end(); ++it)
        walkSchema(it.value().toObject().value(u"schema"_s),
                   u"#/components/headers/"_s + it.key() + u"/schema"_s);

    // Every operation has responses, each with a description; every status is a number.
    const QJsonObject paths = m_root.value(u"paths"_s).toObject();
    QSet<QString> operationIds;
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        if (!path.key().startsWith(u'/'))
            problems.append(u"the path %1 does not start with /"_s.arg(path.key()));
        const QJsonObject item = path.value().toObject();
        for (auto method = item.begin(); method != item.end(); ++method) {
            const QString location = u"#/paths/%1/%2"_s.arg(escapedToken(path.key()), method.key());
            if (!httpMethods.contains(method.key())) {
                problems.append(location + u": not an HTTP method"_s);
                continue;
            }
            const QJsonObject operation = method.value().toObject();
            const QString id = operation.value(u"operationId"_s).toString();
            if (id.isEmpty() || operationIds.contains(id))
                problems.append(location + u": a missing or repeated operationId"_s);
            operationIds.insert(id);
            if (operation.contains(u"requestBody"_s))
                walkMedia(operation.value(u"requestBody"_s).toObject(),
                          location + u"/requestBody"_s);
            const QJsonObject responses = operation.value(u"responses"_s).toObject();
            if (responses.isEmpty())
                problems.append(location + u": no responses"_s);
            for (auto response = responses.begin(); response != responses.end(); ++response) {
                bool numeric = false;
                const int status = response.key().toInt(&numeric);
                if (!numeric || status < 100 || status > 599)
                    problems.append(location +
                                    u": the response key %1 is not a status"_s.arg(response.key()));
                QString at = location + u"/responses/"_s + response.key();
                const QJsonObject resolved = resolvedObject(response.value(), &at);
                if (!resolved.value(u"description"_s).isString())
                    problems.append(at + u": a response needs a description"_s);
                if (!response.value().toObject().contains(u"$ref"_s))
                    walkMedia(resolved, at);
            }
        }
    }
    const QJsonObject schemes = components.value(u"securitySchemes"_s).toObject();
    for (const QJsonValue &requirement : m_root.value(u"security"_s).toArray()) {
        for (const QString &name : requirement.toObject().keys()) {
            if (!schemes.contains(name))
                problems.append(u"the security scheme %1 is not defined"_s.arg(name));
        }
    }
    return problems;
}

} // namespace SafeTill::Test
