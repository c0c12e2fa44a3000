<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>CliApp</name>
    <message>
        <source>Pruned %1 sent sync op(s) and %2 stored request result(s) older than %3 day(s) (before %4).</source>
        <translation>%1 gesendete Sync-Vorgänge und %2 gespeicherte Anfrageergebnisse älter als %3 Tage gelöscht (vor %4).</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Price %1, was %2</source>
        <translation>Preis %1, vorher %2</translation>
    </message>
    <message>
        <source>Discount %1 (%2)</source>
        <translation>Rabatt %1 (%2)</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>Zwischensumme</translation>
    </message>
    <message>
        <source>Order discount %1 (%2)</source>
        <translation>Bestellrabatt %1 (%2)</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Bar</translation>
    </message>
    <message>
        <source>Cash rounding</source>
        <translation>Bargeldrundung</translation>
    </message>
    <message>
        <source>Tendered</source>
        <translation>Gegeben</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Rückgeld</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>MwSt.</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>Netto</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>Brutto</translation>
    </message>
    <message>
        <source>Tax number %1</source>
        <translation>Steuernummer %1</translation>
    </message>
    <message>
        <source>Receipt %1</source>
        <translation>Beleg %1</translation>
    </message>
    <message>
        <source>Terminal %1</source>
        <translation>Kasse %1</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>Served by %1</source>
        <translation>Es bediente Sie %1</translation>
    </message>
    <message>
        <source>Tab %1</source>
        <translation>Deckel %1</translation>
    </message>
    <message>
        <source>COPY</source>
        <translation>KOPIE</translation>
    </message>
    <message>
        <source>Reprint: this is not the original receipt.</source>
        <translation>Nachdruck: Dies ist nicht der Originalbeleg.</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <source>Z report %1</source>
        <translation>Kassenabschluss (Z-Bon) %1</translation>
    </message>
    <message>
        <source>X report (the shift so far)</source>
        <translation>X-Bon (Schicht bis jetzt)</translation>
    </message>
    <message>
        <source>Opened %1%2</source>
        <translation>Geöffnet %1%2</translation>
    </message>
    <message>
        <source> by the first sale</source>
        <translation> durch den ersten Verkauf</translation>
    </message>
    <message>
        <source> by %1</source>
        <translation> von %1</translation>
    </message>
    <message>
        <source>Closed %1 by %2</source>
        <translation>Geschlossen %1 von %2</translation>
    </message>
    <message>
        <source>Printed %1</source>
        <translation>Gedruckt %1</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Umsatz</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Belege</translation>
    </message>
    <message>
        <source>%1 %2 net</source>
        <translation>%1 %2 netto</translation>
    </message>
    <message>
        <source>%1 %2 tax</source>
        <translation>%1 %2 MwSt.</translation>
    </message>
    <message>
        <source>%1 %2 gross</source>
        <translation>%1 %2 brutto</translation>
    </message>
    <message>
        <source>Untaxed</source>
        <translation>Steuerfrei</translation>
    </message>
    <message>
        <source>Gross sales</source>
        <translation>Bruttoumsatz</translation>
    </message>
    <message>
        <source>Discounts (lines %1, orders %2)</source>
        <translation>Rabatte (Positionen %1, Bestellungen %2)</translation>
    </message>
    <message>
        <source>Refunds and voids</source>
        <translation>Rückerstattungen und Stornos</translation>
    </message>
    <message>
        <source>Refunds (%1)</source>
        <translation>Rückerstattungen (%1)</translation>
    </message>
    <message>
        <source>Voids (%1)</source>
        <translation>Stornos (%1)</translation>
    </message>
    <message>
        <source>Paid back by %1</source>
        <translation>Zurückgezahlt per %1</translation>
    </message>
    <message>
        <source>Payments taken</source>
        <translation>Erhaltene Zahlungen</translation>
    </message>
    <message>
        <source>of which overpaid (for review)</source>
        <translation>davon überzahlt (zur Prüfung)</translation>
    </message>
    <message>
        <source>Cash movements</source>
        <translation>Bargeldbewegungen</translation>
    </message>
    <message>
        <source>Pay-in</source>
        <translation>Einlage</translation>
    </message>
    <message>
        <source>Pay-out</source>
        <translation>Entnahme</translation>
    </message>
    <message>
        <source>No sale</source>
        <translation>Schublade ohne Verkauf</translation>
    </message>
    <message>
        <source>Cash drawer</source>
        <translation>Kassenlade</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>Wechselgeld (Anfangsbestand)</translation>
    </message>
    <message>
        <source>+ Cash taken</source>
        <translation>+ Bareinnahmen</translation>
    </message>
    <message>
        <source>+ Pay-ins</source>
        <translation>+ Einlagen</translation>
    </message>
    <message>
        <source>− Cash paid back</source>
        <translation>− Bar zurückgezahlt</translation>
    </message>
    <message>
        <source>− Pay-outs</source>
        <translation>− Entnahmen</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Soll</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Gezählt</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>Fehlbetrag</translation>
    </message>
    <message>
        <source>Over</source>
        <translation>Überschuss</translation>
    </message>
    <message>
        <source>Card slips counted</source>
        <translation>Kartenbelege gezählt</translation>
    </message>
    <message>
        <source>Card over/short</source>
        <translation>Karten Überschuss/Fehlbetrag</translation>
    </message>
    <message>
        <source>No sales</source>
        <translation>Keine Verkäufe</translation>
    </message>
    <message>
        <source>Shift report</source>
        <translation>Schichtbericht</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>Testdruck</translation>
    </message>
</context>
<context>
    <name>Retention</name>
    <message>
        <source>The retention period must be from %1 to %2 days.</source>
        <translation>Die Aufbewahrungsfrist muss zwischen %1 und %2 Tagen liegen.</translation>
    </message>
</context>
<context>
    <name>SafeTill::AboutDialog</name>
    <message>
        <source>About SafeTill</source>
        <translation>Über SafeTill</translation>
    </message>
    <message>
        <source>SafeTill %1</source>
        <translation>SafeTill %1</translation>
    </message>
    <message>
        <source>A point-of-sale terminal: no order is lost, duplicated or paid twice.</source>
        <translation>Ein Kassenterminal: Keine Bestellung geht verloren, wird verdoppelt oder doppelt bezahlt.</translation>
    </message>
    <message>
        <source>Licence: MIT (see the LICENSE file that came with it).</source>
        <translation>Lizenz: MIT (siehe die mitgelieferte Datei LICENSE).</translation>
    </message>
    <message>
        <source>Built with Qt %1, running on Qt %2.</source>
        <translation>Erstellt mit Qt %1, läuft unter Qt %2.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ActionJournal</name>
    <message>
        <source>The request id %1 was already used for a different request (%2); nothing was changed. Use a new request id for a new action.</source>
        <translation>Die Anfrage-ID %1 wurde bereits für eine andere Anfrage verwendet (%2); nichts wurde geändert. Verwenden Sie für eine neue Aktion eine neue Anfrage-ID.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ApprovalDialog</name>
    <message>
        <source>Manager approval</source>
        <translation>Freigabe durch Manager</translation>
    </message>
    <message>
        <source>What needs a manager</source>
        <translation>Was eine Freigabe braucht</translation>
    </message>
    <message>
        <source>Approving manager</source>
        <translation>Freigebender Manager</translation>
    </message>
    <message>
        <source>Manager&apos;s PIN</source>
        <translation>PIN des Managers</translation>
    </message>
    <message>
        <source>Approval message</source>
        <translation>Freigabemeldung</translation>
    </message>
    <message>
        <source>&amp;Manager:</source>
        <translation>&amp;Manager:</translation>
    </message>
    <message>
        <source>&amp;PIN:</source>
        <translation>&amp;PIN:</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>&amp;Freigeben</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Freigeben</translation>
    </message>
    <message>
        <source>There is no manager to approve this.</source>
        <translation>Es gibt keinen Manager, der dies freigeben kann.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
</context>
<context>
    <name>SafeTill::Approvals</name>
    <message>
        <source>A refund</source>
        <translation>Eine Rückerstattung</translation>
    </message>
    <message>
        <source>A void</source>
        <translation>Ein Storno</translation>
    </message>
    <message>
        <source>Opening the drawer without a sale</source>
        <translation>Das Öffnen der Schublade ohne Verkauf</translation>
    </message>
    <message>
        <source>A discount above the limit for cashiers</source>
        <translation>Ein Rabatt über dem Limit für Kassierer</translation>
    </message>
    <message>
        <source>A price override</source>
        <translation>Eine Preisänderung</translation>
    </message>
    <message>
        <source>Changing the shop&apos;s settings</source>
        <translation>Das Ändern der Geschäftseinstellungen</translation>
    </message>
    <message>
        <source>The back office</source>
        <translation>Die Verwaltung</translation>
    </message>
    <message>
        <source>%1 needs a manager: ask a manager to approve it with their PIN.</source>
        <translation>%1 braucht einen Manager: Bitten Sie einen Manager, es mit seiner PIN freizugeben.</translation>
    </message>
    <message>
        <source>Not approved: the approver&apos;s PIN is wrong.</source>
        <translation>Nicht freigegeben: Die PIN des Freigebenden ist falsch.</translation>
    </message>
    <message>
        <source>Not approved: %1</source>
        <translation>Nicht freigegeben: %1</translation>
    </message>
    <message>
        <source>Not approved: %1 is not a manager. %2 needs a manager.</source>
        <translation>Nicht freigegeben: %1 ist kein Manager. %2 braucht einen Manager.</translation>
    </message>
    <message>
        <source>Not approved: a cashier cannot approve their own action.</source>
        <translation>Nicht freigegeben: Ein Kassierer kann seine eigene Aktion nicht freigeben.</translation>
    </message>
</context>
<context>
    <name>SafeTill::BackOfficeHistory</name>
    <message>
        <source>This till syncs with %1: cashiers and the catalog are managed on the server and come to this till with the next sync. Nothing was changed here.</source>
        <translation>Diese Kasse synchronisiert mit %1: Kassierer und Katalog werden auf dem Server verwaltet und kommen mit der nächsten Synchronisation an diese Kasse. Hier wurde nichts geändert.</translation>
    </message>
</context>
<context>
    <name>SafeTill::BackOfficeWindow</name>
    <message>
        <source>Back office — %1 (approved by %2)</source>
        <translation>Verwaltung — %1 (freigegeben von %2)</translation>
    </message>
    <message>
        <source>Back office — %1</source>
        <translation>Verwaltung — %1</translation>
    </message>
    <message>
        <source>&amp;Products</source>
        <translation>&amp;Produkte</translation>
    </message>
    <message>
        <source>C&amp;ategories</source>
        <translation>&amp;Kategorien</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Import</translation>
    </message>
    <message>
        <source>Ca&amp;shiers</source>
        <translation>Ka&amp;ssierer</translation>
    </message>
    <message>
        <source>S&amp;hop</source>
        <translation>&amp;Geschäft</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Verlauf</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>Kassierer</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>ausgeschieden</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>(set-up or command line)</source>
        <translation>(Einrichtung oder Befehlszeile)</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Search by SKU, name or category</source>
        <translation>Nach SKU, Name oder Kategorie suchen</translation>
    </message>
    <message>
        <source>Search products</source>
        <translation>Produkte suchen</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Retire</source>
        <translation>&amp;Deaktivieren</translation>
    </message>
    <message>
        <source>Takes the product off the till. It is never deleted: its receipts and reports keep showing it, and Restore puts it back.</source>
        <translation>Nimmt das Produkt von der Kasse. Es wird nie gelöscht: Seine Belege und Berichte zeigen es weiterhin, und Wiederherstellen bringt es zurück.</translation>
    </message>
    <message>
        <source>Re&amp;store</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Choose a product in the list first.</source>
        <translation>Wählen Sie zuerst ein Produkt in der Liste.</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 bearbeiten</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>Neues Produkt</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Open price: the till asks for the price each time</source>
        <translation>Offener Preis: Die Kasse fragt jedes Mal nach dem Preis</translation>
    </message>
    <message>
        <source>SKU / barcode</source>
        <translation>SKU / Barcode</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Price (%1)</source>
        <translation>Preis (%1)</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Tax rate</source>
        <translation>Steuersatz</translation>
    </message>
    <message>
        <source>Price: “%1” is not an amount of %2, such as %3.</source>
        <translation>Preis: „%1“ ist kein Betrag in %2, etwa %3.</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>%1 gespeichert.</translation>
    </message>
    <message>
        <source>Categories in their order on the till</source>
        <translation>Kategorien in ihrer Reihenfolge an der Kasse</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Nach &amp;oben</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>Nach &amp;unten</translation>
    </message>
    <message>
        <source>New category</source>
        <translation>Neue Kategorie</translation>
    </message>
    <message>
        <source>Add &amp;category</source>
        <translation>Kategorie hin&amp;zufügen</translation>
    </message>
    <message>
        <source>Choose a category in the list first.</source>
        <translation>Wählen Sie zuerst eine Kategorie in der Liste.</translation>
    </message>
    <message>
        <source>The till shows the categories in this order.</source>
        <translation>Die Kasse zeigt die Kategorien in dieser Reihenfolge.</translation>
    </message>
    <message>
        <source>Import a CSV &amp;file…</source>
        <translation>CSV-&amp;Datei importieren…</translation>
    </message>
    <message>
        <source>A CSV file with the header sku,name,price_cents and optionally category and tax. New SKUs are added, known ones changed; a file with any problem imports nothing.</source>
        <translation>Eine CSV-Datei mit der Kopfzeile sku,name,price_cents und optional category und tax. Neue SKUs werden hinzugefügt, bekannte geändert; eine Datei mit irgendeinem Problem importiert nichts.</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Import products</source>
        <translation>Produkte importieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1 is larger than %2 MiB.</source>
        <translation>%1 ist größer als %2 MiB.</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Imported: %1 added, %2 changed.</source>
        <translation>Importiert: %1 hinzugefügt, %2 geändert.</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>Nichts wurde importiert.</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Reset &amp;PIN…</source>
        <translation>&amp;PIN zurücksetzen…</translation>
    </message>
    <message>
        <source>Switch &amp;role</source>
        <translation>&amp;Rolle wechseln</translation>
    </message>
    <message>
        <source>A cashier becomes a manager, a manager a cashier.</source>
        <translation>Ein Kassierer wird Manager, ein Manager Kassierer.</translation>
    </message>
    <message>
        <source>The cashier can no longer sign in; their sales keep their name.</source>
        <translation>Der Kassierer kann sich nicht mehr anmelden; seine Verkäufe behalten seinen Namen.</translation>
    </message>
    <message>
        <source>Choose a cashier in the list first.</source>
        <translation>Wählen Sie zuerst einen Kassierer in der Liste.</translation>
    </message>
    <message>
        <source>You cannot change your own role; ask another manager.</source>
        <translation>Sie können Ihre eigene Rolle nicht ändern; bitten Sie einen anderen Manager.</translation>
    </message>
    <message>
        <source>You cannot retire yourself; ask another manager.</source>
        <translation>Sie können sich nicht selbst deaktivieren; bitten Sie einen anderen Manager.</translation>
    </message>
    <message>
        <source>New PIN for %1</source>
        <translation>Neue PIN für %1</translation>
    </message>
    <message>
        <source>New cashier</source>
        <translation>Neuer Kassierer</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Kassierer</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>PIN (digits)</source>
        <translation>PIN (Ziffern)</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>PIN wiederholen</translation>
    </message>
    <message>
        <source>PIN again: the two PINs differ; type the same PIN twice.</source>
        <translation>PIN wiederholen: Die beiden PINs unterscheiden sich; geben Sie zweimal dieselbe PIN ein.</translation>
    </message>
    <message>
        <source>Open the shop&apos;s &amp;settings…</source>
        <translation>&amp;Einstellungen des Geschäfts öffnen…</translation>
    </message>
    <message>
        <source>The shop&apos;s name, address, tax number, receipt footer, currency, cash rounding and default tax.</source>
        <translation>Name, Adresse, Steuernummer, Fußzeile des Belegs, Währung, Bargeldrundung und Standardsteuer des Geschäfts.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Which</source>
        <translation>Welche</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Einzelheiten</translation>
    </message>
