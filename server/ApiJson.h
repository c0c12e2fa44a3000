#pragma once

#include "Types.h"

#include <QJsonObject>

namespace SafeTill {

// The HTTP API's JSON (camelCase, money in integer cents). A pure function of the domain value,
// so a replayed idempotent request, rebuilt from the stored result, gets the same body.
QJsonObject apiJson(const Order &order);
QJsonObject apiJson(const Tab &tab);
QJsonObject apiJson(const Payment &payment);

} // namespace SafeTill
