#pragma once

#include "ApiJson.h"
#include "HttpMessage.h"
#include "Refund.h"
#include "RefundService.h"

#include <QJsonObject>

namespace SafeTill {

// Refunds and voids for managers over HTTP (issue 15): POST /api/refunds, POST /api/voids,
// GET /api/receipts/{receiptNo}/refundable. The bodies are read here (pure functions of the
// request, like ApiJson.h: for what they refuse they return the 422 naming the member); the
// handlers in OrderApi.cpp take the caller from the token and the request id from
// Idempotency-Key, and RefundService enforces the roles.
namespace RefundApi {

// POST /api/refunds: {"receiptNo", "lines": [{"lineId", "quantity"}] (optional: everything not
// refunded yet), "method" (optional: the sale's), "label" (other), "reason",
// "approver": {"name", "pin"}}. The caller fills in the cashier.
Checked<RefundRequest> refundBody(const HttpRequest &request);
// POST /api/voids: {"receiptNo", "reason", "approver"}.
Checked<RefundRequest> voidBody(const HttpRequest &request);

// The API's camelCase shapes of a refund and of what is left to refund of a receipt.
QJsonObject apiJson(const Refund &refund);
QJsonObject apiJson(const RefundableReceipt &receipt);

} // namespace RefundApi

} // namespace SafeTill
