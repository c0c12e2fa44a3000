#pragma once

#include "HttpMessage.h"

#include <optional>

namespace SafeTill {

class Database;

// The terminal sync endpoints, /api/sync/v1/pull and /api/sync/v1/push (docs/sync-protocol.md).
// They authenticate a device token (never a cashier's), and run on the worker thread that called
// them, on that thread's connection. Never throws: every failure becomes a response.
class SyncApi
{
public:
    SyncApi(Database &database, const HttpRequest &request)
        : m_db(database)
        , m_request(request)
    {}

    HttpResponse pull() noexcept;
    HttpResponse push() noexcept;

private:
    struct Device
    {
        QString id;
        QString name;
        QString receiptPrefix;
    };
    // The calling device, or the 401/403/503 response in *refusal.
    std::optional<Device> authenticate(HttpResponse *refusal);
    // The device's receipt prefix, assigned on its first pull.
    std::optional<QString> receiptPrefixFor(const Device &device, HttpResponse *refusal);

    Database &m_db;
    const HttpRequest &m_request;
};

} // namespace SafeTill