</context>
<context>
    <name>SafeTill::CashierService</name>
    <message>
        <source>A cashier&apos;s name</source>
        <translation>Der Name eines Kassierers</translation>
    </message>
    <message>
        <source>The PIN could not be hashed.</source>
        <translation>Die PIN konnte nicht gehasht werden.</translation>
    </message>
    <message>
        <source>There is already a cashier called %1.</source>
        <translation>Es gibt bereits einen Kassierer namens %1.</translation>
    </message>
    <message>
        <source>There is no cashier called %1.</source>
        <translation>Es gibt keinen Kassierer namens %1.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Falsche PIN.</translation>
    </message>
    <message>
        <source>Too many wrong PINs for %1: locked until %2 UTC (try again in %3 s).</source>
        <translation>Zu viele falsche PINs für %1: gesperrt bis %2 UTC (erneut versuchen in %3 s).</translation>
    </message>
    <message>
        <source>%1 is retired: a retired cashier has no PIN.</source>
        <translation>%1 ist ausgeschieden: Ein ausgeschiedener Kassierer hat keine PIN.</translation>
    </message>
    <message>
        <source>%1 is retired: a retired cashier&apos;s role cannot change.</source>
        <translation>%1 ist ausgeschieden: Die Rolle eines ausgeschiedenen Kassierers kann sich nicht ändern.</translation>
    </message>
</context>
<context>
    <name>SafeTill::CatalogService</name>
    <message>
        <source>A product&apos;s name</source>
        <translation>Der Name eines Produkts</translation>
    </message>
    <message>
        <source>A category has at most %1 characters.</source>
        <translation>Eine Kategorie hat höchstens %1 Zeichen.</translation>
    </message>
    <message>
        <source>The file is larger than %1 MiB.</source>
        <translation>Die Datei ist größer als %1 MiB.</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Die Datei ist leer.</translation>
    </message>
    <message>
        <source>The file has more than %1 products.</source>
        <translation>Die Datei hat mehr als %1 Produkte.</translation>
    </message>
    <message>
        <source>line 1: the header must name the columns sku, name and price_cents (and optionally category and tax).</source>
        <translation>Zeile 1: Die Kopfzeile muss die Spalten sku, name und price_cents nennen (und optional category und tax).</translation>
    </message>
    <message>
        <source>expected %1 fields, found %2.</source>
        <translation>%1 Felder erwartet, %2 gefunden.</translation>
    </message>
    <message>
        <source>price_cents must be a whole number of cents, not “%1”.</source>
        <translation>price_cents muss eine ganze Zahl von Cent sein, nicht „%1“.</translation>
    </message>
    <message>
        <source>tax: there is no tax rate with the code “%1” (see `tax list`).</source>
        <translation>tax: Es gibt keinen Steuersatz mit dem Code „%1“ (siehe `tax list`).</translation>
    </message>
    <message>
        <source>the SKU %1 appears twice in the file.</source>
        <translation>Die SKU %1 kommt zweimal in der Datei vor.</translation>
    </message>
    <message>
        <source>Nothing was imported. </source>
        <translation>Nichts wurde importiert. </translation>
    </message>
    <message>
        <source>
… and %1 more problems.</source>
        <translation>
… und %1 weitere Probleme.</translation>
    </message>
    <message>
        <source>There is no product with SKU %1.</source>
        <translation>Es gibt kein Produkt mit der SKU %1.</translation>
    </message>
    <message>
        <source>A tax code has 1 to 16 characters (such as STD, RED or ZERO).</source>
        <translation>Ein Steuercode hat 1 bis 16 Zeichen (etwa STD, RED oder ZERO).</translation>
    </message>
    <message>
        <source>A tax code is letters, digits, - and _ only, not “%1”.</source>
        <translation>Ein Steuercode besteht nur aus Buchstaben, Ziffern, - und _, nicht „%1“.</translation>
    </message>
    <message>
        <source>A tax rate&apos;s name has 1 to 64 characters.</source>
        <translation>Der Name eines Steuersatzes hat 1 bis 64 Zeichen.</translation>
    </message>
    <message>
        <source>A tax rate is from 0 to 10000 basis points (0 to 100 %%), not %1.</source>
        <translation>Ein Steuersatz liegt zwischen 0 und 10000 Basispunkten (0 bis 100 %%), nicht %1.</translation>
    </message>
    <message>
        <source>There is already a tax rate %1; `tax set` changes it.</source>
        <translation>Es gibt bereits einen Steuersatz %1; `tax set` ändert ihn.</translation>
    </message>
    <message>
        <source>There is no tax rate %1; `tax add` adds it.</source>
        <translation>Es gibt keinen Steuersatz %1; `tax add` fügt ihn hinzu.</translation>
    </message>
    <message>
        <source>SKU: there is already a product with SKU %1.</source>
        <translation>SKU: Es gibt bereits ein Produkt mit der SKU %1.</translation>
    </message>
    <message>
        <source>A category&apos;s name</source>
        <translation>Der Name einer Kategorie</translation>
    </message>
    <message>
        <source>Category: there is already a category called %1.</source>
        <translation>Kategorie: Es gibt bereits eine Kategorie namens %1.</translation>
    </message>
    <message>
        <source>position %1</source>
        <translation>Position %1</translation>
    </message>
    <message>
        <source>There is no category called %1.</source>
        <translation>Es gibt keine Kategorie namens %1.</translation>
    </message>
    <message>
        <source>position %1 → %2</source>
        <translation>Position %1 → %2</translation>
    </message>
    <message>
        <source>%1 added, %2 updated</source>
        <translation>%1 hinzugefügt, %2 aktualisiert</translation>
    </message>
</context>
<context>
    <name>SafeTill::DemoData</name>
    <message>
        <source>The demo catalog is missing from this build.</source>
        <translation>Der Demo-Katalog fehlt in diesem Build.</translation>
    </message>
</context>
<context>
    <name>SafeTill::DiscountDialog</name>
    <message>
        <source>This line</source>
        <translation>Diese Position</translation>
    </message>
    <message>
        <source>Whole order</source>
        <translation>Ganze Bestellung</translation>
    </message>
    <message>
        <source>Percent</source>
        <translation>Prozent</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
    <message>
        <source>Give discount</source>
        <translation>Rabatt gewähren</translation>
    </message>
    <message>
        <source>Remove discount</source>
        <translation>Rabatt entfernen</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Rabatt</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Position %1: %2</translation>
    </message>
    <message>
        <source>Select a line on the order for a line discount.</source>
        <translation>Wählen Sie eine Position der Bestellung für einen Positionsrabatt.</translation>
    </message>
    <message>
        <source>Discount:</source>
        <translation>Rabatt:</translation>
    </message>
    <message>
        <source>Required, e.g. staff, damaged, loyalty</source>
        <translation>Pflichtfeld, z. B. Personal, beschädigt, Treue</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Grund:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Enter a percent from %1 to 100, e.g. 10</source>
        <translation>Geben Sie einen Prozentsatz von %1 bis 100 ein, z. B. 10</translation>
    </message>
    <message>
        <source>Enter an amount of at most %1, e.g. %2</source>
        <translation>Geben Sie einen Betrag von höchstens %1 ein, z. B. %2</translation>
    </message>
    <message>
        <source>The discount is more than the %1 (%2).</source>
        <translation>Der Rabatt ist höher als %1 (%2).</translation>
    </message>
    <message>
        <source>order subtotal</source>
        <translation>die Zwischensumme der Bestellung</translation>
    </message>
    <message>
        <source>line amount</source>
        <translation>der Positionsbetrag</translation>
    </message>
    <message>
        <source>Enter a reason for the discount.</source>
        <translation>Geben Sie einen Grund für den Rabatt ein.</translation>
    </message>
    <message>
        <source>Takes off %1 of %2.</source>
        <translation>Zieht %1 von %2 ab.</translation>
    </message>
</context>
<context>
    <name>SafeTill::FirstStart</name>
    <message>
        <source>This till is set up already: log in with a manager&apos;s PIN.</source>
        <translation>Diese Kasse ist bereits eingerichtet: Melden Sie sich mit der PIN eines Managers an.</translation>
    </message>
    <message>
        <source>The database is busy; nothing was set up. Try again.</source>
        <translation>Die Datenbank ist belegt; nichts wurde eingerichtet. Bitte erneut versuchen.</translation>
    </message>
    <message>
        <source>Nothing was set up: %1</source>
        <translation>Nichts wurde eingerichtet: %1</translation>
    </message>
    <message>
        <source>PIN: the first manager&apos;s PIN has at most %1 digits.</source>
        <translation>PIN: Die PIN des ersten Managers hat höchstens %1 Ziffern.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ItemsJson</name>
    <message>
        <source>The item list is larger than 1 MiB.</source>
        <translation>Die Artikelliste ist größer als 1 MiB.</translation>
    </message>
    <message>
        <source>The item list is not valid JSON (%1 at character %2).</source>
        <translation>Die Artikelliste ist kein gültiges JSON (%1 bei Zeichen %2).</translation>
    </message>
    <message>
        <source>The item list must be a JSON array of items.</source>
        <translation>Die Artikelliste muss ein JSON-Array von Artikeln sein.</translation>
    </message>
    <message>
        <source>An order can have at most %1 lines.</source>
        <translation>Eine Bestellung kann höchstens %1 Positionen haben.</translation>
    </message>
    <message>
        <source>Item %1: </source>
        <translation>Artikel %1: </translation>
    </message>
    <message>
        <source>each item must be a JSON object.</source>
        <translation>Jeder Artikel muss ein JSON-Objekt sein.</translation>
    </message>
    <message>
        <source>give the price once.</source>
        <translation>Geben Sie den Preis nur einmal an.</translation>
    </message>
    <message>
        <source>unknown field “%1”.</source>
        <translation>unbekanntes Feld „%1“.</translation>
    </message>
    <message>
        <source>qty must be a whole number from 1 to %1.</source>
        <translation>qty muss eine ganze Zahl von 1 bis %1 sein.</translation>
    </message>
    <message>
        <source>an item needs a sku, or a text name and unit_price_cents from 0 to %1.</source>
        <translation>Ein Artikel braucht eine sku oder einen Text-name und unit_price_cents von 0 bis %1.</translation>
    </message>
    <message>
        <source>a catalog item has a text sku, a qty and, when it is sold at an open price, its unit_price_cents.</source>
        <translation>ein Katalogartikel hat eine Text-sku, eine qty und, wenn er zu einem offenen Preis verkauft wird, seinen unit_price_cents.</translation>
    </message>
    <message>
        <source>unit_price_cents must be a whole number from 0 to %1.</source>
        <translation>unit_price_cents muss eine ganze Zahl von 0 bis %1 sein.</translation>
    </message>
</context>
<context>
    <name>SafeTill::LoginWidget</name>
    <message>
        <source>Who is working?</source>
        <translation>Wer arbeitet?</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>PIN for %1</source>
        <translation>PIN für %1</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Falsche PIN.</translation>
    </message>
    <message>
        <source>Wrong PIN. You can try again now.</source>
        <translation>Falsche PIN. Sie können es jetzt erneut versuchen.</translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN. Try again in %n second(s).</source>
        <translation>
            <numerusform>Falsche PIN. Erneut versuchen in %n Sekunde.</numerusform>
            <numerusform>Falsche PIN. Erneut versuchen in %n Sekunden.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SafeTill::MainWindow</name>
    <message>
        <source>SafeTill</source>
        <translation>SafeTill</translation>
    </message>
    <message>
        <source>Items to review</source>
        <translation>Zu prüfende Vorgänge</translation>
    </message>
    <message>
        <source>Cases sync could not settle alone: open the review list</source>
        <translation>Fälle, die die Synchronisation nicht allein klären konnte: Prüfliste öffnen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Window</source>
        <translation>&amp;Fenster</translation>
    </message>
    <message>
        <source>&amp;New Window</source>
        <translation>&amp;Neues Fenster</translation>
    </message>
    <message>
        <source>&amp;Tabs</source>
        <translation>&amp;Deckel</translation>
    </message>
    <message>
        <source>R&amp;eceipts</source>
        <translation>B&amp;elege</translation>
    </message>
    <message>
        <source>S&amp;hift</source>
        <translation>&amp;Schicht</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Sync…</source>
        <translation>&amp;Synchronisation…</translation>
    </message>
    <message>
        <source>S&amp;hop…</source>
        <translation>&amp;Geschäft…</translation>
    </message>
    <message>
        <source>Review: %1</source>
        <translation>Prüfen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) to review</source>
        <translation>
            <numerusform>%n Vorgang zu prüfen</numerusform>
            <numerusform>%n Vorgänge zu prüfen</numerusform>
        </translation>
    </message>
    <message>
        <source>SafeTill — %1</source>
        <translation>SafeTill — %1</translation>
    </message>
    <message>
        <source>Nobody logged in</source>
        <translation>Niemand angemeldet</translation>
    </message>
    <message>
        <source>&amp;Back Office…</source>
        <translation>&amp;Verwaltung…</translation>
    </message>
    <message>
        <source>Receipt &amp;printer…</source>
        <translation>Beleg&amp;drucker…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About SafeTill</source>
        <translation>&amp;Über SafeTill</translation>
    </message>
    <message>
        <source>Closing the till in kiosk mode needs a manager.</source>
        <translation>Das Schließen der Kasse im Kioskmodus braucht einen Manager.</translation>
    </message>
    <message>
        <source>Not approved: the manager&apos;s PIN is wrong.</source>
        <translation>Nicht freigegeben: Die PIN des Managers ist falsch.</translation>
    </message>
    <message>
        <source>Not approved: %1</source>
        <translation>Nicht freigegeben: %1</translation>
    </message>
    <message>
        <source>%1 is not a manager; closing the till needs a manager.</source>
        <translation>%1 ist kein Manager; das Schließen der Kasse braucht einen Manager.</translation>
    </message>
</context>
<context>
    <name>SafeTill::MessageBar</name>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Meldungen</translation>
    </message>
</context>
<context>
    <name>SafeTill::OpenPriceDialog</name>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Price of %1</source>
        <translation>Preis von %1</translation>
    </message>
    <message>
        <source>%1 (%2) is sold at an open price: enter the price of this one.</source>
        <translation>%1 (%2) wird zu einem offenen Preis verkauft: Geben Sie den Preis für diesen Artikel ein.</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <source>Price (%1):</source>
        <translation>Preis (%1):</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Enter a price from %1 to %2, e.g. %3</source>
        <translation>Geben Sie einen Preis von %1 bis %2 ein, z. B. %3</translation>
    </message>
</context>
<context>
    <name>SafeTill::OrderLinesModel</name>
    <message>
        <source>Price changed from %1: %2</source>
        <translation>Preis geändert von %1: %2</translation>
    </message>
    <message>
        <source>was %1</source>
        <translation>vorher %1</translation>
    </message>
    <message>
        <source>Discount: %1</source>
        <translation>Rabatt: %1</translation>
    </message>
    <message>
        <source>−%1&#xa0;%2 %3</source>
        <translation>−%1&#xa0;%2 %3</translation>
    </message>
    <message>
        <source>#</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
