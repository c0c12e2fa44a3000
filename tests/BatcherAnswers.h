#pragma once

#include "WriteBatcher.h"

#include <QFuture>
#include <QPromise>

#include <memory>

namespace SafeTill::Test {

// A write queued on the batcher, as a future the test waits on (result(), isFinished()). Never
// attach a continuation to it: see WriteBatcher::submit().
inline QFuture<HttpResponse> submitted(WriteBatcher &batcher, Route route,
                                       const HttpRequest &request,
                                       const QStringList &parameters = {})
{
    auto promise = std::make_shared<QPromise<HttpResponse>>();
    promise->start();
    QFuture<HttpResponse> future = promise->future();
    batcher.submit(route, request, parameters, [promise](const HttpResponse &response) {
        promise->addResult(response);
        promise->finish();
    });
    return future;
}

} // namespace SafeTill::Test
