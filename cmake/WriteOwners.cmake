# One owner per table's writes (README, "Layers"): an order and its lines, payments and tabs are
# written by model/OrderStore only; the history, stored results and outbox by model/ActionJournal;
# review items by model/ReviewStore; a device's cashier list by server/AuthStore and the shop's
# settings by model/ShopSettings; the printed state of receipts by model/PrintStore; the server's
# sign-in tokens and login throttle by server/AuthStore (retention included), except that retiring a cashier (model/CashierService, which
# cannot depend on the server layer) signs their tokens out in the same transaction. A statement
# that writes one of those tables anywhere else in
# the product's sources fails the configure step, so a schema change stays in one place.
# (Tests and benchmarks may write rows directly: they build damaged or historic databases.)
function(safetill_check_write_owners)
  set(owners
    "order_sessions|order_lines|payments|tabs|refunds|refund_lines=model/OrderStore.cpp"
    "shifts|cash_movements=model/ShiftStore.cpp"
    "order_history|idempotency|outbox=model/ActionJournal.cpp model/Retention.cpp sync/SyncStore.cpp"
    "review_items=model/ReviewStore.cpp"
    "device_cashiers=server/AuthStore.cpp"
    "shop_settings=model/ShopSettings.cpp"
    "auth_tokens|login_throttle=server/AuthStore.cpp model/CashierService.cpp"
    "pin_failures=model/CashierService.cpp"
    "receipt_prints=model/PrintStore.cpp"
    # The back office (issue 16): the category order and the history of catalog/cashier changes.
    "product_categories=model/CatalogService.cpp"
    "backoffice_history=model/BackOfficeHistory.cpp")
  file(GLOB_RECURSE sources RELATIVE "${PROJECT_SOURCE_DIR}"
    CONFIGURE_DEPENDS
    "${PROJECT_SOURCE_DIR}/db/*.cpp" "${PROJECT_SOURCE_DIR}/model/*.cpp"
    "${PROJECT_SOURCE_DIR}/sync/*.cpp" "${PROJECT_SOURCE_DIR}/server/*.cpp"
    "${PROJECT_SOURCE_DIR}/ui/*.cpp" "${PROJECT_SOURCE_DIR}/app/*.cpp"
    "${PROJECT_SOURCE_DIR}/services/*.cpp")
  foreach(owner IN LISTS owners)
    string(REPLACE "=" ";" parts "${owner}")
    list(GET parts 0 tables)
    list(GET parts 1 files)
    separate_arguments(files)
    foreach(source IN LISTS sources)
      if(source IN_LIST files)
        continue()
      endif()
      file(STRINGS "${PROJECT_SOURCE_DIR}/${source}" hits
        REGEX "(INSERT INTO|UPDATE|DELETE FROM) (${tables})[ (]")
      if(hits)
        message(FATAL_ERROR "${source} writes a table owned by ${files}: ${hits}\n"
          "Add the write to the owner and call it from there.")
      endif()
    endforeach()
  endforeach()
endfunction()
safetill_check_write_owners()