</context>
<context>
    <name>SafeTill::OrderService</name>
    <message>
        <source>The database answered %1 of %2 %3.</source>
        <translation>Die Datenbank beantwortete %1 von %2 %3.</translation>
    </message>
    <message>
        <source>This cashier has no open order.</source>
        <translation>Dieser Kassierer hat keine offene Bestellung.</translation>
    </message>
    <message>
        <source>Line %1 has a discount or a changed price, which replacing every line would drop; remove it first, or change the lines one by one.</source>
        <translation>Position %1 hat einen Rabatt oder einen geänderten Preis, der beim Ersetzen aller Positionen verloren ginge; entfernen Sie ihn zuerst oder ändern Sie die Positionen einzeln.</translation>
    </message>
    <message>
        <source>There is no cashier %1.</source>
        <translation>Es gibt keinen Kassierer %1.</translation>
    </message>
    <message>
        <source>There is no order %1.</source>
        <translation>Es gibt keine Bestellung %1.</translation>
    </message>
    <message>
        <source>Another till opened an order at the same moment; please try again.</source>
        <translation>Eine andere Kasse hat im selben Moment eine Bestellung geöffnet; bitte erneut versuchen.</translation>
    </message>
    <message>
        <source>There is no product with SKU %1.</source>
        <translation>Es gibt kein Produkt mit der SKU %1.</translation>
    </message>
    <message>
        <source>A line can hold at most %1 items.</source>
        <translation>Eine Position kann höchstens %1 Artikel enthalten.</translation>
    </message>
    <message>
        <source>An order can have at most %1 lines.</source>
        <translation>Eine Bestellung kann höchstens %1 Positionen haben.</translation>
    </message>
    <message>
        <source>An item&apos;s name</source>
        <translation>Der Name eines Artikels</translation>
    </message>
    <message>
        <source>The result of this request is unreadable; nothing was changed.</source>
        <translation>Das Ergebnis dieser Anfrage ist unlesbar; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>The database answered an item add with “%1”.</source>
        <translation>Die Datenbank beantwortete das Hinzufügen eines Artikels mit „%1“.</translation>
    </message>
    <message>
        <source> To take a line off, remove it.</source>
        <translation> Um eine Position zu entfernen, entfernen Sie sie.</translation>
    </message>
    <message>
        <source>Line %1 is not on this order.</source>
        <translation>Position %1 ist nicht in dieser Bestellung.</translation>
    </message>
    <message>
        <source>A quantity change must be from -%1 to %1, and not 0.</source>
        <translation>Eine Mengenänderung muss zwischen -%1 und %1 liegen und darf nicht 0 sein.</translation>
    </message>
    <message>
        <source>A line holds 1 to %1 items; to take it off, remove it.</source>
        <translation>Eine Position enthält 1 bis %1 Artikel; um sie zu entfernen, entfernen Sie sie.</translation>
    </message>
    <message>
        <source>Item %1: </source>
        <translation>Artikel %1: </translation>
    </message>
    <message>
        <source>An item needs a SKU, or a name and a price.</source>
        <translation>Ein Artikel braucht eine SKU oder einen Namen und einen Preis.</translation>
    </message>
    <message>
        <source>There is no product with SKU %1; nothing was changed.</source>
        <translation>Es gibt kein Produkt mit der SKU %1; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>An empty order cannot be paid.</source>
        <translation>Eine leere Bestellung kann nicht bezahlt werden.</translation>
    </message>
    <message>
        <source>%1 (more than %2 % off, the shop&apos;s cashier-discount-limit) needs a manager: ask a manager to approve it with their PIN.</source>
        <translation>%1 (mehr als %2 % Rabatt, das Kassierer-Rabattlimit des Geschäfts) braucht einen Manager: Bitten Sie einen Manager, es mit seiner PIN freizugeben.</translation>
    </message>
    <message>
        <source>The line discount</source>
        <translation>Der Positionsrabatt</translation>
    </message>
    <message>
        <source>line: %1 is not on this order.</source>
        <translation>line: %1 ist nicht in dieser Bestellung.</translation>
    </message>
    <message>
        <source>by: there is no cashier %1.</source>
        <translation>by: Es gibt keinen Kassierer %1.</translation>
    </message>
    <message>
        <source>The order discount</source>
        <translation>Der Bestellrabatt</translation>
    </message>
    <message>
        <source>price: </source>
        <translation>Preis: </translation>
    </message>
    <message>
        <source>reason: a price override needs a reason of 1 to 200 characters.</source>
        <translation>Grund: Eine Preisänderung braucht einen Grund mit 1 bis 200 Zeichen.</translation>
    </message>
    <message>
        <source>%1 needs a manager: ask a manager to approve it with their PIN.</source>
        <translation>%1 braucht einen Manager: Bitten Sie einen Manager, es mit seiner PIN freizugeben.</translation>
    </message>
    <message>
        <source>A tab&apos;s name</source>
        <translation>Der Name eines Deckels</translation>
    </message>
    <message>
        <source>The tab “%1” was being settled at the same moment; please try again.</source>
        <translation>Der Deckel „%1“ wurde im selben Moment abgerechnet; bitte erneut versuchen.</translation>
    </message>
    <message>
        <source>An empty order cannot be put on a tab.</source>
        <translation>Eine leere Bestellung kann nicht auf einen Deckel gebucht werden.</translation>
    </message>
    <message>
        <source>SKU %1 is sold at an open price: enter its price.</source>
        <translation>Artikel %1 wird zu einem offenen Preis verkauft: Geben Sie seinen Preis ein.</translation>
    </message>
    <message>
        <source>SKU %1 has a fixed price; charging another price is a price override, which needs a manager.</source>
        <translation>Artikel %1 hat einen festen Preis; ein anderer Preis ist eine Preisänderung, die einen Manager braucht.</translation>
    </message>
</context>
<context>
    <name>SafeTill::OrderStore</name>
    <message>
        <source>This order has already been paid.</source>
        <translation>Diese Bestellung wurde bereits bezahlt.</translation>
    </message>
    <message>
        <source>This order has already been paid (receipt %1).</source>
        <translation>Diese Bestellung wurde bereits bezahlt (Beleg %1).</translation>
    </message>
    <message>
        <source>This order is already on the tab “%1”.</source>
        <translation>Diese Bestellung ist bereits auf dem Deckel „%1“.</translation>
    </message>
    <message>
        <source>This order is parked because %1 logged out; log in again to continue it.</source>
        <translation>Diese Bestellung ist geparkt, weil %1 sich abgemeldet hat; melden Sie sich wieder an, um sie fortzusetzen.</translation>
    </message>
    <message>
        <source>Payments were taken on this order: its items and discounts can no longer change. Take the rest of the balance (%1 cents), or refund the payments.</source>
        <translation>Für diese Bestellung wurden Zahlungen angenommen: Ihre Artikel und Rabatte können sich nicht mehr ändern. Kassieren Sie den Restbetrag (%1 Cent) oder erstatten Sie die Zahlungen zurück.</translation>
    </message>
    <message>
        <source>There is no order %1.</source>
        <translation>Es gibt keine Bestellung %1.</translation>
    </message>
    <message>
        <source>This order was changed in another window or on another till while you were looking at it (you saw version %1, it is now version %2). Check it and try again.</source>
        <translation>Diese Bestellung wurde in einem anderen Fenster oder an einer anderen Kasse geändert, während Sie sie angesehen haben (Sie sahen Version %1, jetzt ist es Version %2). Prüfen Sie sie und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>This order changed at the same moment; please try again.</source>
        <translation>Diese Bestellung wurde im selben Moment geändert; bitte erneut versuchen.</translation>
    </message>
    <message>
        <source>There is no tab %1.</source>
        <translation>Es gibt keinen Deckel %1.</translation>
    </message>
    <message>
        <source>The tab “%1” has already been settled (receipt %2).</source>
        <translation>Der Deckel „%1“ wurde bereits abgerechnet (Beleg %2).</translation>
    </message>
    <message>
        <source>The tab “%1” changed while you were looking at it (an order was added). Check the total and try again.</source>
        <translation>Der Deckel „%1“ wurde geändert, während Sie ihn angesehen haben (eine Bestellung kam hinzu). Prüfen Sie die Summe und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>This tab changed at the same moment; please try again.</source>
        <translation>Dieser Deckel wurde im selben Moment geändert; bitte erneut versuchen.</translation>
    </message>
</context>
<context>
    <name>SafeTill::OrderWidget</name>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Discount…</source>
        <translation>Rabatt…</translation>
    </message>
    <message>
        <source>Price…</source>
        <translation>Preis…</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>Bezahlen</translation>
    </message>
    <message>
        <source>Put on tab</source>
        <translation>Auf Deckel</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Scan or type a SKU or product name, then Enter</source>
        <translation>SKU oder Produktname scannen oder eingeben, dann Eingabetaste</translation>
    </message>
    <message>
        <source>A discount on the selected line, or on the whole order</source>
        <translation>Ein Rabatt auf die gewählte Position oder auf die ganze Bestellung</translation>
    </message>
    <message>
        <source>Change the price of the selected line</source>
        <translation>Den Preis der gewählten Position ändern</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>Another action is still running; try again.</source>
        <translation>Eine andere Aktion läuft noch; bitte erneut versuchen.</translation>
    </message>
    <message numerus="yes">
        <source>Order %1 · %n item(s)</source>
        <translation>
            <numerusform>Bestellung %1 · %n Artikel</numerusform>
            <numerusform>Bestellung %1 · %n Artikel</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · order %2 · version %3</source>
        <translation>%1 · Bestellung %2 · Version %3</translation>
    </message>
    <message>
        <source>incl. %1 %2: %3</source>
        <translation>inkl. %1 %2: %3</translation>
    </message>
    <message>
        <source>+ %1 %2: %3</source>
        <translation>+ %1 %2: %3</translation>
    </message>
    <message>
        <source>Subtotal: %1</source>
        <translation>Zwischensumme: %1</translation>
    </message>
    <message>
        <source>Order discount %1: −%2</source>
        <translation>Bestellrabatt %1: −%2</translation>
    </message>
    <message>
        <source>Paid so far: %1 · Balance due: %2</source>
        <translation>Bisher bezahlt: %1 · Restbetrag: %2</translation>
    </message>
    <message>
        <source>Order %1 was paid in another window or on another till.</source>
        <translation>Bestellung %1 wurde in einem anderen Fenster oder an einer anderen Kasse bezahlt.</translation>
    </message>
    <message>
        <source>Order %1 was paid in another window or on another till (receipt %2).</source>
        <translation>Bestellung %1 wurde in einem anderen Fenster oder an einer anderen Kasse bezahlt (Beleg %2).</translation>
    </message>
    <message>
        <source>Order %1 was put on the tab %2 in another window.</source>
        <translation>Bestellung %1 wurde in einem anderen Fenster auf den Deckel %2 gebucht.</translation>
    </message>
    <message>
        <source>%1 logged out in another window; the order is kept.</source>
        <translation>%1 hat sich in einem anderen Fenster abgemeldet; die Bestellung bleibt erhalten.</translation>
    </message>
    <message>
        <source>Not done here: %1</source>
        <translation>Nicht ausgeführt: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n products match: %1. Type more of the name or the SKU.</source>
        <translation>
            <numerusform>%n Produkt passt: %1. Geben Sie mehr vom Namen oder die SKU ein.</numerusform>
            <numerusform>%n Produkte passen: %1. Geben Sie mehr vom Namen oder die SKU ein.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n scanned item(s) were not added; scan them again.</source>
        <translation>
            <numerusform>%n gescannter Artikel wurde nicht hinzugefügt; scannen Sie ihn erneut.</numerusform>
            <numerusform>%n gescannte Artikel wurden nicht hinzugefügt; scannen Sie sie erneut.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a line first.</source>
        <translation>Wählen Sie zuerst eine Position.</translation>
    </message>
    <message>
        <source>Pay order</source>
        <translation>Bestellung bezahlen</translation>
    </message>
    <message>
        <source>%1 paid so far; the balance due is %2.</source>
        <translation>%1 bisher bezahlt; der Restbetrag ist %2.</translation>
    </message>
    <message>
        <source>Paid. Receipt %1, change %2.</source>
        <translation>Bezahlt. Beleg %1, Rückgeld %2.</translation>
    </message>
    <message>
        <source>Order put on the tab %1.</source>
        <translation>Bestellung auf den Deckel %1 gebucht.</translation>
    </message>
    <message>
        <source>SKU, barcode or product name</source>
        <translation>SKU, Barcode oder Produktname</translation>
    </message>
    <message>
        <source>Clear the SKU field</source>
        <translation>SKU-Feld leeren</translation>
    </message>
    <message>
        <source>Product categories</source>
        <translation>Produktkategorien</translation>
    </message>
    <message>
        <source>Matching products</source>
        <translation>Passende Produkte</translation>
    </message>
    <message>
        <source>Order lines</source>
        <translation>Bestellpositionen</translation>
    </message>
    <message>
        <source>Order line columns</source>
        <translation>Spalten der Bestellpositionen</translation>
    </message>
    <message>
        <source>Increase quantity</source>
        <translation>Menge erhöhen</translation>
    </message>
    <message>
        <source>One more of the selected line (+)</source>
        <translation>Eins mehr von der gewählten Position (+)</translation>
    </message>
    <message>
        <source>Decrease quantity</source>
        <translation>Menge verringern</translation>
    </message>
    <message>
        <source>One less of the selected line (−)</source>
        <translation>Eins weniger von der gewählten Position (−)</translation>
    </message>
    <message>
        <source>Remove the selected line</source>
        <translation>Die gewählte Position entfernen</translation>
    </message>
    <message numerus="yes">
        <source>%n more product(s) in this category: scan or type to find them.</source>
        <translation>
            <numerusform>%n weiteres Produkt in dieser Kategorie: Scannen oder tippen Sie, um es zu finden.</numerusform>
            <numerusform>%n weitere Produkte in dieser Kategorie: Scannen oder tippen Sie, um sie zu finden.</numerusform>
        </translation>
    </message>
    <message>
        <source>More products match: type more of the name or the SKU.</source>
        <translation>Weitere Produkte passen: Geben Sie mehr vom Namen oder die SKU ein.</translation>
    </message>
    <message>
        <source>Total (%1)</source>
        <translation>Summe (%1)</translation>
    </message>
    <message>
        <source>Total in %1</source>
        <translation>Summe in %1</translation>
    </message>
    <message>
        <source>Unknown code “%1”: no product has this SKU, and no product name contains it.</source>
        <translation>Unbekannter Code „%1“: Kein Produkt hat diese SKU, und kein Produktname enthält ihn.</translation>
    </message>
    <message>
        <source>Nothing was added: no price was entered.</source>
        <translation>Nichts hinzugefügt: Es wurde kein Preis eingegeben.</translation>
    </message>
