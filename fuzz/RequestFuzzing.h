#pragma once

#include <QByteArrayView>
#include <QString>

namespace SafeTill::Fuzz {

// Runs one input through everything the server does to an incoming request before it touches
// the database: HTTP framing and head parsing (HttpRequestParser, as ConnectionGuard drives it),
// then every JSON body and header reader of the API (ApiJson.h, ItemsJson.h). Returns the first
// broken invariant, or an empty string. Shared by the libFuzzer target (fuzz_request) and the
// regression test that replays fuzz/regressions/ and fuzz/corpus/ in the ordinary build.
//
// Input layout: the first byte picks the mode; the rest is the payload.
//   mode & 3 == 3: the payload is an If-Match value, a newline, and a request body;
//   otherwise:     the payload is a byte stream from a client, parsed once whole and once fed in
//                  chunks of (mode >> 2) + 1 bytes — both must give the same requests.
QString checkRequestBytes(QByteArrayView input);

} // namespace SafeTill::Fuzz
