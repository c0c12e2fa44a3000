// QTest checks for the model's typed results: on failure they print the expected and actual
// outcome with the result's message, which is what one needs to see to understand the failure.
#pragma once

#include "Result.h"

#include <QTest>

#define VERIFY_OUTCOME(expr, expected)                                                             \
    do {                                                                                           \
        const auto &result_ = (expr);                                                              \
        QVERIFY2(                                                                                  \
            result_.outcome() == (expected),                                                       \
            qPrintable(QStringLiteral("expected %1, got %2: %3")                                   \
                           .arg(SafeTill::outcomeName(expected),                                   \
                                SafeTill::outcomeName(result_.outcome()), result_.message())));    \
    } while (false)
#define VERIFY_OK(expr) VERIFY_OUTCOME(expr, SafeTill::Outcome::Ok)