</context>
<context>
    <name>SafeTill::PaymentDialog</name>
    <message>
        <source>Card</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Bar</translation>
    </message>
    <message>
        <source>Take payment</source>
        <translation>Zahlung annehmen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>e.g. Voucher</source>
        <translation>z. B. Gutschein</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>Bezeichnung:</translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation>Betrag:</translation>
    </message>
    <message>
        <source>Tendered:</source>
        <translation>Gegeben:</translation>
    </message>
    <message>
        <source>Close; the payments taken are kept and the order stays open with its balance due.</source>
        <translation>Schließen; die angenommenen Zahlungen bleiben erhalten und die Bestellung bleibt mit ihrem Restbetrag offen.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Summe: %1</translation>
    </message>
    <message>
        <source>Paid so far:</source>
        <translation>Bisher bezahlt:</translation>
    </message>
    <message>
        <source>Balance due: %1</source>
        <translation>Restbetrag: %1</translation>
    </message>
    <message>
        <source>Exact</source>
        <translation>Passend</translation>
    </message>
    <message>
        <source>Enter the amount to pay, at most %1</source>
        <translation>Geben Sie den zu zahlenden Betrag ein, höchstens %1</translation>
    </message>
    <message>
        <source>The amount is more than the balance due (%1)</source>
        <translation>Der Betrag ist höher als der Restbetrag (%1)</translation>
    </message>
    <message>
        <source>Enter a label for this payment, e.g. Voucher</source>
        <translation>Geben Sie eine Bezeichnung für diese Zahlung ein, z. B. Gutschein</translation>
    </message>
    <message>
        <source>Pays the balance</source>
        <translation>Begleicht den Restbetrag</translation>
    </message>
    <message>
        <source>Balance after: %1</source>
        <translation>Restbetrag danach: %1</translation>
    </message>
    <message>
        <source>Cash rounding: %1%2 (to pay in cash: %3)</source>
        <translation>Bargeldrundung: %1%2 (bar zu zahlen: %3)</translation>
    </message>
    <message>
        <source>Enter the amount tendered, e.g. %1</source>
        <translation>Geben Sie den gegebenen Betrag ein, z. B. %1</translation>
    </message>
    <message>
        <source>%1 short</source>
        <translation>%1 fehlen</translation>
    </message>
    <message>
        <source>Change due: %1</source>
        <translation>Rückgeld: %1</translation>
    </message>
</context>
<context>
    <name>SafeTill::PinHasher</name>
    <message>
        <source>A PIN has 4 to 12 digits.</source>
        <translation>Eine PIN hat 4 bis 12 Ziffern.</translation>
    </message>
    <message>
        <source>A PIN has digits only.</source>
        <translation>Eine PIN besteht nur aus Ziffern.</translation>
    </message>
</context>
<context>
    <name>SafeTill::PriceDialog</name>
    <message>
        <source>Change price</source>
        <translation>Preis ändern</translation>
    </message>
    <message>
        <source>Price of %1</source>
        <translation>Preis von %1</translation>
    </message>
    <message>
        <source>Line %1: %2, now %3 each</source>
        <translation>Position %1: %2, jetzt %3 pro Stück</translation>
    </message>
    <message>
        <source>New unit price:</source>
        <translation>Neuer Stückpreis:</translation>
    </message>
    <message>
        <source>Required, e.g. price match, shelf label</source>
        <translation>Pflichtfeld, z. B. Preisangleichung, Regaletikett</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Grund:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Enter the new unit price, e.g. %1</source>
        <translation>Geben Sie den neuen Stückpreis ein, z. B. %1</translation>
    </message>
    <message>
        <source>Enter a reason for the new price.</source>
        <translation>Geben Sie einen Grund für den neuen Preis ein.</translation>
    </message>
</context>
<context>
    <name>SafeTill::PrintStore</name>
    <message>
        <source>There is no receipt %1.</source>
        <translation>Es gibt keinen Beleg %1.</translation>
    </message>
    <message>
        <source>Receipt %1 was printed already (%2); reprint it as a copy from the receipts list.</source>
        <translation>Beleg %1 wurde bereits gedruckt (%2); drucken Sie ihn als Kopie aus der Belegliste nach.</translation>
    </message>
    <message>
        <source>Receipt %1 is being printed right now (another window or till).</source>
        <translation>Beleg %1 wird gerade gedruckt (in einem anderen Fenster oder an einer anderen Kasse).</translation>
    </message>
    <message>
        <source>The print of receipt %1 is no longer this window&apos;s to confirm.</source>
        <translation>Der Druck von Beleg %1 kann nicht mehr in diesem Fenster bestätigt werden.</translation>
    </message>
    <message>
        <source>The limit must be from 1 to 1000.</source>
        <translation>Das Limit muss zwischen 1 und 1000 liegen.</translation>
    </message>
    <message>
        <source>Printing was interrupted: the program printing it stopped before the printer answered.</source>
        <translation>Der Druck wurde unterbrochen: Das druckende Programm wurde beendet, bevor der Drucker antwortete.</translation>
    </message>
</context>
<context>
    <name>SafeTill::PrinterConfig</name>
    <message>
        <source>serial printer %1 (%2 baud)</source>
        <translation>serieller Drucker %1 (%2 Baud)</translation>
    </message>
    <message>
        <source>network printer %1:%2</source>
        <translation>Netzwerkdrucker %1:%2</translation>
    </message>
    <message>
        <source>CUPS queue %1</source>
        <translation>CUPS-Warteschlange %1</translation>
    </message>
    <message>
        <source>no printer</source>
        <translation>kein Drucker</translation>
    </message>
    <message>
        <source>Columns: type a number of characters per line from 24 to 64 (42 or 48 on 80 mm paper, 32 on 58 mm).</source>
        <translation>Spalten: Geben Sie eine Anzahl Zeichen pro Zeile von 24 bis 64 ein (42 oder 48 bei 80-mm-Papier, 32 bei 58 mm).</translation>
    </message>
    <message>
        <source>Timeout: from 0.5 to 60 seconds.</source>
        <translation>Zeitlimit: von 0,5 bis 60 Sekunden.</translation>
    </message>
    <message>
        <source>Serial port: name the port, e.g. /dev/ttyUSB0.</source>
        <translation>Serielle Schnittstelle: Geben Sie den Anschluss an, z. B. /dev/ttyUSB0.</translation>
    </message>
    <message>
        <source>Baud rate: choose one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200 (most receipt printers: 9600 or 38400).</source>
        <translation>Baudrate: Wählen Sie eine von 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200 (die meisten Belegdrucker: 9600 oder 38400).</translation>
    </message>
    <message>
        <source>Printer address: type the printer&apos;s IP address or host name, e.g. 192.168.1.50.</source>
        <translation>Druckeradresse: Geben Sie die IP-Adresse oder den Hostnamen des Druckers ein, z. B. 192.168.1.50.</translation>
    </message>
    <message>
        <source>Port: from 1 to 65535 (receipt printers listen on 9100).</source>
        <translation>Port: von 1 bis 65535 (Belegdrucker lauschen auf 9100).</translation>
    </message>
    <message>
        <source>CUPS queue: type the queue&apos;s name as `lpstat -p` lists it (letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;).</source>
        <translation>CUPS-Warteschlange: Geben Sie den Namen der Warteschlange so ein, wie `lpstat -p` ihn auflistet (Buchstaben, Ziffern, &apos;-&apos;, &apos;_&apos; und &apos;.&apos;).</translation>
    </message>
</context>
<context>
    <name>SafeTill::PrinterSettingsDialog</name>
    <message>
        <source>Open the cash drawer on cash payments</source>
        <translation>Bei Barzahlungen die Kassenlade öffnen</translation>
    </message>
    <message>
        <source>&amp;Test print</source>
        <translation>&amp;Testdruck</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Belegdrucker</translation>
    </message>
    <message>
        <source>Printer connection</source>
        <translation>Druckerverbindung</translation>
    </message>
    <message>
        <source>No printer (show the receipt on screen)</source>
        <translation>Kein Drucker (Beleg auf dem Bildschirm anzeigen)</translation>
    </message>
    <message>
        <source>Serial or USB-serial port</source>
        <translation>Serielle oder USB-Seriell-Schnittstelle</translation>
    </message>
    <message>
        <source>Network printer (raw TCP)</source>
        <translation>Netzwerkdrucker (Raw-TCP)</translation>
    </message>
    <message>
        <source>CUPS queue (raw)</source>
        <translation>CUPS-Warteschlange (raw)</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>Serielle Schnittstelle</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>Baudrate</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Printer address</source>
        <translation>Druckeradresse</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>CUPS queue</source>
        <translation>CUPS-Warteschlange</translation>
    </message>
    <message>
        <source>as `lpstat -p` lists it</source>
        <translation>wie `lpstat -p` sie auflistet</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Characters per line</source>
        <translation>Zeichen pro Zeile</translation>
    </message>
    <message>
        <source>42 or 48 on 80 mm paper, 32 on 58 mm paper</source>
        <translation>42 oder 48 bei 80-mm-Papier, 32 bei 58-mm-Papier</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Printing a test page on the %1…</source>
        <translation>Testseite wird auf %1 gedruckt…</translation>
    </message>
    <message>
        <source>Test print failed: %1</source>
        <translation>Testdruck fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Log in as a manager to change the receipt printer.</source>
        <translation>Melden Sie sich als Manager an, um den Belegdrucker zu ändern.</translation>
    </message>
    <message>
        <source>Only a manager can change the receipt printer; %1 is a cashier. Ask a manager to log in and change it.</source>
        <translation>Nur ein Manager kann den Belegdrucker ändern; %1 ist Kassierer. Bitten Sie einen Manager, sich anzumelden und ihn zu ändern.</translation>
    </message>
</context>
<context>
    <name>SafeTill::PrinterTransport</name>
    <message>
        <source>it took the data too slowly (timed out)</source>
        <translation>er hat die Daten zu langsam angenommen (Zeitüberschreitung)</translation>
    </message>
    <message>
        <source>The network printer at %1 did not answer within %2 s; check that it is on and its address is right.</source>
        <translation>Der Netzwerkdrucker unter %1 hat nicht innerhalb von %2 s geantwortet; prüfen Sie, ob er eingeschaltet und seine Adresse richtig ist.</translation>
    </message>
    <message>
        <source>Could not reach the network printer at %1: %2. Check that it is on and its address is right.</source>
        <translation>Der Netzwerkdrucker unter %1 war nicht erreichbar: %2. Prüfen Sie, ob er eingeschaltet und seine Adresse richtig ist.</translation>
    </message>
    <message>
        <source>The network printer at %1 stopped taking the receipt: %2.</source>
        <translation>Der Netzwerkdrucker unter %1 hat aufgehört, den Beleg anzunehmen: %2.</translation>
    </message>
    <message>
        <source>Could not open the printer&apos;s serial port %1: %2. Check the cable and that this user may use the port (group dialout).</source>
        <translation>Die serielle Schnittstelle %1 des Druckers konnte nicht geöffnet werden: %2. Prüfen Sie das Kabel und ob dieser Benutzer die Schnittstelle verwenden darf (Gruppe dialout).</translation>
    </message>
    <message>
        <source>The serial printer on %1 stopped taking the receipt: %2.</source>
        <translation>Der serielle Drucker an %1 hat aufgehört, den Beleg anzunehmen: %2.</translation>
    </message>
    <message>
        <source>The program lp was not found: install the package cups-client to print to the CUPS queue %1.</source>
        <translation>Das Programm lp wurde nicht gefunden: Installieren Sie das Paket cups-client, um auf die CUPS-Warteschlange %1 zu drucken.</translation>
    </message>
    <message>
        <source>Could not start lp: %1.</source>
        <translation>lp konnte nicht gestartet werden: %1.</translation>
    </message>
    <message>
        <source>CUPS did not take the receipt for queue %1 within %2 s; check that cupsd is running.</source>
        <translation>CUPS hat den Beleg für die Warteschlange %1 nicht innerhalb von %2 s angenommen; prüfen Sie, ob cupsd läuft.</translation>
    </message>
    <message>
        <source>CUPS refused the receipt for queue %1: %2</source>
        <translation>CUPS hat den Beleg für die Warteschlange %1 abgelehnt: %2</translation>
    </message>
    <message>
        <source>lp exited with code %1</source>
        <translation>lp wurde mit Code %1 beendet</translation>
    </message>
    <message>
        <source>No receipt printer is set up on this till (Settings → Receipt printer).</source>
        <translation>An dieser Kasse ist kein Belegdrucker eingerichtet (Einstellungen → Belegdrucker).</translation>
    </message>
