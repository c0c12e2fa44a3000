// libFuzzer entry point: the server's request reading (see RequestFuzzing.h). A broken invariant
// aborts, so libFuzzer keeps the input as a crash; AddressSanitizer and UBSan catch the rest.

#include "RequestFuzzing.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString problem = SafeTill::Fuzz::checkRequestBytes(
        QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "fuzz_request: invariant broken: %s\n", qPrintable(problem));
        std::abort();
    }
    return 0;
}
