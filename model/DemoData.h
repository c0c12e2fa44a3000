#pragma once

#include "Result.h"

namespace SafeTill {

class Database;

// The embedded default: a few cashiers and a café catalog, so a fresh install can be tried at once.
struct DemoCashier
{
    const char16_t *name;
    const char16_t *pin;
    const char16_t *role;
};

inline constexpr DemoCashier demoCashiers[] = {
    {u"Alice", u"1234", u"cashier"},
    {u"Bob", u"5678", u"cashier"},
    {u"Maria", u"9999", u"manager"},
};

struct DemoInstall
{
    int cashiersAdded = 0;
    int productsAdded = 0;
};

// Adds what is missing of the demo data; running it again changes nothing.
Result<DemoInstall> installDemoData(Database &database);

} // namespace SafeTill