</context>
<context>
    <name>SafeTill::ProductsModel</name>
    <message>
        <source>open price</source>
        <translation>offener Preis</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>ausgelistet</translation>
    </message>
    <message>
        <source>on the till</source>
        <translation>an der Kasse</translation>
    </message>
    <message>
        <source>SKU / barcode</source>
        <translation>SKU / Barcode</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>MwSt.</translation>
    </message>
    <message>
        <source>Open price</source>
        <translation>Offener Preis</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReceiptDialog</name>
    <message>
        <source>Receipt</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Drucken…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Als PDF speichern…</translation>
    </message>
    <message>
        <source>New order</source>
        <translation>Neue Bestellung</translation>
    </message>
    <message>
        <source>Receipt (COPY)</source>
        <translation>Beleg (KOPIE)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Save receipt</source>
        <translation>Beleg speichern</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReceiptPrinting</name>
    <message>
        <source>Receipt %1 has no sale to print.</source>
        <translation>Beleg %1 hat keinen Verkauf zum Drucken.</translation>
    </message>
    <message>
        <source>Receipt %1 not printed — print now: %2</source>
        <translation>Beleg %1 nicht gedruckt — jetzt drucken: %2</translation>
    </message>
    <message>
        <source>No receipt printer is set up on this till (Settings → Receipt printer).</source>
        <translation>An dieser Kasse ist kein Belegdrucker eingerichtet (Einstellungen → Belegdrucker).</translation>
    </message>
    <message>
        <source>Receipt %1 was printed, but that could not be recorded: %2</source>
        <translation>Beleg %1 wurde gedruckt, aber das konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Receipt %1 printed.</source>
        <translation>Beleg %1 gedruckt.</translation>
    </message>
    <message numerus="yes">
        <source>%n receipt(s) not printed — print now: %1</source>
        <translation>
            <numerusform>%n Beleg nicht gedruckt — jetzt drucken: %1</numerusform>
            <numerusform>%n Belege nicht gedruckt — jetzt drucken: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>No cash drawer is set up on this till: it opens through the receipt printer (Settings → Receipt printer).</source>
        <translation>An dieser Kasse ist keine Kassenlade eingerichtet: Sie öffnet sich über den Belegdrucker (Einstellungen → Belegdrucker).</translation>
    </message>
    <message>
        <source>Cash drawer opened.</source>
        <translation>Kassenlade geöffnet.</translation>
    </message>
    <message>
        <source>Test page sent to the %1.</source>
        <translation>Testseite an %1 gesendet.</translation>
    </message>
    <message>
        <source>Printing of receipt %1 was interrupted — check the printer. Printing a copy (marked COPY)…</source>
        <translation>Der Druck von Beleg %1 wurde unterbrochen — prüfen Sie den Drucker. Eine Kopie (mit KOPIE markiert) wird gedruckt …</translation>
    </message>
    <message>
        <source>A copy of receipt %1 was printed (its original&apos;s print was interrupted).</source>
        <translation>Eine Kopie von Beleg %1 wurde gedruckt (der Druck des Originals wurde unterbrochen).</translation>
    </message>
    <message>
        <source>printing was interrupted — check the printer (printing again prints a copy): %1</source>
        <translation>Druck unterbrochen — prüfen Sie den Drucker (erneutes Drucken druckt eine Kopie): %1</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReceiptSearch</name>
    <message>
        <source>The receipt number is too long (at most %1 characters).</source>
        <translation>Die Belegnummer ist zu lang (höchstens %1 Zeichen).</translation>
    </message>
    <message>
        <source>The receipt number may hold only letters, digits and signs such as “-”.</source>
        <translation>Die Belegnummer darf nur Buchstaben, Ziffern und Zeichen wie „-“ enthalten.</translation>
    </message>
    <message>
        <source>The amount must be 0 or more (in cents); %1 was given.</source>
        <translation>Der Betrag muss 0 oder mehr sein (in Cent); angegeben wurde %1.</translation>
    </message>
    <message>
        <source>The amount must be at most %1 cents.</source>
        <translation>Der Betrag darf höchstens %1 Cent sein.</translation>
    </message>
    <message>
        <source>The date is not a valid calendar day.</source>
        <translation>Das Datum ist kein gültiger Kalendertag.</translation>
    </message>
    <message>
        <source>The limit must be from 1 to %1.</source>
        <translation>Das Limit muss zwischen 1 und %1 liegen.</translation>
    </message>
    <message>
        <source>There is no receipt %1.</source>
        <translation>Es gibt keinen Beleg %1.</translation>
    </message>
    <message>
        <source>Say which cashier reprints the receipt.</source>
        <translation>Geben Sie an, welcher Kassierer den Beleg nachdruckt.</translation>
    </message>
    <message>
        <source>There is no cashier %1.</source>
        <translation>Es gibt keinen Kassierer %1.</translation>
    </message>
    <message>
        <source>Give a receipt number.</source>
        <translation>Geben Sie eine Belegnummer an.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReceiptsModel</name>
    <message>
        <source>Card</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Bar</translation>
    </message>
    <message>
        <source>Tab %1</source>
        <translation>Deckel %1</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Bezahlt</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Zahlungsart</translation>
    </message>
    <message>
        <source>Cashier or tab</source>
        <translation>Kassierer oder Deckel</translation>
    </message>
    <message>
        <source>not printed — print now</source>
        <translation>nicht gedruckt — jetzt drucken</translation>
    </message>
    <message>
        <source>printing…</source>
        <translation>wird gedruckt…</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>gedruckt</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>Gedruckt</translation>
    </message>
    <message>
        <source>printing was interrupted — check the printer</source>
        <translation>Druck unterbrochen — prüfen Sie den Drucker</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReceiptsWindow</name>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>Rückerstattung…</translation>
    </message>
    <message>
        <source>Open receipt (COPY)…</source>
        <translation>Beleg öffnen (KOPIE)…</translation>
    </message>
    <message>
        <source>Receipts — SafeTill</source>
        <translation>Belege — SafeTill</translation>
    </message>
    <message>
        <source>Receipt number, its start or its last digits</source>
        <translation>Belegnummer, ihr Anfang oder ihre letzten Ziffern</translation>
    </message>
    <message>
        <source>Exact amount, e.g. %1</source>
        <translation>Genauer Betrag, z. B. %1</translation>
    </message>
    <message>
        <source>Pay back chosen lines of this sale, or void it</source>
        <translation>Gewählte Positionen dieses Verkaufs zurückzahlen oder ihn stornieren</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
    <message>
        <source>Paid on</source>
        <translation>Bezahlt am</translation>
    </message>
    <message>
        <source>The amount “%1” is not an amount of money, e.g. %2.</source>
        <translation>Der Betrag „%1“ ist kein Geldbetrag, z. B. %2.</translation>
    </message>
    <message numerus="yes">
        <source>Showing the latest %n receipt(s) found; narrow the search to see older ones.</source>
        <translation>
            <numerusform>Angezeigt wird der neueste gefundene Beleg; schränken Sie die Suche ein, um ältere zu sehen.</numerusform>
            <numerusform>Angezeigt werden die neuesten %n gefundenen Belege; schränken Sie die Suche ein, um ältere zu sehen.</numerusform>
        </translation>
    </message>
    <message>
        <source>No receipts found.</source>
        <translation>Keine Belege gefunden.</translation>
    </message>
    <message>
        <source>Log in first: a reprint is recorded with who made it.</source>
        <translation>Melden Sie sich zuerst an: Ein Nachdruck wird mit der Person gespeichert, die ihn macht.</translation>
    </message>
    <message>
        <source>%1 %2 of receipt %3: %4 paid back by %5.</source>
        <translation>%1 %2 von Beleg %3: %4 zurückgezahlt per %5.</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Storno</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Rückerstattung</translation>
    </message>
    <message>
        <source>Reprint of receipt %1 recorded (%2).</source>
        <translation>Nachdruck von Beleg %1 gespeichert (%2).</translation>
    </message>
    <message>
        <source>The reprint of receipt %1 was not recorded: %2</source>
        <translation>Der Nachdruck von Beleg %1 wurde nicht gespeichert: %2</translation>
    </message>
    <message>
        <source>Print &amp;now</source>
        <translation>&amp;Jetzt drucken</translation>
    </message>
    <message>
        <source>Print &amp;copy</source>
        <translation>&amp;Kopie drucken</translation>
    </message>
    <message>
        <source>Print the original of a receipt that was not printed</source>
        <translation>Das Original eines nicht gedruckten Belegs drucken</translation>
    </message>
    <message>
        <source>Print a copy marked COPY on the receipt printer</source>
        <translation>Eine als KOPIE gekennzeichnete Kopie auf dem Belegdrucker drucken</translation>
    </message>
    <message>
        <source>Printing receipt %1…</source>
        <translation>Beleg %1 wird gedruckt…</translation>
    </message>
    <message>
        <source>The copy of receipt %1 was not printed: %2</source>
        <translation>Die Kopie von Beleg %1 wurde nicht gedruckt: %2</translation>
    </message>
    <message>
        <source>(%1 with cash rounding %2.)</source>
        <translation>(%1 mit Bargeldrundung %2.)</translation>
    </message>
</context>
<context>
    <name>SafeTill::RefundDialog</name>
    <message>
        <source>Everything left</source>
        <translation>Alles Übrige</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Rückerstattung</translation>
    </message>
    <message>
        <source>Void sale</source>
        <translation>Verkauf stornieren</translation>
    </message>
    <message>
        <source>Refund receipt %1</source>
        <translation>Rückerstattung zu Beleg %1</translation>
    </message>
    <message>
        <source>Lines to refund</source>
        <translation>Zu erstattende Positionen</translation>
    </message>
    <message>
        <source>Pay back by</source>
        <translation>Zurückzahlen per</translation>
    </message>
    <message>
        <source>The original method</source>
        <translation>Die ursprüngliche Zahlungsart</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Bar</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Why (required for a void)</source>
        <translation>Warum (Pflicht bei einem Storno)</translation>
    </message>
    <message>
        <source>Take back the whole sale (this shift, a manager)</source>
        <translation>Den ganzen Verkauf zurücknehmen (diese Schicht, ein Manager)</translation>
    </message>
    <message>
        <source>The original method (%1)</source>
        <translation>Die ursprüngliche Zahlungsart (%1)</translation>
    </message>
    <message>
        <source>%1 of %2 was refunded already.</source>
        <translation>%1 von %2 wurde bereits erstattet.</translation>
    </message>
    <message>
        <source>To pay back: %1</source>
        <translation>Zurückzuzahlen: %1</translation>
    </message>
    <message>
        <source>Choose how many of which lines to refund.</source>
        <translation>Wählen Sie, wie viele von welchen Positionen erstattet werden.</translation>
    </message>
    <message>
        <source>Reason: a void needs a reason.</source>
        <translation>Grund: Ein Storno braucht einen Grund.</translation>
    </message>
    <message>
        <source>To pay back: %1, in cash %2</source>
        <translation>Zurückzuzahlen: %1, in bar %2</translation>
    </message>
</context>
<context>
    <name>SafeTill::RefundLinesModel</name>
    <message>
        <source>Line</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Verkauft</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Übrig</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Rückerstattung</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
</context>
<context>
    <name>SafeTill::RefundService</name>
    <message>
        <source>receipt: say which receipt to refund.</source>
        <translation>receipt: Geben Sie an, welcher Beleg erstattet wird.</translation>
    </message>
    <message>
        <source>cashier: say who pays the money back.</source>
        <translation>cashier: Geben Sie an, wer das Geld zurückzahlt.</translation>
    </message>
    <message>
        <source>reason: at most %1 characters.</source>
        <translation>reason: höchstens %1 Zeichen.</translation>
    </message>
    <message>
        <source>reason: a void needs a reason.</source>
        <translation>reason: Ein Storno braucht einen Grund.</translation>
    </message>
    <message>
        <source>line: a void takes back the whole sale; refund chosen lines instead.</source>
        <translation>line: Ein Storno nimmt den ganzen Verkauf zurück; erstatten Sie stattdessen gewählte Positionen.</translation>
    </message>
    <message>
        <source>label: an “other” refund needs a label of 1 to %1 characters.</source>
        <translation>label: Eine „sonstige“ Rückerstattung braucht eine Bezeichnung mit 1 bis %1 Zeichen.</translation>
    </message>
    <message>
        <source>label: only an “other” refund has a label.</source>
        <translation>label: Nur eine „sonstige“ Rückerstattung hat eine Bezeichnung.</translation>
    </message>
    <message>
        <source>line: say which line (its id or number).</source>
        <translation>line: Geben Sie an, welche Position (ihre ID oder Nummer).</translation>
    </message>
    <message>
        <source>line %1: the quantity must be 1 to %2.</source>
        <translation>line %1: Die Menge muss 1 bis %2 sein.</translation>
    </message>
    <message>
        <source>line %1: given twice.</source>
        <translation>line %1: zweimal angegeben.</translation>
    </message>
    <message>
        <source>receipt: %1 is a refund; give the receipt of the sale.</source>
        <translation>receipt: %1 ist eine Rückerstattung; geben Sie den Beleg des Verkaufs an.</translation>
    </message>
    <message>
        <source>There is no receipt %1.</source>
        <translation>Es gibt keinen Beleg %1.</translation>
    </message>
    <message>
        <source>receipt: say which receipt.</source>
        <translation>receipt: Geben Sie an, welcher Beleg.</translation>
    </message>
    <message>
        <source>There is no refund %1.</source>
        <translation>Es gibt keine Rückerstattung %1.</translation>
    </message>
    <message>
        <source>A void takes back a sale of this till&apos;s current shift; %1 was sold in an earlier shift or on another till. Refund it instead.</source>
        <translation>Ein Storno nimmt einen Verkauf der aktuellen Schicht dieser Kasse zurück; %1 wurde in einer früheren Schicht oder an einer anderen Kasse verkauft. Erstatten Sie ihn stattdessen.</translation>
    </message>
    <message>
        <source>Everything on receipt %1 has been refunded already.</source>
        <translation>Alles auf Beleg %1 wurde bereits erstattet.</translation>
    </message>
    <message>
        <source>line %1: on a tab&apos;s receipt, give the line&apos;s id (line numbers repeat across its orders).</source>
        <translation>line %1: Geben Sie bei einem Deckel-Beleg die ID der Position an (Positionsnummern wiederholen sich über seine Bestellungen).</translation>
    </message>
    <message>
        <source>line %1 is not on receipt %2.</source>
        <translation>Position %1 ist nicht auf Beleg %2.</translation>
    </message>
    <message>
        <source>line %1 (%2): %3 of %4 left to refund, not %5.</source>
        <translation>Position %1 (%2): %3 von %4 noch zu erstatten, nicht %5.</translation>
    </message>
</context>
<context>
    <name>SafeTill::Result</name>
    <message>
        <source>The till database is busy; nothing was changed. Please try again.</source>
        <translation>Die Kassendatenbank ist belegt; nichts wurde geändert. Bitte erneut versuchen.</translation>
    </message>
    <message>
        <source>The database cannot be reached or cannot store more data right now; please try again shortly.</source>
        <translation>Die Datenbank ist nicht erreichbar oder kann gerade keine Daten mehr speichern; bitte gleich erneut versuchen.</translation>
    </message>
    <message>
        <source>The till database reported an error; nothing was changed.</source>
        <translation>Die Kassendatenbank meldete einen Fehler; nichts wurde geändert.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReviewModel</name>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Was geschah</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Bestellung</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Differenz</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReviewStore</name>
    <message>
        <source>There is no review item %1.</source>
        <translation>Es gibt keinen Prüfvorgang %1.</translation>
    </message>
    <message>
        <source>The note is longer than 2000 characters.</source>
        <translation>Die Notiz ist länger als 2000 Zeichen.</translation>
    </message>
    <message>
        <source>Say who resolves the item (the manager&apos;s name).</source>
        <translation>Geben Sie an, wer den Vorgang klärt (der Name des Managers).</translation>
    </message>
    <message>
        <source>This item was already resolved (%1 by %2).</source>
        <translation>Dieser Vorgang wurde bereits geklärt (%1 von %2).</translation>
    </message>
    <message>
        <source>The resolution “%1” does not fit this item; choose one of: %2.</source>
        <translation>Die Lösung „%1“ passt nicht zu diesem Vorgang; wählen Sie eine von: %2.</translation>
    </message>
    <message>
        <source>This item was resolved at the same moment.</source>
        <translation>Dieser Vorgang wurde im selben Moment geklärt.</translation>
    </message>
    <message>
        <source>the difference was collected from the customer</source>
        <translation>die Differenz wurde beim Kunden kassiert</translation>
    </message>
    <message>
        <source>the difference was refunded to the customer</source>
        <translation>die Differenz wurde dem Kunden erstattet</translation>
    </message>
    <message>
        <source>the difference was written off</source>
        <translation>die Differenz wurde abgeschrieben</translation>
    </message>
    <message>
        <source>the overpayment was kept, with the customer&apos;s agreement</source>
        <translation>die Überzahlung wurde mit Einverständnis des Kunden behalten</translation>
    </message>
    <message>
        <source>seen and dealt with</source>
        <translation>gesehen und erledigt</translation>
    </message>
    <message>
        <source>Paid order changed elsewhere</source>
        <translation>Bezahlte Bestellung anderswo geändert</translation>
    </message>
    <message>
        <source>Order paid twice</source>
        <translation>Bestellung doppelt bezahlt</translation>
    </message>
    <message>
        <source>Items added after payment</source>
        <translation>Artikel nach der Zahlung hinzugefügt</translation>
    </message>
    <message>
        <source>Line edit not applied</source>
        <translation>Positionsänderung nicht übernommen</translation>
    </message>
    <message>
        <source>Refused by the server</source>
        <translation>Vom Server abgelehnt</translation>
    </message>
    <message>
        <source>Refunded more than was sold</source>
        <translation>Mehr erstattet als verkauft</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReviewWindow</name>
    <message>
        <source>Resolved</source>
        <translation>Geklärt</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>%1 not paid for</source>
        <translation>%1 nicht bezahlt</translation>
    </message>
    <message>
        <source>%1 paid for but not delivered</source>
        <translation>%1 bezahlt, aber nicht geliefert</translation>
    </message>
    <message>
        <source>no money difference</source>
        <translation>keine Geldabweichung</translation>
    </message>
    <message>
        <source>%1 × %2 at %3 = %4</source>
        <translation>%1 × %2 zu %3 = %4</translation>
    </message>
    <message>
        <source>by card</source>
        <translation>mit Karte</translation>
    </message>
    <message>
        <source>in cash</source>
        <translation>bar</translation>
    </message>
    <message>
        <source>%1 %2, receipt %3</source>
        <translation>%1 %2, Beleg %3</translation>
    </message>
    <message>
        <source>, at %1</source>
        <translation>, um %1</translation>
    </message>
    <message>
        <source>, for an order that came to %1 at that till</source>
        <translation>, für eine Bestellung, die an dieser Kasse %1 ergab</translation>
    </message>
    <message>
        <source>Difference:</source>
        <translation>Differenz:</translation>
    </message>
    <message>
        <source>Order %1</source>
        <translation>Bestellung %1</translation>
    </message>
    <message>
        <source>tab %1</source>
        <translation>Deckel %1</translation>
    </message>
    <message>
        <source>till %1</source>
        <translation>Kasse %1</translation>
    </message>
    <message>
        <source>reported %1</source>
        <translation>gemeldet %1</translation>
    </message>
    <message>
        <source>What was paid</source>
        <translation>Was bezahlt wurde</translation>
    </message>
    <message>
        <source>Not paid for</source>
        <translation>Nicht bezahlt</translation>
    </message>
    <message>
        <source>Paid for but removed elsewhere (put back on the order)</source>
        <translation>Bezahlt, aber anderswo entfernt (wieder in die Bestellung aufgenommen)</translation>
    </message>
    <message>
        <source>Server&apos;s answer:</source>
        <translation>Antwort des Servers:</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Lösung</translation>
    </message>
    <message>
        <source>Resolved by %1 at %2: %3.</source>
        <translation>Geklärt von %1 um %2: %3.</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Notiz: %1</translation>
    </message>
    <message>
        <source>Show resolved</source>
        <translation>Geklärte anzeigen</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Klären</translation>
    </message>
    <message>
        <source>Review — SafeTill</source>
        <translation>Prüfliste — SafeTill</translation>
    </message>
    <message>
        <source>Show resolved items</source>
        <translation>Geklärte Vorgänge anzeigen</translation>
    </message>
    <message>
        <source>Review items</source>
        <translation>Zu prüfende Vorgänge</translation>
    </message>
    <message>
        <source>Details of the selected item</source>
        <translation>Einzelheiten des gewählten Vorgangs</translation>
    </message>
    <message>
        <source>Choose what was done…</source>
        <translation>Wählen Sie, was getan wurde…</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Optional: what was agreed with the customer</source>
        <translation>Optional: was mit dem Kunden vereinbart wurde</translation>
    </message>
    <message>
        <source>Resolved by</source>
        <translation>Geklärt von</translation>
    </message>
    <message>
        <source>The manager&apos;s name (required)</source>
        <translation>Der Name des Managers (Pflicht)</translation>
    </message>
    <message>
        <source>Resolve the selected item</source>
        <translation>Den gewählten Vorgang klären</translation>
    </message>
    <message>
        <source>&amp;Resolution:</source>
        <translation>&amp;Lösung:</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>&amp;Notiz:</translation>
    </message>
    <message>
        <source>Resolved &amp;by:</source>
        <translation>Geklärt &amp;von:</translation>
    </message>
    <message>
        <source>Nothing to review.</source>
        <translation>Nichts zu prüfen.</translation>
    </message>
    <message>
        <source>Select an item to see what was paid and what changed.</source>
        <translation>Wählen Sie einen Vorgang, um zu sehen, was bezahlt und was geändert wurde.</translation>
    </message>
    <message>
        <source>Resolved: %1 — %2.</source>
        <translation>Geklärt: %1 — %2.</translation>
    </message>
</context>
<context>
    <name>SafeTill::SettingsDialog</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Sync settings</source>
        <translation>Synchronisationseinstellungen</translation>
    </message>
    <message>
        <source>Leave the server empty to use this till on its own. On a synced till the server manages cashiers and the catalog.</source>
        <translation>Lassen Sie den Server leer, um diese Kasse allein zu nutzen. An einer synchronisierten Kasse verwaltet der Server Kassierer und Katalog.</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>Server-URL</translation>
    </message>
    <message>
        <source>Not encrypted: with http:// the device token and the cashiers&apos; PIN hashes travel in the clear. Use https:// unless this network is private.</source>
        <translation>Nicht verschlüsselt: Mit http:// gehen das Geräte-Token und die PIN-Hashes der Kassierer im Klartext über das Netz. Verwenden Sie https://, außer dieses Netz ist privat.</translation>
    </message>
    <message>
        <source>Device token file (mode 0600)</source>
        <translation>Datei mit dem Geräte-Token (Modus 0600)</translation>
    </message>
    <message>
        <source>Device token file</source>
        <translation>Datei mit dem Geräte-Token</translation>
    </message>
    <message>
        <source>Trusted certificate (optional)</source>
        <translation>Vertrauenswürdiges Zertifikat (optional)</translation>
    </message>
    <message>
        <source>Trusted certificate</source>
        <translation>Vertrauenswürdiges Zertifikat</translation>
    </message>
    <message>
        <source>The system&apos;s language</source>
        <translation>Die Sprache des Systems</translation>
    </message>
    <message>
        <source>Language (from the next start)</source>
        <translation>Sprache (ab dem nächsten Start)</translation>
    </message>
</context>
<context>
    <name>SafeTill::SetupWizard</name>
    <message>
        <source>Set up SafeTill</source>
        <translation>SafeTill einrichten</translation>
    </message>
    <message>
        <source>Welcome to SafeTill</source>
        <translation>Willkommen bei SafeTill</translation>
    </message>
    <message>
        <source>This till has no manager yet. A few questions, and it is ready.</source>
        <translation>Diese Kasse hat noch keinen Manager. Ein paar Fragen, und sie ist bereit.</translation>
    </message>
    <message>
        <source>This till runs on its own: set up the shop and its first manager here</source>
        <translation>Diese Kasse arbeitet allein: Richten Sie hier das Geschäft und seinen ersten Manager ein</translation>
    </message>
    <message>
        <source>This till syncs with a SafeTill server, which manages the shop, the cashiers and the catalog</source>
        <translation>Diese Kasse synchronisiert mit einem SafeTill-Server, der das Geschäft, die Kassierer und den Katalog verwaltet</translation>
    </message>
    <message>
        <source>The shop</source>
        <translation>Das Geschäft</translation>
    </message>
    <message>
        <source>Printed at the top of every receipt; Settings → Shop… changes it later.</source>
        <translation>Wird oben auf jeden Beleg gedruckt; Einstellungen → Geschäft… ändert es später.</translation>
    </message>
    <message>
        <source>Shop name</source>
        <translation>Name des Geschäfts</translation>
    </message>
    <message>
        <source>Address line %1</source>
        <translation>Adresszeile %1</translation>
    </message>
    <message>
        <source>Tax number</source>
        <translation>Steuernummer</translation>
    </message>
    <message>
        <source>Currency (ISO 4217)</source>
        <translation>Währung (ISO 4217)</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n decimal(s)</source>
        <translation>
            <numerusform>%1 · %n Dezimalstelle</numerusform>
            <numerusform>%1 · %n Dezimalstellen</numerusform>
        </translation>
    </message>
    <message>
        <source>not an ISO 4217 code in use</source>
        <translation>kein gültiger ISO-4217-Code</translation>
    </message>
    <message>
        <source>The first manager</source>
        <translation>Der erste Manager</translation>
    </message>
    <message>
        <source>A manager adds cashiers and products in the back office (Window → Back Office…) and approves what a cashier may not do alone.</source>
        <translation>Ein Manager legt in der Verwaltung (Fenster → Verwaltung…) Kassierer und Produkte an und gibt frei, was ein Kassierer nicht allein tun darf.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>PIN wiederholen</translation>
    </message>
    <message>
        <source>PIN (digits)</source>
        <translation>PIN (Ziffern)</translation>
    </message>
    <message>
        <source>The server</source>
        <translation>Der Server</translation>
    </message>
    <message>
        <source>The server&apos;s administrator gives you its address and this till&apos;s device token file (readable only by you: mode 0600).</source>
        <translation>Der Administrator des Servers gibt Ihnen seine Adresse und die Datei mit dem Geräte-Token dieser Kasse (nur für Sie lesbar: Modus 0600).</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>Server-URL</translation>
    </message>
    <message>
        <source>Device token file</source>
        <translation>Datei mit dem Geräte-Token</translation>
    </message>
    <message>
        <source>Trusted certificate (optional)</source>
        <translation>Vertrauenswürdiges Zertifikat (optional)</translation>
    </message>
    <message>
        <source>PEM file, for a server with its own certificate</source>
        <translation>PEM-Datei, für einen Server mit eigenem Zertifikat</translation>
    </message>
    <message>
        <source>Shop name: type the name printed on the receipts.</source>
        <translation>Name des Geschäfts: Geben Sie den Namen ein, der auf die Belege gedruckt wird.</translation>
    </message>
    <message>
        <source>Currency: “%1” is not an ISO 4217 code in use; type one such as EUR, USD, GBP or CHF.</source>
        <translation>Währung: „%1“ ist kein gültiger ISO-4217-Code; geben Sie einen wie EUR, USD, GBP oder CHF ein.</translation>
    </message>
    <message>
        <source>The manager&apos;s name</source>
        <translation>Der Name des Managers</translation>
    </message>
    <message>
        <source>PIN again: the two PINs differ; type the same PIN twice.</source>
        <translation>PIN wiederholen: Die beiden PINs unterscheiden sich; geben Sie zweimal dieselbe PIN ein.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ShiftService</name>
    <message>
        <source>The float</source>
        <translation>Der Anfangsbestand</translation>
    </message>
    <message>
        <source>opened by the first sale, with no float</source>
        <translation>durch den ersten Verkauf geöffnet, ohne Anfangsbestand</translation>
    </message>
    <message>
        <source>opened by %1</source>
        <translation>geöffnet von %1</translation>
    </message>
    <message>
        <source>A shift is already open on this till (%1 at %2, %3): close it first with shift close.</source>
        <translation>An dieser Kasse ist bereits eine Schicht offen (%1 um %2, %3): Schließen Sie sie zuerst mit shift close.</translation>
    </message>
    <message>
        <source>A shift was opened on this till at the same moment: close it first.</source>
        <translation>An dieser Kasse wurde im selben Moment eine Schicht geöffnet: Schließen Sie sie zuerst.</translation>
    </message>
    <message>
        <source>The pay-in</source>
        <translation>Die Einlage</translation>
    </message>
    <message>
        <source>The pay-out</source>
        <translation>Die Entnahme</translation>
    </message>
    <message>
        <source>No shift is open on this till: nothing has been sold since the last Z report. Open one with shift open.</source>
        <translation>An dieser Kasse ist keine Schicht offen: Seit dem letzten Z-Bon wurde nichts verkauft. Öffnen Sie eine mit shift open.</translation>
    </message>
    <message>
        <source>The counted cash</source>
        <translation>Das gezählte Bargeld</translation>
    </message>
    <message>
        <source>The counted card slips</source>
        <translation>Die gezählten Kartenbelege</translation>
    </message>
    <message>
        <source>No shift is open on this till: there is nothing to close.</source>
        <translation>An dieser Kasse ist keine Schicht offen: Es gibt nichts abzuschließen.</translation>
    </message>
    <message>
        <source>The shift was closed at the same moment elsewhere.</source>
        <translation>Die Schicht wurde im selben Moment anderswo geschlossen.</translation>
    </message>
    <message>
        <source>A Z report number is 1 or more.</source>
        <translation>Eine Z-Bon-Nummer ist 1 oder größer.</translation>
    </message>
    <message>
        <source>There is no Z report %1 on this till.</source>
        <translation>Es gibt keinen Z-Bon %1 an dieser Kasse.</translation>
    </message>
    <message>
        <source>There is no Z report on this till yet.</source>
        <translation>Es gibt noch keinen Z-Bon an dieser Kasse.</translation>
    </message>
    <message>
        <source>The stored Z report is unreadable.</source>
        <translation>Der gespeicherte Z-Bon ist unlesbar.</translation>
    </message>
    <message>
        <source>Give a reason for the pay-in or pay-out (--reason).</source>
        <translation>Geben Sie einen Grund für die Einlage oder Entnahme an (--reason).</translation>
    </message>
    <message>
        <source>The reason is too long: at most 200 characters.</source>
        <translation>Der Grund ist zu lang: höchstens 200 Zeichen.</translation>
    </message>
    <message>
        <source>%1 must be a whole number of cents from %2 to %3.</source>
        <translation>%1 muss eine ganze Zahl von Cent zwischen %2 und %3 sein.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ShiftWindow</name>
    <message>
        <source>Float counted</source>
        <translation>Gezählter Anfangsbestand</translation>
    </message>
    <message>
        <source>&amp;Open shift</source>
        <translation>Schicht ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Grund (Pflicht)</translation>
    </message>
    <message>
        <source>Pay &amp;in</source>
        <translation>&amp;Einlage</translation>
    </message>
    <message>
        <source>Pay o&amp;ut</source>
        <translation>Ent&amp;nahme</translation>
    </message>
    <message>
        <source>&amp;X report</source>
        <translation>&amp;X-Bon</translation>
    </message>
    <message>
        <source>Cash counted</source>
        <translation>Gezähltes Bargeld</translation>
    </message>
    <message>
        <source>Card slips (optional)</source>
        <translation>Kartenbelege (optional)</translation>
    </message>
    <message>
        <source>&amp;Close shift (Z report)</source>
        <translation>Schicht s&amp;chließen (Z-Bon)</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Drucken…</translation>
    </message>
    <message>
        <source>Save P&amp;DF…</source>
        <translation>P&amp;DF speichern…</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Bar</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>No shift is open on this till.</source>
        <translation>An dieser Kasse ist keine Schicht offen.</translation>
    </message>
    <message>
        <source>Shift open since %1%2, float %3.</source>
        <translation>Schicht offen seit %1%2, Anfangsbestand %3.</translation>
    </message>
    <message>
        <source> (opened by the first sale)</source>
        <translation> (durch den ersten Verkauf geöffnet)</translation>
    </message>
    <message>
        <source>%1: type an amount such as %2.</source>
        <translation>%1: Geben Sie einen Betrag wie %2 ein.</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>Wechselgeld (Anfangsbestand)</translation>
    </message>
    <message>
        <source>Shift opened with a float of %1.</source>
        <translation>Schicht mit einem Anfangsbestand von %1 geöffnet.</translation>
    </message>
    <message>
        <source>Reason: say why the cash goes %1 the drawer.</source>
        <translation>Grund: Geben Sie an, warum das Bargeld %1 wird.</translation>
    </message>
    <message>
        <source>into</source>
        <translation>in die Kassenlade gelegt</translation>
    </message>
    <message>
        <source>out of</source>
        <translation>aus der Kassenlade genommen</translation>
    </message>
    <message>
        <source>Paid in %1: %2</source>
        <translation>Eingelegt %1: %2</translation>
    </message>
    <message>
        <source>Paid out %1: %2</source>
        <translation>Entnommen %1: %2</translation>
    </message>
    <message>
        <source>Card slips</source>
        <translation>Kartenbelege</translation>
    </message>
    <message>
        <source>Z report %1: the cash is right.</source>
        <translation>Z-Bon %1: Der Kassenbestand stimmt.</translation>
    </message>
    <message>
        <source>Z report %1: %2 short.</source>
        <translation>Z-Bon %1: %2 Fehlbetrag.</translation>
    </message>
    <message>
        <source>Z report %1: %2 over.</source>
        <translation>Z-Bon %1: %2 Überschuss.</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>Bericht speichern</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>&amp;No sale (open drawer)</source>
        <translation>Schublade &amp;ohne Verkauf öffnen</translation>
    </message>
    <message>
        <source>No sale cancelled: the drawer stays closed.</source>
        <translation>Schublade ohne Verkauf abgebrochen: Die Kassenlade bleibt geschlossen.</translation>
    </message>
    <message>
        <source>No sale recorded; the cash drawer is open.</source>
        <translation>Schublade ohne Verkauf gebucht; die Kassenlade ist offen.</translation>
    </message>
    <message>
        <source>No sale recorded, but the drawer did not open: %1</source>
        <translation>Schublade ohne Verkauf gebucht, aber die Kassenlade hat sich nicht geöffnet: %1</translation>
    </message>
</context>
<context>
    <name>SafeTill::ShopSettings</name>
    <message>
        <source>There is no setting called “%1”; the settings are: %2.</source>
        <translation>Es gibt keine Einstellung namens „%1“; die Einstellungen sind: %2.</translation>
    </message>
    <message>
        <source>%1 is one line of text.</source>
        <translation>%1 ist eine Textzeile.</translation>
    </message>
    <message>
        <source>%1 is at most %2 characters; this is %3.</source>
        <translation>%1 hat höchstens %2 Zeichen; dies hat %3.</translation>
    </message>
    <message>
        <source>currency is an ISO 4217 code in use, such as EUR, USD, GBP, JPY or CHF; “%1” is not one.</source>
        <translation>currency ist ein gültiger ISO-4217-Code, etwa EUR, USD, GBP, JPY oder CHF; „%1“ ist keiner.</translation>
    </message>
    <message>
        <source>prices-include-tax is yes (prices on the shelf include tax) or no (tax is added at the till), not “%1”.</source>
        <translation>prices-include-tax ist yes (Regalpreise enthalten die Steuer) oder no (die Steuer wird an der Kasse aufgeschlagen), nicht „%1“.</translation>
    </message>
    <message>
        <source>cash-rounding is the step cash totals are rounded to, in minor units (5 for 0.05; 0 for none; at most 10000), not “%1”.</source>
        <translation>cash-rounding ist die Stufe, auf die Bargeldsummen gerundet werden, in kleinsten Einheiten (5 für 0,05; 0 für keine; höchstens 10000), nicht „%1“.</translation>
    </message>
    <message>
        <source>min-pin-digits is a number of digits from %1 to %2, not “%3”.</source>
        <translation>min-pin-digits ist eine Anzahl Ziffern von %1 bis %2, nicht „%3“.</translation>
    </message>
    <message>
        <source>cashier-discount-limit is the largest discount a cashier may give without a manager, in percent from 0 to 100 (empty: the default, %1), not “%2”.</source>
        <translation>cashier-discount-limit ist der größte Rabatt, den ein Kassierer ohne Manager geben darf, in Prozent von 0 bis 100 (leer: der Standard, %1), nicht „%2“.</translation>
    </message>
    <message>
        <source>currency cannot change once money was taken (%1 payments are in %2).</source>
        <translation>currency kann sich nicht ändern, nachdem Geld angenommen wurde (%1 Zahlungen sind in %2).</translation>
    </message>
    <message>
        <source>default-tax is a tax code of `tax list`; there is no tax %1.</source>
        <translation>default-tax ist ein Steuercode aus `tax list`; es gibt keine Steuer %1.</translation>
    </message>
    <message>
        <source>This shop requires PINs of at least %1 digits (the setting min-pin-digits); this one has %2.</source>
        <translation>Dieses Geschäft verlangt PINs mit mindestens %1 Ziffern (die Einstellung min-pin-digits); diese hat %2.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ShopSettingsDialog</name>
    <message>
        <source>Prices include tax</source>
        <translation>Preise enthalten Steuer</translation>
    </message>
    <message>
        <source>Shop settings</source>
        <translation>Geschäftseinstellungen</translation>
    </message>
    <message>
        <source>On: shelf prices include tax (most of the world). Off: tax is added at the till.</source>
        <translation>Ein: Regalpreise enthalten die Steuer (fast überall). Aus: Die Steuer wird an der Kasse aufgeschlagen.</translation>
    </message>
    <message>
        <source>Cash totals are rounded to this step, e.g. 0.05; 0 for none.</source>
        <translation>Bargeldsummen werden auf diese Stufe gerundet, z. B. 0,05; 0 für keine.</translation>
    </message>
    <message>
        <source>Shop name</source>
        <translation>Name des Geschäfts</translation>
    </message>
    <message>
        <source>Address line %1</source>
        <translation>Adresszeile %1</translation>
    </message>
    <message>
        <source>Tax number</source>
        <translation>Steuernummer</translation>
    </message>
    <message>
        <source>Receipt footer</source>
        <translation>Fußzeile des Belegs</translation>
    </message>
    <message>
        <source>Currency (ISO 4217)</source>
        <translation>Währung (ISO 4217)</translation>
    </message>
    <message>
        <source>Cash rounding</source>
        <translation>Bargeldrundung</translation>
    </message>
    <message>
        <source>Default tax</source>
        <translation>Standardsteuer</translation>
    </message>
    <message>
        <source>the default: %1</source>
        <translation>der Standard: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n decimal(s)</source>
        <translation>
            <numerusform>%1 · %n Dezimalstelle</numerusform>
            <numerusform>%1 · %n Dezimalstellen</numerusform>
        </translation>
    </message>
    <message>
        <source>not an ISO 4217 code in use</source>
        <translation>kein gültiger ISO-4217-Code</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>This till syncs with %1: the shop&apos;s settings are managed on the server and come to this till with the next sync.</source>
        <translation>Diese Kasse synchronisiert mit %1: Die Einstellungen des Geschäfts werden auf dem Server verwaltet und kommen mit der nächsten Synchronisation an diese Kasse.</translation>
    </message>
    <message>
        <source>a central server</source>
        <translation>einem zentralen Server</translation>
    </message>
    <message>
        <source>Log in as a manager to change the shop&apos;s settings.</source>
        <translation>Melden Sie sich als Manager an, um die Einstellungen des Geschäfts zu ändern.</translation>
    </message>
    <message>
        <source>Only a manager can change the shop&apos;s settings; %1 is a cashier.</source>
        <translation>Nur ein Manager kann die Einstellungen des Geschäfts ändern; %1 ist Kassierer.</translation>
    </message>
    <message numerus="yes">
        <source>Cash rounding is an amount of %1 with at most %n decimal(s), such as %2 (0 for none), not “%3”.</source>
        <translation>
            <numerusform>Die Bargeldrundung ist ein Betrag in %1 mit höchstens %n Dezimalstelle, etwa %2 (0 für keine), nicht „%3“.</numerusform>
            <numerusform>Die Bargeldrundung ist ein Betrag in %1 mit höchstens %n Dezimalstellen, etwa %2 (0 für keine), nicht „%3“.</numerusform>
        </translation>
    </message>
    <message>
        <source>Only a manager can change the shop&apos;s settings. Nothing was changed.</source>
        <translation>Nur ein Manager kann die Einstellungen des Geschäfts ändern. Nichts wurde geändert.</translation>
    </message>
</context>
<context>
    <name>SafeTill::SyncConfig</name>
    <message>
        <source>The server URL &quot;%1&quot; is not usable: give http://HOST:PORT or https://HOST:PORT.</source>
        <translation>Die Server-URL „%1“ ist nicht verwendbar: Geben Sie http://HOST:PORT oder https://HOST:PORT an.</translation>
    </message>
    <message>
        <source>The server URL &quot;%1&quot; must be just the scheme, host and port (the device token goes in a token file, not in the URL).</source>
        <translation>Die Server-URL „%1“ darf nur Schema, Host und Port enthalten (das Geräte-Token gehört in eine Token-Datei, nicht in die URL).</translation>
    </message>
    <message>
        <source>Warning: the server %1 is reached without encryption (http://): the device token and the cashiers&apos; PIN hashes travel in the clear. Use https:// unless this network is private.</source>
        <translation>Warnung: Der Server %1 wird ohne Verschlüsselung (http://) erreicht: Das Geräte-Token und die PIN-Hashes der Kassierer werden im Klartext übertragen. Verwenden Sie https://, außer in einem privaten Netz.</translation>
    </message>
    <message>
        <source>No device token file is configured (--token-file FILE, mode 0600).</source>
        <translation>Es ist keine Geräte-Token-Datei eingerichtet (--token-file DATEI, Modus 0600).</translation>
    </message>
    <message>
        <source>Cannot read the token file %1: %2</source>
        <translation>Die Token-Datei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The token file %1 is not a regular file.</source>
        <translation>Die Token-Datei %1 ist keine normale Datei.</translation>
    </message>
    <message>
        <source>Refusing the token file %1: it is readable or writable by other users (mode %2). The device token is a secret: run &quot;chmod 600 %1&quot;.</source>
        <translation>Die Token-Datei %1 wird abgelehnt: Andere Benutzer können sie lesen oder schreiben (Modus %2). Das Geräte-Token ist geheim: Führen Sie „chmod 600 %1“ aus.</translation>
    </message>
    <message>
        <source>The token file %1 does not hold a device token (one line of base64url characters, as printed by &quot;safetill-server device add NAME&quot;).</source>
        <translation>Die Token-Datei %1 enthält kein Geräte-Token (eine Zeile base64url-Zeichen, wie sie „safetill-server device add NAME“ ausgibt).</translation>
    </message>
    <message>
        <source>Cannot read the trusted certificate %1: %2</source>
        <translation>Das vertrauenswürdige Zertifikat %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The trusted certificate file %1 holds no PEM certificate.</source>
        <translation>Die Zertifikatsdatei %1 enthält kein PEM-Zertifikat.</translation>
    </message>
</context>
<context>
    <name>SafeTill::SyncEngine</name>
    <message>
        <source>Sync was stopped.</source>
        <translation>Die Synchronisierung wurde angehalten.</translation>
    </message>
    <message>
        <source>The sync server is unreachable (%1 attempts; last: %2). The ops are kept and sent later.</source>
        <translation>Der Sync-Server ist nicht erreichbar (%1 Versuche; zuletzt: %2). Die Vorgänge werden aufbewahrt und später gesendet.</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <source>The server refused this till&apos;s device token (%1). Issue a new one with &quot;safetill-server device add NAME&quot; and configure its token file.</source>
        <translation>Der Server hat das Geräte-Token dieser Kasse abgelehnt (%1). Stellen Sie mit &quot;safetill-server device add NAME&quot; ein neues aus und tragen Sie seine Token-Datei ein.</translation>
    </message>
    <message>
        <source>The server does not support sync v1 (%1). Check the server URL.</source>
        <translation>Der Server unterstützt Sync v1 nicht (%1). Prüfen Sie die Server-URL.</translation>
    </message>
    <message>
        <source>The server refused the pull: %1</source>
        <translation>Der Server hat das Abholen abgelehnt: %1</translation>
    </message>
    <message>
        <source>Sync op %1 is larger than the server accepts in one request; it is kept.</source>
        <translation>Der Sync-Vorgang %1 ist größer, als der Server in einer Anfrage annimmt; er wird aufbewahrt.</translation>
    </message>
    <message>
        <source>The server speaks sync protocol %1, this till 5; its ops are kept until the server is updated.</source>
        <translation>Der Server spricht das Sync-Protokoll %1, diese Kasse 5; ihre Vorgänge werden aufbewahrt, bis der Server aktualisiert ist.</translation>
    </message>
    <message>
        <source>The server refused sync op %1 (%2): %3. It is kept.</source>
        <translation>Der Server hat den Sync-Vorgang %1 (%2) abgelehnt: %3. Er wird aufbewahrt.</translation>
    </message>
</context>
<context>
    <name>SafeTill::SyncStatusWidget</name>
    <message>
        <source>Sync: not configured</source>
        <translation>Synchronisation: nicht eingerichtet</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>syncing</source>
        <translation>synchronisiert</translation>
    </message>
    <message numerus="yes">
        <source>Sync: %1, %n pending</source>
        <translation>
            <numerusform>Synchronisation: %1, %n ausstehend</numerusform>
            <numerusform>Synchronisation: %1, %n ausstehend</numerusform>
        </translation>
    </message>
    <message>
        <source>, last %1</source>
        <translation>, zuletzt %1</translation>
    </message>
    <message numerus="yes">
        <source> — %n need(s) attention</source>
        <translation>
            <numerusform> — %n braucht Aufmerksamkeit</numerusform>
            <numerusform> — %n brauchen Aufmerksamkeit</numerusform>
        </translation>
    </message>
    <message>
        <source>Kept sync op %1 (%2): %3</source>
        <translation>Aufbewahrter Sync-Vorgang %1 (%2): %3</translation>
    </message>
    <message>
        <source>Sync needs attention</source>
        <translation>Synchronisation braucht Aufmerksamkeit</translation>
    </message>
    <message>
        <source>These actions could not be synced as they were. Nothing was deleted: the server&apos;s state is shown for conflicting orders, and the kept ops can be inspected with &quot;safetill-cli sync --status&quot;.</source>
        <translation>Diese Aktionen konnten nicht so synchronisiert werden, wie sie waren. Nichts wurde gelöscht: Für Bestellungen im Konflikt wird der Stand des Servers angezeigt, und die aufbewahrten Vorgänge lassen sich mit &quot;safetill-cli sync --status&quot; ansehen.</translation>
    </message>
</context>
<context>
    <name>SafeTill::TabPickerDialog</name>
    <message>
        <source>Put on tab</source>
        <translation>Auf Deckel</translation>
    </message>
    <message>
        <source>New tab name, e.g. Table 5</source>
        <translation>Name des neuen Deckels, z. B. Tisch 5</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Open tabs:</source>
        <translation>Offene Deckel:</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n order(s), %2</source>
        <translation>
            <numerusform>%1 — %n Bestellung, %2</numerusform>
            <numerusform>%1 — %n Bestellungen, %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SafeTill::TabService</name>
    <message>
        <source>There is no open tab called %1.</source>
        <translation>Es gibt keinen offenen Deckel namens %1.</translation>
    </message>
    <message>
        <source>This tab has no orders to pay for.</source>
        <translation>Dieser Deckel hat keine Bestellungen zu bezahlen.</translation>
    </message>
    <message>
        <source>There is no tab %1.</source>
        <translation>Es gibt keinen Deckel %1.</translation>
    </message>
</context>
<context>
    <name>SafeTill::TabsModel</name>
    <message>
        <source>Tab</source>
        <translation>Deckel</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Bestellungen</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>Balance due</source>
        <translation>Offener Betrag</translation>
    </message>
</context>
<context>
    <name>SafeTill::TabsWindow</name>
    <message>
        <source>Settle tab…</source>
        <translation>Deckel abrechnen…</translation>
    </message>
    <message>
        <source>Open tabs — SafeTill</source>
        <translation>Offene Deckel — SafeTill</translation>
    </message>
    <message>
        <source>No open tabs.</source>
        <translation>Keine offenen Deckel.</translation>
    </message>
    <message>
        <source>Select a tab to see its orders.</source>
        <translation>Wählen Sie einen Deckel, um seine Bestellungen zu sehen.</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n item(s), %2</source>
        <translation>
            <numerusform>%1: %n Artikel, %2</numerusform>
            <numerusform>%1: %n Artikel, %2</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — total %2&lt;br&gt;%3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — Summe %2&lt;br&gt;%3</translation>
    </message>
    <message>
        <source>Settle tab %1</source>
        <translation>Deckel %1 abrechnen</translation>
    </message>
    <message>
        <source>Tab %1 settled, receipt %2.</source>
        <translation>Deckel %1 abgerechnet, Beleg %2.</translation>
    </message>
    <message>
        <source>Paid so far: %1 — balance due: %2</source>
        <translation>Bisher bezahlt: %1 — offener Betrag: %2</translation>
    </message>
</context>
<context>
    <name>SafeTill::Tender</name>
    <message>
        <source>label: an “other” payment needs a label of 1 to 60 characters (e.g. Voucher).</source>
        <translation>label: Eine „sonstige“ Zahlung braucht eine Bezeichnung mit 1 bis 60 Zeichen (z. B. Gutschein).</translation>
    </message>
    <message>
        <source>label: only an “other” payment has a label.</source>
        <translation>label: Nur eine „sonstige“ Zahlung hat eine Bezeichnung.</translation>
    </message>
    <message>
        <source>This order is already paid in full.</source>
        <translation>Diese Bestellung ist bereits vollständig bezahlt.</translation>
    </message>
    <message>
        <source>amount: a payment cannot be negative (%1 cents).</source>
        <translation>amount: Eine Zahlung kann nicht negativ sein (%1 Cent).</translation>
    </message>
    <message>
        <source>amount: %1 cents is more than the balance due (%2 cents).</source>
        <translation>amount: %1 Cent ist mehr als der Restbetrag (%2 Cent).</translation>
    </message>
    <message>
        <source>amount: a payment must be more than 0.</source>
        <translation>amount: Eine Zahlung muss größer als 0 sein.</translation>
    </message>
    <message>
        <source>tendered: a %1 payment is for the exact %2 (%3 cents); it cannot exceed the balance due.</source>
        <translation>tendered: Eine %1-Zahlung ist genau %2 (%3 Cent); sie kann den Restbetrag nicht übersteigen.</translation>
    </message>
    <message>
        <source>tendered: the amount tendered (%1 cents) is less than %2 (%3 cents).</source>
        <translation>tendered: Der gegebene Betrag (%1 Cent) ist kleiner als %2 (%3 Cent).</translation>
    </message>
    <message>
        <source>percent: %1 is from 0.01 % to 100 %.</source>
        <translation>percent: %1 liegt zwischen 0,01 % und 100 %.</translation>
    </message>
    <message>
        <source>amount: %1 must be more than 0.</source>
        <translation>amount: %1 muss größer als 0 sein.</translation>
    </message>
    <message>
        <source>amount: %1 (%2 cents) is more than what it applies to (%3 cents).</source>
        <translation>amount: %1 (%2 Cent) ist mehr als der Betrag, auf den er sich bezieht (%3 Cent).</translation>
    </message>
    <message>
        <source>reason: %1 needs a reason of 1 to 200 characters.</source>
        <translation>reason: %1 braucht einen Grund mit 1 bis 200 Zeichen.</translation>
    </message>
</context>
<context>
    <name>SafeTill::TillApplication</name>
    <message>
        <source>Sync</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>Back office</source>
        <translation>Verwaltung</translation>
    </message>
    <message>
        <source>Log in first: the back office needs a manager, or a manager&apos;s approval.</source>
        <translation>Melden Sie sich zuerst an: Die Verwaltung braucht einen Manager oder die Freigabe eines Managers.</translation>
    </message>
</context>
<context>
    <name>SafeTill::Translations</name>
    <message>
        <source>There is no translation for the language “%1”; choose one of: %2.</source>
        <translation>Für die Sprache „%1“ gibt es keine Übersetzung; wählen Sie eine von: %2.</translation>
    </message>
    <message>
        <source>The translation for “%1” is missing.</source>
        <translation>Die Übersetzung für „%1“ fehlt.</translation>
    </message>
</context>
<context>
    <name>SafeTill::Validation</name>
    <message>
        <source>A quantity must be a whole number from 1 to %1.</source>
        <translation>Eine Menge muss eine ganze Zahl von 1 bis %1 sein.</translation>
    </message>
    <message>
        <source>A price must be from 0 to %1 cents.</source>
        <translation>Ein Preis muss zwischen 0 und %1 Cent liegen.</translation>
    </message>
    <message>
        <source>The amount tendered must be from 0 to %1 cents.</source>
        <translation>Der gegebene Betrag muss zwischen 0 und %1 Cent liegen.</translation>
    </message>
    <message>
        <source>A SKU has 1 to %1 characters.</source>
        <translation>Eine SKU hat 1 bis %1 Zeichen.</translation>
    </message>
    <message>
        <source>A SKU cannot contain spaces or control characters.</source>
        <translation>Eine SKU darf keine Leerzeichen oder Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>A request id has 1 to %1 characters.</source>
        <translation>Eine Anfrage-ID hat 1 bis %1 Zeichen.</translation>
    </message>
    <message>
        <source>A request id may contain only letters, digits and - _ . :</source>
        <translation>Eine Anfrage-ID darf nur Buchstaben, Ziffern und - _ . : enthalten</translation>
    </message>
    <message>
        <source>%1 must have 1 to %2 characters.</source>
        <translation>%1 muss 1 bis %2 Zeichen haben.</translation>
    </message>
    <message>
        <source>%1 cannot contain control characters.</source>
        <translation>%1 darf keine Steuerzeichen enthalten.</translation>
    </message>
</context>
<context>
    <name>SafeTill::Verifier</name>
    <message numerus="yes">
        <source>The database breaks %n of SafeTill&apos;s promises; see the findings.</source>
        <translation>
            <numerusform>Die Datenbank bricht %n der Zusagen von SafeTill; siehe die Befunde.</numerusform>
            <numerusform>Die Datenbank bricht %n der Zusagen von SafeTill; siehe die Befunde.</numerusform>
        </translation>
    </message>
    <message>
        <source>PostgreSQL checks its pages and foreign keys itself.</source>
        <translation>PostgreSQL prüft seine Seiten und Fremdschlüssel selbst.</translation>
    </message>
    <message>
        <source>Order %1 is completed but has no payment (its total is %2 cents).</source>
        <translation>Bestellung %1 ist abgeschlossen, hat aber keine Zahlung (ihre Summe ist %2 Cent).</translation>
    </message>
    <message>
        <source>Order %1 is completed but underpaid: its payments add up to %2 cents, its total is %3 cents.</source>
        <translation>Bestellung %1 ist abgeschlossen, aber unterbezahlt: Ihre Zahlungen ergeben %2 Cent, ihre Summe ist %3 Cent.</translation>
    </message>
    <message>
        <source>Order %1 was paid more than due: its payments add up to %2 cents, its total is %3 cents.</source>
        <translation>Bestellung %1 wurde überbezahlt: Ihre Zahlungen ergeben %2 Cent, ihre Summe ist %3 Cent.</translation>
    </message>
    <message>
        <source>Tab “%1” (%2) is settled but has no payment (its orders total %3 cents).</source>
        <translation>Deckel „%1“ (%2) ist abgerechnet, hat aber keine Zahlung (seine Bestellungen ergeben %3 Cent).</translation>
    </message>
    <message>
        <source>Tab “%1” (%2) is settled but underpaid: its payments add up to %3 cents, its orders total %4 cents.</source>
        <translation>Deckel „%1“ (%2) ist abgerechnet, aber unterbezahlt: Seine Zahlungen ergeben %3 Cent, seine Bestellungen %4 Cent.</translation>
    </message>
    <message>
        <source>Tab “%1” (%2) was paid more than due: its payments add up to %3 cents, its orders total %4 cents.</source>
        <translation>Deckel „%1“ (%2) wurde überbezahlt: Seine Zahlungen ergeben %3 Cent, seine Bestellungen %4 Cent.</translation>
    </message>
    <message>
        <source>The %1 %2 keeps %3 cents as paid, but its payments add up to %4 cents: its balance due is wrong.</source>
        <translation>%1 %2 führt %3 Cent als bezahlt, aber seine Zahlungen ergeben %4 Cent: Sein Restbetrag ist falsch.</translation>
    </message>
    <message>
        <source>Order %1 is still open but its payments (%2 cents) exceed its total (%3 cents).</source>
        <translation>Bestellung %1 ist noch offen, aber ihre Zahlungen (%2 Cent) übersteigen ihre Summe (%3 Cent).</translation>
    </message>
    <message>
        <source>Order %1 was completed through tab %2, which does not exist.</source>
        <translation>Bestellung %1 wurde über den Deckel %2 abgeschlossen, den es nicht gibt.</translation>
    </message>
    <message>
        <source>Order %1 was completed through tab %2, which is not settled: nothing paid for it.</source>
        <translation>Bestellung %1 wurde über den Deckel %2 abgeschlossen, der nicht abgerechnet ist: Nichts wurde dafür bezahlt.</translation>
    </message>
    <message>
        <source>Order %1 is still %2 on tab “%3”, which is already settled.</source>
        <translation>Bestellung %1 ist noch %2 auf dem Deckel „%3“, der bereits abgerechnet ist.</translation>
    </message>
    <message>
        <source>Payment %1 is for order %2, which does not exist.</source>
        <translation>Zahlung %1 ist für Bestellung %2, die es nicht gibt.</translation>
    </message>
    <message>
        <source>Payment %1 is for order %2, which is %3, not completed.</source>
        <translation>Zahlung %1 ist für Bestellung %2, die %3 ist, nicht abgeschlossen.</translation>
    </message>
    <message>
        <source>Payment %1 pays order %2 on its own, but that order was completed through tab %3 and is paid with it.</source>
        <translation>Zahlung %1 bezahlt Bestellung %2 allein, aber diese Bestellung wurde über den Deckel %3 abgeschlossen und mit ihm bezahlt.</translation>
    </message>
    <message>
        <source>Payment %1 is for tab %2, which does not exist.</source>
        <translation>Zahlung %1 ist für den Deckel %2, den es nicht gibt.</translation>
    </message>
    <message>
        <source>Payment %1 is for tab “%2” (%3), which is still open.</source>
        <translation>Zahlung %1 ist für den Deckel „%2“ (%3), der noch offen ist.</translation>
    </message>
    <message>
        <source>Payment %1 of %2 is an overpayment with no review item: no manager was told to refund or keep it.</source>
        <translation>Zahlung %1 von %2 ist eine Überzahlung ohne Prüfvorgang: Kein Manager wurde gebeten, sie zu erstatten oder zu behalten.</translation>
    </message>
    <message numerus="yes">
        <source>Order %1 has %n payments of %2 cents with the same receipt %3: one was booked twice.</source>
        <translation>
            <numerusform>Bestellung %1 hat %n Zahlung von %2 Cent mit demselben Beleg %3: Eine wurde doppelt gebucht.</numerusform>
            <numerusform>Bestellung %1 hat %n Zahlungen von %2 Cent mit demselben Beleg %3: Eine wurde doppelt gebucht.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Tab %1 has %n payments of %2 cents with the same receipt %3: one was booked twice.</source>
        <translation>
            <numerusform>Deckel %1 hat %n Zahlung von %2 Cent mit demselben Beleg %3: Eine wurde doppelt gebucht.</numerusform>
            <numerusform>Deckel %1 hat %n Zahlungen von %2 Cent mit demselben Beleg %3: Eine wurde doppelt gebucht.</numerusform>
        </translation>
    </message>
    <message>
        <source>Line %1 counts %2 refunded, its refunds %3.</source>
        <translation>Position %1 zählt %2 erstattet, ihre Rückerstattungen %3.</translation>
    </message>
    <message>
        <source>Refund %1 is %2 but its lines add up to %3.</source>
        <translation>Rückerstattung %1 beträgt %2, aber ihre Positionen ergeben %3.</translation>
    </message>
    <message>
        <source>Refund %1 pays back receipt %2, which is no sale here.</source>
        <translation>Rückerstattung %1 zahlt Beleg %2 zurück, der hier kein Verkauf ist.</translation>
    </message>
    <message>
        <source>Receipt %1 was paid %2 and refunded %3.</source>
        <translation>Beleg %1 wurde mit %2 bezahlt und mit %3 erstattet.</translation>
    </message>
    <message>
        <source>order %1</source>
        <translation>Bestellung %1</translation>
    </message>
    <message>
        <source>tab %1</source>
        <translation>Deckel %1</translation>
    </message>
    <message>
        <source>refund %1</source>
        <translation>Rückerstattung %1</translation>
    </message>
    <message>
        <source>Receipt %1 was issued more than once: it is on %2.</source>
        <translation>Beleg %1 wurde mehr als einmal ausgestellt: Er steht auf %2.</translation>
    </message>
    <message>
        <source>The terminal row (receipt prefix and sequence) is missing.</source>
        <translation>Die Kassenzeile (Belegpräfix und Folge) fehlt.</translation>
    </message>
    <message>
        <source>This terminal&apos;s next receipt sequence number is %1, but receipt %2 was already issued: the next receipt would repeat a number.</source>
        <translation>Die nächste Belegfolgenummer dieser Kasse ist %1, aber Beleg %2 wurde bereits ausgestellt: Der nächste Beleg würde eine Nummer wiederholen.</translation>
    </message>
    <message>
        <source>Order %1 has no history entries.</source>
        <translation>Bestellung %1 hat keine Verlaufseinträge.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>The history of order %1 does not start with a new order: its first entry (%2) starts from version %3.</source>
        <translation>Der Verlauf von Bestellung %1 beginnt nicht mit einer neuen Bestellung: Sein erster Eintrag (%2) beginnt bei Version %3.</translation>
    </message>
    <message>
        <source>The history of order %1 breaks at entry %2: it starts from version %3, but the entry before it ended at version %4.</source>
        <translation>Der Verlauf von Bestellung %1 bricht bei Eintrag %2 ab: Er beginnt bei Version %3, aber der Eintrag davor endete bei Version %4.</translation>
    </message>
    <message>
        <source>Order %1 is at version %2, but its history ends at version %3.</source>
        <translation>Bestellung %1 ist bei Version %2, aber ihr Verlauf endet bei Version %3.</translation>
    </message>
    <message>
        <source>SQLite&apos;s integrity check reports: %1</source>
        <translation>Die Integritätsprüfung von SQLite meldet: %1</translation>
    </message>
    <message>
        <source>Row %1 of %2 refers to a row of %3 that does not exist.</source>
        <translation>Zeile %1 von %2 verweist auf eine Zeile von %3, die es nicht gibt.</translation>
    </message>
    <message>
        <source>%1 ok
</source>
        <translation>%1 ok
</translation>
    </message>
    <message numerus="yes">
        <source>%1 %n finding(s)
</source>
        <translation>
            <numerusform>%1 %n Befund
</numerusform>
            <numerusform>%1 %n Befunde
</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 skipped (%2)
</source>
        <translation>%1 übersprungen (%2)
</translation>
    </message>
    <message>
        <source>The database is clean.</source>
        <translation>Die Datenbank ist in Ordnung.</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found.</source>
        <translation>
            <numerusform>%n Problem gefunden.</numerusform>
            <numerusform>%n Probleme gefunden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Line %1 has refunds booked as excess, yet only %2 of its %3 units are counted refunded.</source>
        <translation>Position %1 hat als Überschuss gebuchte Erstattungen, aber nur %2 ihrer %3 Einheiten gelten als erstattet.</translation>
    </message>
    <message>
        <source>Refund %1 does not name the terminal of receipt %2 (%3).</source>
        <translation>Rückerstattung %1 nennt die Kasse von Beleg %2 nicht (%3).</translation>
    </message>
    <message>
        <source>Refund %1 names terminal %2 for receipt %3, which was sold on %4.</source>
        <translation>Rückerstattung %1 nennt Kasse %2 für Beleg %3, der auf %4 verkauft wurde.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Demo database — PINs: %1</source>
        <translation>Demo-Datenbank — PINs: %1</translation>
    </message>
    <message>
        <source>SafeTill</source>
        <translation>SafeTill</translation>
    </message>
    <message>
        <source>SafeTill point-of-sale terminal.</source>
        <translation>SafeTill-Kassenterminal.</translation>
    </message>
    <message>
        <source>path</source>
        <extracomment>The value placeholder of --db, shown in --help as &lt;path&gt;.</extracomment>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>The language of the screens: %1 (default: the setting ui/language, else the system&apos;s language).</source>
        <translation>Die Sprache der Bildschirme: %1 (Standard: die Einstellung ui/language, sonst die Sprache des Systems).</translation>
    </message>
    <message>
        <source>language</source>
        <extracomment>The value placeholder of --language, shown in --help as &lt;language&gt;.</extracomment>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Sync is off: %1</source>
        <translation>Synchronisation ist aus: %1</translation>
    </message>
    <message>
        <source>The database file (default: safetill.sqlite in the app&apos;s data location).</source>
        <translation>Die Datenbankdatei (Standard: safetill.sqlite im Datenverzeichnis der App).</translation>
    </message>
    <message>
        <source>Add the demo cashiers and catalog if missing, and show their PINs.</source>
        <translation>Die Demo-Kassierer und den Demo-Katalog hinzufügen, falls sie fehlen, und ihre PINs anzeigen.</translation>
    </message>
    <message>
        <source>Full screen without decorations; quitting needs a manager&apos;s PIN.</source>
        <translation>Vollbild ohne Fensterrahmen; das Beenden braucht die PIN eines Managers.</translation>
    </message>
</context>
</TS>
