<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>CliApp</name>
    <message>
        <source>Pruned %1 sent sync op(s) and %2 stored request result(s) older than %3 day(s) (before %4).</source>
        <translation>%1 opérations de synchronisation envoyées et %2 résultats de requête enregistrés de plus de %3 jours supprimés (avant le %4).</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Price %1, was %2</source>
        <translation>Prix %1, au lieu de %2</translation>
    </message>
    <message>
        <source>Discount %1 (%2)</source>
        <translation>Remise %1 (%2)</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>Sous-total</translation>
    </message>
    <message>
        <source>Order discount %1 (%2)</source>
        <translation>Remise sur la commande %1 (%2)</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Espèces</translation>
    </message>
    <message>
        <source>Cash rounding</source>
        <translation>Arrondi espèces</translation>
    </message>
    <message>
        <source>Tendered</source>
        <translation>Reçu</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Monnaie rendue</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>TVA</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>HT</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>TTC</translation>
    </message>
    <message>
        <source>Tax number %1</source>
        <translation>N° de TVA %1</translation>
    </message>
    <message>
        <source>Receipt %1</source>
        <translation>Ticket %1</translation>
    </message>
    <message>
        <source>Terminal %1</source>
        <translation>Caisse %1</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Served by %1</source>
        <translation>Vous avez été servi par %1</translation>
    </message>
    <message>
        <source>Tab %1</source>
        <translation>Ardoise %1</translation>
    </message>
    <message>
        <source>COPY</source>
        <translation>COPIE</translation>
    </message>
    <message>
        <source>Reprint: this is not the original receipt.</source>
        <translation>Réimpression : ceci n&apos;est pas le ticket original.</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Z report %1</source>
        <translation>Rapport Z %1</translation>
    </message>
    <message>
        <source>X report (the shift so far)</source>
        <translation>Rapport X (la session jusqu&apos;ici)</translation>
    </message>
    <message>
        <source>Opened %1%2</source>
        <translation>Ouverte le %1%2</translation>
    </message>
    <message>
        <source> by the first sale</source>
        <translation> par la première vente</translation>
    </message>
    <message>
        <source> by %1</source>
        <translation> par %1</translation>
    </message>
    <message>
        <source>Closed %1 by %2</source>
        <translation>Clôturée le %1 par %2</translation>
    </message>
    <message>
        <source>Printed %1</source>
        <translation>Imprimé le %1</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Ventes</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>%1 %2 net</source>
        <translation>%1 %2 HT</translation>
    </message>
    <message>
        <source>%1 %2 tax</source>
        <translation>%1 %2 TVA</translation>
    </message>
    <message>
        <source>%1 %2 gross</source>
        <translation>%1 %2 TTC</translation>
    </message>
    <message>
        <source>Untaxed</source>
        <translation>Non taxé</translation>
    </message>
    <message>
        <source>Gross sales</source>
        <translation>Ventes brutes</translation>
    </message>
    <message>
        <source>Discounts (lines %1, orders %2)</source>
        <translation>Remises (lignes %1, commandes %2)</translation>
    </message>
    <message>
        <source>Refunds and voids</source>
        <translation>Remboursements et annulations</translation>
    </message>
    <message>
        <source>Refunds (%1)</source>
        <translation>Remboursements (%1)</translation>
    </message>
    <message>
        <source>Voids (%1)</source>
        <translation>Annulations (%1)</translation>
    </message>
    <message>
        <source>Paid back by %1</source>
        <translation>Remboursé par %1</translation>
    </message>
    <message>
        <source>Payments taken</source>
        <translation>Paiements encaissés</translation>
    </message>
    <message>
        <source>of which overpaid (for review)</source>
        <translation>dont trop-perçu (à vérifier)</translation>
    </message>
    <message>
        <source>Cash movements</source>
        <translation>Mouvements d&apos;espèces</translation>
    </message>
    <message>
        <source>Pay-in</source>
        <translation>Apport</translation>
    </message>
    <message>
        <source>Pay-out</source>
        <translation>Retrait</translation>
    </message>
    <message>
        <source>No sale</source>
        <translation>Ouverture sans vente</translation>
    </message>
    <message>
        <source>Cash drawer</source>
        <translation>Tiroir-caisse</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>Fond de caisse</translation>
    </message>
    <message>
        <source>+ Cash taken</source>
        <translation>+ Espèces encaissées</translation>
    </message>
    <message>
        <source>+ Pay-ins</source>
        <translation>+ Apports</translation>
    </message>
    <message>
        <source>− Cash paid back</source>
        <translation>− Espèces remboursées</translation>
    </message>
    <message>
        <source>− Pay-outs</source>
        <translation>− Retraits</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Attendu</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Compté</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>Manque</translation>
    </message>
    <message>
        <source>Over</source>
        <translation>Excédent</translation>
    </message>
    <message>
        <source>Card slips counted</source>
        <translation>Tickets carte comptés</translation>
    </message>
    <message>
        <source>Card over/short</source>
        <translation>Carte excédent/manque</translation>
    </message>
    <message>
        <source>No sales</source>
        <translation>Aucune vente</translation>
    </message>
    <message>
        <source>Shift report</source>
        <translation>Rapport de session</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>Impression de test</translation>
    </message>
</context>
<context>
    <name>Retention</name>
    <message>
        <source>The retention period must be from %1 to %2 days.</source>
        <translation>La durée de conservation doit être comprise entre %1 et %2 jours.</translation>
    </message>
</context>
<context>
    <name>SafeTill::AboutDialog</name>
    <message>
        <source>About SafeTill</source>
        <translation>À propos de SafeTill</translation>
    </message>
    <message>
        <source>SafeTill %1</source>
        <translation>SafeTill %1</translation>
    </message>
    <message>
        <source>A point-of-sale terminal: no order is lost, duplicated or paid twice.</source>
        <translation>Un terminal de point de vente : aucune commande n&apos;est perdue, dupliquée ni payée deux fois.</translation>
    </message>
    <message>
        <source>Licence: MIT (see the LICENSE file that came with it).</source>
        <translation>Licence : MIT (voir le fichier LICENSE fourni avec le logiciel).</translation>
    </message>
    <message>
        <source>Built with Qt %1, running on Qt %2.</source>
        <translation>Compilé avec Qt %1, exécuté avec Qt %2.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ActionJournal</name>
    <message>
        <source>The request id %1 was already used for a different request (%2); nothing was changed. Use a new request id for a new action.</source>
        <translation>L&apos;identifiant de requête %1 a déjà servi pour une autre requête (%2) ; rien n&apos;a été modifié. Utilisez un nouvel identifiant pour une nouvelle action.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ApprovalDialog</name>
    <message>
        <source>Manager approval</source>
        <translation>Autorisation d&apos;un responsable</translation>
    </message>
    <message>
        <source>What needs a manager</source>
        <translation>Ce qui demande un responsable</translation>
    </message>
    <message>
        <source>Approving manager</source>
        <translation>Responsable qui autorise</translation>
    </message>
    <message>
        <source>Manager&apos;s PIN</source>
        <translation>Code PIN du responsable</translation>
    </message>
    <message>
        <source>Approval message</source>
        <translation>Message d&apos;autorisation</translation>
    </message>
    <message>
        <source>&amp;Manager:</source>
        <translation>&amp;Responsable :</translation>
    </message>
    <message>
        <source>&amp;PIN:</source>
        <translation>Code &amp;PIN :</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>&amp;Autoriser</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Autoriser</translation>
    </message>
    <message>
        <source>There is no manager to approve this.</source>
        <translation>Aucun responsable ne peut autoriser ceci.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
</context>
<context>
    <name>SafeTill::Approvals</name>
    <message>
        <source>A refund</source>
        <translation>Un remboursement</translation>
    </message>
    <message>
        <source>A void</source>
        <translation>Une annulation</translation>
    </message>
    <message>
        <source>Opening the drawer without a sale</source>
        <translation>L&apos;ouverture du tiroir sans vente</translation>
    </message>
    <message>
        <source>A discount above the limit for cashiers</source>
        <translation>Une remise au-delà de la limite des caissiers</translation>
    </message>
    <message>
        <source>A price override</source>
        <translation>Une modification de prix</translation>
    </message>
    <message>
        <source>Changing the shop&apos;s settings</source>
        <translation>La modification des paramètres du magasin</translation>
    </message>
    <message>
        <source>The back office</source>
        <translation>La gestion</translation>
    </message>
    <message>
        <source>%1 needs a manager: ask a manager to approve it with their PIN.</source>
        <translation>%1 demande un responsable : demandez à un responsable de l&apos;autoriser avec son code PIN.</translation>
    </message>
    <message>
        <source>Not approved: the approver&apos;s PIN is wrong.</source>
        <translation>Non autorisé : le code PIN de la personne qui autorise est erroné.</translation>
    </message>
    <message>
        <source>Not approved: %1</source>
        <translation>Non autorisé : %1</translation>
    </message>
    <message>
        <source>Not approved: %1 is not a manager. %2 needs a manager.</source>
        <translation>Non autorisé : %1 n&apos;est pas responsable. %2 demande un responsable.</translation>
    </message>
    <message>
        <source>Not approved: a cashier cannot approve their own action.</source>
        <translation>Non autorisé : un caissier ne peut pas autoriser sa propre action.</translation>
    </message>
</context>
<context>
    <name>SafeTill::BackOfficeHistory</name>
    <message>
        <source>This till syncs with %1: cashiers and the catalog are managed on the server and come to this till with the next sync. Nothing was changed here.</source>
        <translation>Cette caisse se synchronise avec %1 : les caissiers et le catalogue sont gérés sur le serveur et arrivent sur cette caisse à la prochaine synchronisation. Rien n&apos;a été modifié ici.</translation>
    </message>
</context>
<context>
    <name>SafeTill::BackOfficeWindow</name>
    <message>
        <source>Back office — %1 (approved by %2)</source>
        <translation>Back-office — %1 (autorisé par %2)</translation>
    </message>
    <message>
        <source>Back office — %1</source>
        <translation>Back-office — %1</translation>
    </message>
    <message>
        <source>&amp;Products</source>
        <translation>&amp;Produits</translation>
    </message>
    <message>
        <source>C&amp;ategories</source>
        <translation>&amp;Catégories</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importer</translation>
    </message>
    <message>
        <source>Ca&amp;shiers</source>
        <translation>C&amp;aissiers</translation>
    </message>
    <message>
        <source>S&amp;hop</source>
        <translation>&amp;Magasin</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Historique</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>responsable</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>caissier</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>retiré</translation>
    </message>
    <message>
        <source>active</source>
        <translation>actif</translation>
    </message>
    <message>
        <source>(set-up or command line)</source>
        <translation>(installation ou ligne de commande)</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <source>Search by SKU, name or category</source>
        <translation>Rechercher par SKU, nom ou catégorie</translation>
    </message>
    <message>
        <source>Search products</source>
        <translation>Rechercher des produits</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Modifier…</translation>
    </message>
    <message>
        <source>&amp;Retire</source>
        <translation>&amp;Retirer</translation>
    </message>
    <message>
        <source>Takes the product off the till. It is never deleted: its receipts and reports keep showing it, and Restore puts it back.</source>
        <translation>Retire le produit de la caisse. Il n&apos;est jamais supprimé : ses tickets et rapports continuent de l&apos;afficher, et Restaurer le remet en caisse.</translation>
    </message>
    <message>
        <source>Re&amp;store</source>
        <translation>Re&amp;staurer</translation>
    </message>
    <message>
        <source>Choose a product in the list first.</source>
        <translation>Choisissez d&apos;abord un produit dans la liste.</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>Modifier %1</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>Nouveau produit</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>Open price: the till asks for the price each time</source>
        <translation>Prix libre : la caisse demande le prix à chaque fois</translation>
    </message>
    <message>
        <source>SKU / barcode</source>
        <translation>SKU / code-barres</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Price (%1)</source>
        <translation>Prix (%1)</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Tax rate</source>
        <translation>Taux de TVA</translation>
    </message>
    <message>
        <source>Price: “%1” is not an amount of %2, such as %3.</source>
        <translation>Prix : « %1 » n&apos;est pas un montant en %2, p. ex. %3.</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>%1 enregistré.</translation>
    </message>
    <message>
        <source>Categories in their order on the till</source>
        <translation>Catégories dans leur ordre en caisse</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>&amp;Monter</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>&amp;Descendre</translation>
    </message>
    <message>
        <source>New category</source>
        <translation>Nouvelle catégorie</translation>
    </message>
    <message>
        <source>Add &amp;category</source>
        <translation>Ajouter une &amp;catégorie</translation>
    </message>
    <message>
        <source>Choose a category in the list first.</source>
        <translation>Choisissez d&apos;abord une catégorie dans la liste.</translation>
    </message>
    <message>
        <source>The till shows the categories in this order.</source>
        <translation>La caisse affiche les catégories dans cet ordre.</translation>
    </message>
    <message>
        <source>Import a CSV &amp;file…</source>
        <translation>Importer un &amp;fichier CSV…</translation>
    </message>
    <message>
        <source>A CSV file with the header sku,name,price_cents and optionally category and tax. New SKUs are added, known ones changed; a file with any problem imports nothing.</source>
        <translation>Un fichier CSV avec l&apos;en-tête sku,name,price_cents et en option category et tax. Les nouveaux SKU sont ajoutés, ceux déjà connus modifiés ; un fichier qui comporte le moindre problème n&apos;importe rien.</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <source>Import products</source>
        <translation>Importer des produits</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>Fichiers CSV (*.csv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>%1 is larger than %2 MiB.</source>
        <translation>%1 dépasse %2 Mio.</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>Imported: %1 added, %2 changed.</source>
        <translation>Importé : %1 ajoutés, %2 modifiés.</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>Rien n&apos;a été importé.</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Reset &amp;PIN…</source>
        <translation>Réinitialiser le code &amp;PIN…</translation>
    </message>
    <message>
        <source>Switch &amp;role</source>
        <translation>Changer de &amp;rôle</translation>
    </message>
    <message>
        <source>A cashier becomes a manager, a manager a cashier.</source>
        <translation>Un caissier devient responsable, un responsable devient caissier.</translation>
    </message>
    <message>
        <source>The cashier can no longer sign in; their sales keep their name.</source>
        <translation>Le caissier ne peut plus se connecter ; ses ventes gardent son nom.</translation>
    </message>
    <message>
        <source>Choose a cashier in the list first.</source>
        <translation>Choisissez d&apos;abord un caissier dans la liste.</translation>
    </message>
    <message>
        <source>You cannot change your own role; ask another manager.</source>
        <translation>Vous ne pouvez pas changer votre propre rôle ; demandez à un autre responsable.</translation>
    </message>
    <message>
        <source>You cannot retire yourself; ask another manager.</source>
        <translation>Vous ne pouvez pas vous retirer vous-même ; demandez à un autre responsable.</translation>
    </message>
    <message>
        <source>New PIN for %1</source>
        <translation>Nouveau code PIN pour %1</translation>
    </message>
    <message>
        <source>New cashier</source>
        <translation>Nouveau caissier</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Caissier</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Responsable</translation>
    </message>
    <message>
        <source>PIN (digits)</source>
        <translation>Code PIN (chiffres)</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>Code PIN à nouveau</translation>
    </message>
    <message>
        <source>PIN again: the two PINs differ; type the same PIN twice.</source>
        <translation>Code PIN à nouveau : les deux codes PIN diffèrent ; saisissez deux fois le même code PIN.</translation>
    </message>
    <message>
        <source>Open the shop&apos;s &amp;settings…</source>
        <translation>Ouvrir les &amp;paramètres du magasin…</translation>
    </message>
    <message>
        <source>The shop&apos;s name, address, tax number, receipt footer, currency, cash rounding and default tax.</source>
        <translation>Le nom, l&apos;adresse, le n° de TVA, le pied de ticket, la devise, l&apos;arrondi espèces et la TVA par défaut du magasin.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>Which</source>
        <translation>Lequel</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Modification</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
</context>
<context>
    <name>SafeTill::CashierService</name>
    <message>
        <source>A cashier&apos;s name</source>
        <translation>Le nom d&apos;un caissier</translation>
    </message>
    <message>
        <source>The PIN could not be hashed.</source>
        <translation>Le code PIN n&apos;a pas pu être haché.</translation>
    </message>
    <message>
        <source>There is already a cashier called %1.</source>
        <translation>Il existe déjà un caissier nommé %1.</translation>
    </message>
    <message>
        <source>There is no cashier called %1.</source>
        <translation>Il n&apos;y a pas de caissier nommé %1.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Code PIN erroné.</translation>
    </message>
    <message>
        <source>Too many wrong PINs for %1: locked until %2 UTC (try again in %3 s).</source>
        <translation>Trop de codes PIN erronés pour %1 : bloqué jusqu&apos;à %2 UTC (réessayez dans %3 s).</translation>
    </message>
    <message>
        <source>%1 is retired: a retired cashier has no PIN.</source>
        <translation>%1 est retiré : un caissier retiré n&apos;a pas de code PIN.</translation>
    </message>
    <message>
        <source>%1 is retired: a retired cashier&apos;s role cannot change.</source>
        <translation>%1 est retiré : le rôle d&apos;un caissier retiré ne peut pas changer.</translation>
    </message>
</context>
<context>
    <name>SafeTill::CatalogService</name>
    <message>
        <source>A product&apos;s name</source>
        <translation>Le nom d&apos;un produit</translation>
    </message>
    <message>
        <source>A category has at most %1 characters.</source>
        <translation>Une catégorie a au plus %1 caractères.</translation>
    </message>
    <message>
        <source>The file is larger than %1 MiB.</source>
        <translation>Le fichier dépasse %1 Mio.</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Le fichier est vide.</translation>
    </message>
    <message>
        <source>The file has more than %1 products.</source>
        <translation>Le fichier contient plus de %1 produits.</translation>
    </message>
    <message>
        <source>line 1: the header must name the columns sku, name and price_cents (and optionally category and tax).</source>
        <translation>ligne 1 : l&apos;en-tête doit nommer les colonnes sku, name et price_cents (et en option category et tax).</translation>
    </message>
    <message>
        <source>expected %1 fields, found %2.</source>
        <translation>%1 champs attendus, %2 trouvés.</translation>
    </message>
    <message>
        <source>price_cents must be a whole number of cents, not “%1”.</source>
        <translation>price_cents doit être un nombre entier de centimes, pas « %1 ».</translation>
    </message>
    <message>
        <source>tax: there is no tax rate with the code “%1” (see `tax list`).</source>
        <translation>tax : aucun taux de TVA n&apos;a le code « %1 » (voir `tax list`).</translation>
    </message>
    <message>
        <source>the SKU %1 appears twice in the file.</source>
        <translation>le SKU %1 apparaît deux fois dans le fichier.</translation>
    </message>
    <message>
        <source>Nothing was imported. </source>
        <translation>Rien n&apos;a été importé. </translation>
    </message>
    <message>
        <source>
… and %1 more problems.</source>
        <translation>
… et %1 autres problèmes.</translation>
    </message>
    <message>
        <source>There is no product with SKU %1.</source>
        <translation>Il n&apos;y a pas de produit avec le SKU %1.</translation>
    </message>
    <message>
        <source>A tax code has 1 to 16 characters (such as STD, RED or ZERO).</source>
        <translation>Un code de TVA a 1 à 16 caractères (comme STD, RED ou ZERO).</translation>
    </message>
    <message>
        <source>A tax code is letters, digits, - and _ only, not “%1”.</source>
        <translation>Un code de TVA ne contient que des lettres, des chiffres, - et _, pas « %1 ».</translation>
    </message>
    <message>
        <source>A tax rate&apos;s name has 1 to 64 characters.</source>
        <translation>Le nom d&apos;un taux de TVA a 1 à 64 caractères.</translation>
    </message>
    <message>
        <source>A tax rate is from 0 to 10000 basis points (0 to 100 %%), not %1.</source>
        <translation>Un taux de TVA est compris entre 0 et 10000 points de base (0 à 100 %%), pas %1.</translation>
    </message>
    <message>
        <source>There is already a tax rate %1; `tax set` changes it.</source>
        <translation>Le taux de TVA %1 existe déjà ; `tax set` le modifie.</translation>
    </message>
    <message>
        <source>There is no tax rate %1; `tax add` adds it.</source>
        <translation>Il n&apos;y a pas de taux de TVA %1 ; `tax add` l&apos;ajoute.</translation>
    </message>
    <message>
        <source>SKU: there is already a product with SKU %1.</source>
        <translation>SKU : il existe déjà un produit avec le SKU %1.</translation>
    </message>
    <message>
        <source>A category&apos;s name</source>
        <translation>Le nom d&apos;une catégorie</translation>
    </message>
    <message>
        <source>Category: there is already a category called %1.</source>
        <translation>Catégorie : il existe déjà une catégorie nommée %1.</translation>
    </message>
    <message>
        <source>position %1</source>
        <translation>position %1</translation>
    </message>
    <message>
        <source>There is no category called %1.</source>
        <translation>Il n&apos;y a pas de catégorie nommée %1.</translation>
    </message>
    <message>
        <source>position %1 → %2</source>
        <translation>position %1 → %2</translation>
    </message>
    <message>
        <source>%1 added, %2 updated</source>
        <translation>%1 ajoutés, %2 mis à jour</translation>
    </message>
</context>
<context>
    <name>SafeTill::DemoData</name>
    <message>
        <source>The demo catalog is missing from this build.</source>
        <translation>Le catalogue de démonstration manque dans cette version.</translation>
    </message>
</context>
<context>
    <name>SafeTill::DiscountDialog</name>
    <message>
        <source>This line</source>
        <translation>Cette ligne</translation>
    </message>
    <message>
        <source>Whole order</source>
        <translation>Toute la commande</translation>
    </message>
    <message>
        <source>Percent</source>
        <translation>Pourcentage</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Give discount</source>
        <translation>Accorder la remise</translation>
    </message>
    <message>
        <source>Remove discount</source>
        <translation>Supprimer la remise</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Remise</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Ligne %1 : %2</translation>
    </message>
    <message>
        <source>Select a line on the order for a line discount.</source>
        <translation>Sélectionnez une ligne de la commande pour une remise sur la ligne.</translation>
    </message>
    <message>
        <source>Discount:</source>
        <translation>Remise :</translation>
    </message>
    <message>
        <source>Required, e.g. staff, damaged, loyalty</source>
        <translation>Obligatoire, p. ex. personnel, abîmé, fidélité</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Motif :</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Enter a percent from %1 to 100, e.g. 10</source>
        <translation>Saisissez un pourcentage de %1 à 100, p. ex. 10</translation>
    </message>
    <message>
        <source>Enter an amount of at most %1, e.g. %2</source>
        <translation>Saisissez un montant d&apos;au plus %1, p. ex. %2</translation>
    </message>
    <message>
        <source>The discount is more than the %1 (%2).</source>
        <translation>La remise dépasse %1 (%2).</translation>
    </message>
    <message>
        <source>order subtotal</source>
        <translation>le sous-total de la commande</translation>
    </message>
    <message>
        <source>line amount</source>
        <translation>le montant de la ligne</translation>
    </message>
    <message>
        <source>Enter a reason for the discount.</source>
        <translation>Saisissez un motif pour la remise.</translation>
    </message>
    <message>
        <source>Takes off %1 of %2.</source>
        <translation>Retire %1 de %2.</translation>
    </message>
</context>
<context>
    <name>SafeTill::FirstStart</name>
    <message>
        <source>This till is set up already: log in with a manager&apos;s PIN.</source>
        <translation>Cette caisse est déjà configurée : connectez-vous avec le code PIN d&apos;un responsable.</translation>
    </message>
    <message>
        <source>The database is busy; nothing was set up. Try again.</source>
        <translation>La base de données est occupée ; rien n&apos;a été configuré. Réessayez.</translation>
    </message>
    <message>
        <source>Nothing was set up: %1</source>
        <translation>Rien n&apos;a été configuré : %1</translation>
    </message>
    <message>
        <source>PIN: the first manager&apos;s PIN has at most %1 digits.</source>
        <translation>PIN : le code PIN du premier responsable a au plus %1 chiffres.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ItemsJson</name>
    <message>
        <source>The item list is larger than 1 MiB.</source>
        <translation>La liste d&apos;articles dépasse 1 Mio.</translation>
    </message>
    <message>
        <source>The item list is not valid JSON (%1 at character %2).</source>
        <translation>La liste d&apos;articles n&apos;est pas un JSON valide (%1 au caractère %2).</translation>
    </message>
    <message>
        <source>The item list must be a JSON array of items.</source>
        <translation>La liste d&apos;articles doit être un tableau JSON d&apos;articles.</translation>
    </message>
    <message>
        <source>An order can have at most %1 lines.</source>
        <translation>Une commande peut avoir au plus %1 lignes.</translation>
    </message>
    <message>
        <source>Item %1: </source>
        <translation>Article %1 : </translation>
    </message>
    <message>
        <source>each item must be a JSON object.</source>
        <translation>chaque article doit être un objet JSON.</translation>
    </message>
    <message>
        <source>give the price once.</source>
        <translation>indiquez le prix une seule fois.</translation>
    </message>
    <message>
        <source>unknown field “%1”.</source>
        <translation>champ inconnu « %1 ».</translation>
    </message>
    <message>
        <source>qty must be a whole number from 1 to %1.</source>
        <translation>qty doit être un nombre entier de 1 à %1.</translation>
    </message>
    <message>
        <source>an item needs a sku, or a text name and unit_price_cents from 0 to %1.</source>
        <translation>un article demande un sku, ou un name texte et unit_price_cents de 0 à %1.</translation>
    </message>
    <message>
        <source>a catalog item has a text sku, a qty and, when it is sold at an open price, its unit_price_cents.</source>
        <translation>un article du catalogue a une sku textuelle, une qty et, s&apos;il est vendu à prix libre, son unit_price_cents.</translation>
    </message>
    <message>
        <source>unit_price_cents must be a whole number from 0 to %1.</source>
        <translation>unit_price_cents doit être un nombre entier de 0 à %1.</translation>
    </message>
</context>
<context>
    <name>SafeTill::LoginWidget</name>
    <message>
        <source>Who is working?</source>
        <translation>Qui travaille ?</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>PIN for %1</source>
        <translation>Code PIN de %1</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Code PIN erroné.</translation>
    </message>
    <message>
        <source>Wrong PIN. You can try again now.</source>
        <translation>Code PIN erroné. Vous pouvez réessayer maintenant.</translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN. Try again in %n second(s).</source>
        <translation>
            <numerusform>Code PIN erroné. Réessayez dans %n seconde.</numerusform>
            <numerusform>Code PIN erroné. Réessayez dans %n secondes.</numerusform>
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
        <translation>Éléments à vérifier</translation>
    </message>
    <message>
        <source>Cases sync could not settle alone: open the review list</source>
        <translation>Cas que la synchronisation n&apos;a pas pu régler seule : ouvrir la liste à vérifier</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Window</source>
        <translation>Fe&amp;nêtre</translation>
    </message>
    <message>
        <source>&amp;New Window</source>
        <translation>&amp;Nouvelle fenêtre</translation>
    </message>
    <message>
        <source>&amp;Tabs</source>
        <translation>&amp;Ardoises</translation>
    </message>
    <message>
        <source>R&amp;eceipts</source>
        <translation>&amp;Tickets</translation>
    </message>
    <message>
        <source>S&amp;hift</source>
        <translation>&amp;Session</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>&amp;Vérification</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>&amp;Sync…</source>
        <translation>&amp;Synchronisation…</translation>
    </message>
    <message>
        <source>S&amp;hop…</source>
        <translation>&amp;Magasin…</translation>
    </message>
    <message>
        <source>Review: %1</source>
        <translation>Vérification : %1</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) to review</source>
        <translation>
            <numerusform>%n élément à vérifier</numerusform>
            <numerusform>%n éléments à vérifier</numerusform>
        </translation>
    </message>
    <message>
        <source>SafeTill — %1</source>
        <translation>SafeTill — %1</translation>
    </message>
    <message>
        <source>Nobody logged in</source>
        <translation>Personne n&apos;est connecté</translation>
    </message>
    <message>
        <source>&amp;Back Office…</source>
        <translation>&amp;Back-office…</translation>
    </message>
    <message>
        <source>Receipt &amp;printer…</source>
        <translation>&amp;Imprimante de tickets…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About SafeTill</source>
        <translation>À &amp;propos de SafeTill</translation>
    </message>
    <message>
        <source>Closing the till in kiosk mode needs a manager.</source>
        <translation>Fermer la caisse en mode kiosque demande un responsable.</translation>
    </message>
    <message>
        <source>Not approved: the manager&apos;s PIN is wrong.</source>
        <translation>Non autorisé : le code PIN du responsable est erroné.</translation>
    </message>
    <message>
        <source>Not approved: %1</source>
        <translation>Non autorisé : %1</translation>
    </message>
    <message>
        <source>%1 is not a manager; closing the till needs a manager.</source>
        <translation>%1 n&apos;est pas responsable ; fermer la caisse demande un responsable.</translation>
    </message>
</context>
<context>
    <name>SafeTill::MessageBar</name>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
</context>
<context>
    <name>SafeTill::OpenPriceDialog</name>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Price of %1</source>
        <translation>Prix de %1</translation>
    </message>
    <message>
        <source>%1 (%2) is sold at an open price: enter the price of this one.</source>
        <translation>%1 (%2) est vendu à prix libre : saisissez le prix de celui-ci.</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Prix</translation>
    </message>
    <message>
        <source>Price (%1):</source>
        <translation>Prix (%1) :</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Enter a price from %1 to %2, e.g. %3</source>
        <translation>Saisissez un prix de %1 à %2, par ex. %3</translation>
    </message>
</context>
<context>
    <name>SafeTill::OrderLinesModel</name>
    <message>
        <source>Price changed from %1: %2</source>
        <translation>Prix modifié de %1 : %2</translation>
    </message>
    <message>
        <source>was %1</source>
        <translation>au lieu de %1</translation>
    </message>
    <message>
        <source>Discount: %1</source>
        <translation>Remise : %1</translation>
    </message>
    <message>
        <source>−%1&#xa0;%2 %3</source>
        <translation>−%1&#xa0;%2 %3</translation>
    </message>
    <message>
        <source>#</source>
        <translation>N°</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Article</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Qté</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Prix</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>SafeTill::OrderService</name>
    <message>
        <source>The database answered %1 of %2 %3.</source>
        <translation>La base de données a répondu à %1 sur %2 %3.</translation>
    </message>
    <message>
        <source>This cashier has no open order.</source>
        <translation>Ce caissier n&apos;a pas de commande ouverte.</translation>
    </message>
    <message>
        <source>Line %1 has a discount or a changed price, which replacing every line would drop; remove it first, or change the lines one by one.</source>
        <translation>La ligne %1 a une remise ou un prix modifié, que le remplacement de toutes les lignes supprimerait ; retirez-le d&apos;abord, ou modifiez les lignes une par une.</translation>
    </message>
    <message>
        <source>There is no cashier %1.</source>
        <translation>Il n&apos;y a pas de caissier %1.</translation>
    </message>
    <message>
        <source>There is no order %1.</source>
        <translation>Il n&apos;y a pas de commande %1.</translation>
    </message>
    <message>
        <source>Another till opened an order at the same moment; please try again.</source>
        <translation>Une autre caisse a ouvert une commande au même moment ; veuillez réessayer.</translation>
    </message>
    <message>
        <source>There is no product with SKU %1.</source>
        <translation>Il n&apos;y a pas de produit avec le SKU %1.</translation>
    </message>
    <message>
        <source>A line can hold at most %1 items.</source>
        <translation>Une ligne peut contenir au plus %1 articles.</translation>
    </message>
    <message>
        <source>An order can have at most %1 lines.</source>
        <translation>Une commande peut avoir au plus %1 lignes.</translation>
    </message>
    <message>
        <source>An item&apos;s name</source>
        <translation>Le nom d&apos;un article</translation>
    </message>
    <message>
        <source>The result of this request is unreadable; nothing was changed.</source>
        <translation>Le résultat de cette requête est illisible ; rien n&apos;a été modifié.</translation>
    </message>
    <message>
        <source>The database answered an item add with “%1”.</source>
        <translation>La base de données a répondu à l&apos;ajout d&apos;un article par « %1 ».</translation>
    </message>
    <message>
        <source> To take a line off, remove it.</source>
        <translation> Pour retirer une ligne, supprimez-la.</translation>
    </message>
    <message>
        <source>Line %1 is not on this order.</source>
        <translation>La ligne %1 n&apos;est pas dans cette commande.</translation>
    </message>
    <message>
        <source>A quantity change must be from -%1 to %1, and not 0.</source>
        <translation>Une modification de quantité doit être comprise entre -%1 et %1, et différente de 0.</translation>
    </message>
    <message>
        <source>A line holds 1 to %1 items; to take it off, remove it.</source>
        <translation>Une ligne contient 1 à %1 articles ; pour la retirer, supprimez-la.</translation>
    </message>
    <message>
        <source>Item %1: </source>
        <translation>Article %1 : </translation>
    </message>
    <message>
        <source>An item needs a SKU, or a name and a price.</source>
        <translation>Un article demande un SKU, ou un nom et un prix.</translation>
    </message>
    <message>
        <source>There is no product with SKU %1; nothing was changed.</source>
        <translation>Il n&apos;y a pas de produit avec le SKU %1 ; rien n&apos;a été modifié.</translation>
    </message>
    <message>
        <source>An empty order cannot be paid.</source>
        <translation>Une commande vide ne peut pas être payée.</translation>
    </message>
    <message>
        <source>%1 (more than %2 % off, the shop&apos;s cashier-discount-limit) needs a manager: ask a manager to approve it with their PIN.</source>
        <translation>%1 (plus de %2 % de remise, la limite de remise des caissiers du magasin) demande un responsable : demandez à un responsable de l&apos;autoriser avec son code PIN.</translation>
    </message>
    <message>
        <source>The line discount</source>
        <translation>La remise sur la ligne</translation>
    </message>
    <message>
        <source>line: %1 is not on this order.</source>
        <translation>line : %1 n&apos;est pas dans cette commande.</translation>
    </message>
    <message>
        <source>by: there is no cashier %1.</source>
        <translation>by : il n&apos;y a pas de caissier %1.</translation>
    </message>
    <message>
        <source>The order discount</source>
        <translation>La remise sur la commande</translation>
    </message>
    <message>
        <source>price: </source>
        <translation>prix : </translation>
    </message>
    <message>
        <source>reason: a price override needs a reason of 1 to 200 characters.</source>
        <translation>motif : une modification de prix demande un motif de 1 à 200 caractères.</translation>
    </message>
    <message>
        <source>%1 needs a manager: ask a manager to approve it with their PIN.</source>
        <translation>%1 demande un responsable : demandez à un responsable de l&apos;autoriser avec son code PIN.</translation>
    </message>
    <message>
        <source>A tab&apos;s name</source>
        <translation>Le nom d&apos;une ardoise</translation>
    </message>
    <message>
        <source>The tab “%1” was being settled at the same moment; please try again.</source>
        <translation>L&apos;ardoise « %1 » était réglée au même moment ; veuillez réessayer.</translation>
    </message>
    <message>
        <source>An empty order cannot be put on a tab.</source>
        <translation>Une commande vide ne peut pas être mise sur une ardoise.</translation>
    </message>
    <message>
        <source>SKU %1 is sold at an open price: enter its price.</source>
        <translation>L&apos;article %1 est vendu à prix libre : saisissez son prix.</translation>
    </message>
    <message>
        <source>SKU %1 has a fixed price; charging another price is a price override, which needs a manager.</source>
        <translation>L&apos;article %1 a un prix fixe ; facturer un autre prix est une modification de prix, qui demande un responsable.</translation>
    </message>
</context>
<context>
    <name>SafeTill::OrderStore</name>
    <message>
        <source>This order has already been paid.</source>
        <translation>Cette commande a déjà été payée.</translation>
    </message>
    <message>
        <source>This order has already been paid (receipt %1).</source>
        <translation>Cette commande a déjà été payée (ticket %1).</translation>
    </message>
    <message>
        <source>This order is already on the tab “%1”.</source>
        <translation>Cette commande est déjà sur l&apos;ardoise « %1 ».</translation>
    </message>
    <message>
        <source>This order is parked because %1 logged out; log in again to continue it.</source>
        <translation>Cette commande est en attente car %1 s&apos;est déconnecté ; reconnectez-vous pour la reprendre.</translation>
    </message>
    <message>
        <source>Payments were taken on this order: its items and discounts can no longer change. Take the rest of the balance (%1 cents), or refund the payments.</source>
        <translation>Des paiements ont été encaissés sur cette commande : ses articles et remises ne peuvent plus changer. Encaissez le reste dû (%1 centimes), ou remboursez les paiements.</translation>
    </message>
    <message>
        <source>There is no order %1.</source>
        <translation>Il n&apos;y a pas de commande %1.</translation>
    </message>
    <message>
        <source>This order was changed in another window or on another till while you were looking at it (you saw version %1, it is now version %2). Check it and try again.</source>
        <translation>Cette commande a été modifiée dans une autre fenêtre ou sur une autre caisse pendant que vous la regardiez (vous voyiez la version %1, c&apos;est maintenant la version %2). Vérifiez-la et réessayez.</translation>
    </message>
    <message>
        <source>This order changed at the same moment; please try again.</source>
        <translation>Cette commande a changé au même moment ; veuillez réessayer.</translation>
    </message>
    <message>
        <source>There is no tab %1.</source>
        <translation>Il n&apos;y a pas d&apos;ardoise %1.</translation>
    </message>
    <message>
        <source>The tab “%1” has already been settled (receipt %2).</source>
        <translation>L&apos;ardoise « %1 » a déjà été réglée (ticket %2).</translation>
    </message>
    <message>
        <source>The tab “%1” changed while you were looking at it (an order was added). Check the total and try again.</source>
        <translation>L&apos;ardoise « %1 » a changé pendant que vous la regardiez (une commande a été ajoutée). Vérifiez le total et réessayez.</translation>
    </message>
    <message>
        <source>This tab changed at the same moment; please try again.</source>
        <translation>Cette ardoise a changé au même moment ; veuillez réessayer.</translation>
    </message>
</context>
<context>
    <name>SafeTill::OrderWidget</name>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Discount…</source>
        <translation>Remise…</translation>
    </message>
    <message>
        <source>Price…</source>
        <translation>Prix…</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>Payer</translation>
    </message>
    <message>
        <source>Put on tab</source>
        <translation>Mettre sur ardoise</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Déconnexion</translation>
    </message>
    <message>
        <source>Scan or type a SKU or product name, then Enter</source>
        <translation>Scannez ou saisissez un SKU ou un nom de produit, puis Entrée</translation>
    </message>
    <message>
        <source>A discount on the selected line, or on the whole order</source>
        <translation>Une remise sur la ligne sélectionnée, ou sur toute la commande</translation>
    </message>
    <message>
        <source>Change the price of the selected line</source>
        <translation>Modifier le prix de la ligne sélectionnée</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <source>Another action is still running; try again.</source>
        <translation>Une autre action est encore en cours ; réessayez.</translation>
    </message>
    <message numerus="yes">
        <source>Order %1 · %n item(s)</source>
        <translation>
            <numerusform>Commande %1 · %n article</numerusform>
            <numerusform>Commande %1 · %n articles</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · order %2 · version %3</source>
        <translation>%1 · commande %2 · version %3</translation>
    </message>
    <message>
        <source>incl. %1 %2: %3</source>
        <translation>dont %1 %2 : %3</translation>
    </message>
    <message>
        <source>+ %1 %2: %3</source>
        <translation>+ %1 %2 : %3</translation>
    </message>
    <message>
        <source>Subtotal: %1</source>
        <translation>Sous-total : %1</translation>
    </message>
    <message>
        <source>Order discount %1: −%2</source>
        <translation>Remise sur la commande %1 : −%2</translation>
    </message>
    <message>
        <source>Paid so far: %1 · Balance due: %2</source>
        <translation>Déjà payé : %1 · Reste à payer : %2</translation>
    </message>
    <message>
        <source>Order %1 was paid in another window or on another till.</source>
        <translation>La commande %1 a été payée dans une autre fenêtre ou sur une autre caisse.</translation>
    </message>
    <message>
        <source>Order %1 was paid in another window or on another till (receipt %2).</source>
        <translation>La commande %1 a été payée dans une autre fenêtre ou sur une autre caisse (ticket %2).</translation>
    </message>
    <message>
        <source>Order %1 was put on the tab %2 in another window.</source>
        <translation>La commande %1 a été mise sur l&apos;ardoise %2 dans une autre fenêtre.</translation>
    </message>
    <message>
        <source>%1 logged out in another window; the order is kept.</source>
        <translation>%1 s&apos;est déconnecté dans une autre fenêtre ; la commande est conservée.</translation>
    </message>
    <message>
        <source>Not done here: %1</source>
        <translation>Non effectué : %1</translation>
    </message>
    <message numerus="yes">
        <source>%n products match: %1. Type more of the name or the SKU.</source>
        <translation>
            <numerusform>%n produit correspond : %1. Saisissez davantage du nom ou le SKU.</numerusform>
            <numerusform>%n produits correspondent : %1. Saisissez davantage du nom ou le SKU.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n scanned item(s) were not added; scan them again.</source>
        <translation>
            <numerusform>%n article scanné n&apos;a pas été ajouté ; scannez-le de nouveau.</numerusform>
            <numerusform>%n articles scannés n&apos;ont pas été ajoutés ; scannez-les de nouveau.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a line first.</source>
        <translation>Sélectionnez d&apos;abord une ligne.</translation>
    </message>
    <message>
        <source>Pay order</source>
        <translation>Payer la commande</translation>
    </message>
    <message>
        <source>%1 paid so far; the balance due is %2.</source>
        <translation>%1 déjà payé ; le reste à payer est de %2.</translation>
    </message>
    <message>
        <source>Paid. Receipt %1, change %2.</source>
        <translation>Payé. Ticket %1, monnaie rendue %2.</translation>
    </message>
    <message>
        <source>Order put on the tab %1.</source>
        <translation>Commande mise sur l&apos;ardoise %1.</translation>
    </message>
    <message>
        <source>SKU, barcode or product name</source>
        <translation>SKU, code-barres ou nom du produit</translation>
    </message>
    <message>
        <source>Clear the SKU field</source>
        <translation>Effacer le champ SKU</translation>
    </message>
    <message>
        <source>Product categories</source>
        <translation>Catégories de produits</translation>
    </message>
    <message>
        <source>Matching products</source>
        <translation>Produits correspondants</translation>
    </message>
    <message>
        <source>Order lines</source>
        <translation>Lignes de la commande</translation>
    </message>
    <message>
        <source>Order line columns</source>
        <translation>Colonnes des lignes de la commande</translation>
    </message>
    <message>
        <source>Increase quantity</source>
        <translation>Augmenter la quantité</translation>
    </message>
    <message>
        <source>One more of the selected line (+)</source>
        <translation>Un de plus sur la ligne sélectionnée (+)</translation>
    </message>
    <message>
        <source>Decrease quantity</source>
        <translation>Diminuer la quantité</translation>
    </message>
    <message>
        <source>One less of the selected line (−)</source>
        <translation>Un de moins sur la ligne sélectionnée (−)</translation>
    </message>
    <message>
        <source>Remove the selected line</source>
        <translation>Supprimer la ligne sélectionnée</translation>
    </message>
    <message numerus="yes">
        <source>%n more product(s) in this category: scan or type to find them.</source>
        <translation>
            <numerusform>%n autre produit dans cette catégorie : scannez ou saisissez pour le trouver.</numerusform>
            <numerusform>%n autres produits dans cette catégorie : scannez ou saisissez pour les trouver.</numerusform>
        </translation>
    </message>
    <message>
        <source>More products match: type more of the name or the SKU.</source>
        <translation>D&apos;autres produits correspondent : saisissez davantage du nom ou le SKU.</translation>
    </message>
    <message>
        <source>Total (%1)</source>
        <translation>Total (%1)</translation>
    </message>
    <message>
        <source>Total in %1</source>
        <translation>Total en %1</translation>
    </message>
    <message>
        <source>Unknown code “%1”: no product has this SKU, and no product name contains it.</source>
        <translation>Code inconnu « %1 » : aucun produit n&apos;a ce SKU, et aucun nom de produit ne le contient.</translation>
    </message>
    <message>
        <source>Nothing was added: no price was entered.</source>
        <translation>Rien n&apos;a été ajouté : aucun prix n&apos;a été saisi.</translation>
    </message>
</context>
<context>
    <name>SafeTill::PaymentDialog</name>
    <message>
        <source>Card</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Espèces</translation>
    </message>
    <message>
        <source>Take payment</source>
        <translation>Encaisser</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>e.g. Voucher</source>
        <translation>p. ex. bon d&apos;achat</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>Libellé :</translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation>Montant :</translation>
    </message>
    <message>
        <source>Tendered:</source>
        <translation>Reçu :</translation>
    </message>
    <message>
        <source>Close; the payments taken are kept and the order stays open with its balance due.</source>
        <translation>Fermer ; les paiements encaissés sont conservés et la commande reste ouverte avec son reste à payer.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Total : %1</translation>
    </message>
    <message>
        <source>Paid so far:</source>
        <translation>Déjà payé :</translation>
    </message>
    <message>
        <source>Balance due: %1</source>
        <translation>Reste à payer : %1</translation>
    </message>
    <message>
        <source>Exact</source>
        <translation>Montant exact</translation>
    </message>
    <message>
        <source>Enter the amount to pay, at most %1</source>
        <translation>Saisissez le montant à payer, au plus %1</translation>
    </message>
    <message>
        <source>The amount is more than the balance due (%1)</source>
        <translation>Le montant dépasse le reste à payer (%1)</translation>
    </message>
    <message>
        <source>Enter a label for this payment, e.g. Voucher</source>
        <translation>Saisissez un libellé pour ce paiement, p. ex. bon d&apos;achat</translation>
    </message>
    <message>
        <source>Pays the balance</source>
        <translation>Règle le reste à payer</translation>
    </message>
    <message>
        <source>Balance after: %1</source>
        <translation>Reste ensuite : %1</translation>
    </message>
    <message>
        <source>Cash rounding: %1%2 (to pay in cash: %3)</source>
        <translation>Arrondi espèces : %1%2 (à payer en espèces : %3)</translation>
    </message>
    <message>
        <source>Enter the amount tendered, e.g. %1</source>
        <translation>Saisissez le montant reçu, p. ex. %1</translation>
    </message>
    <message>
        <source>%1 short</source>
        <translation>il manque %1</translation>
    </message>
    <message>
        <source>Change due: %1</source>
        <translation>Monnaie à rendre : %1</translation>
    </message>
</context>
<context>
    <name>SafeTill::PinHasher</name>
    <message>
        <source>A PIN has 4 to 12 digits.</source>
        <translation>Un code PIN a 4 à 12 chiffres.</translation>
    </message>
    <message>
        <source>A PIN has digits only.</source>
        <translation>Un code PIN ne contient que des chiffres.</translation>
    </message>
</context>
<context>
    <name>SafeTill::PriceDialog</name>
    <message>
        <source>Change price</source>
        <translation>Modifier le prix</translation>
    </message>
    <message>
        <source>Price of %1</source>
        <translation>Prix de %1</translation>
    </message>
    <message>
        <source>Line %1: %2, now %3 each</source>
        <translation>Ligne %1 : %2, maintenant %3 l&apos;unité</translation>
    </message>
    <message>
        <source>New unit price:</source>
        <translation>Nouveau prix unitaire :</translation>
    </message>
    <message>
        <source>Required, e.g. price match, shelf label</source>
        <translation>Obligatoire, p. ex. alignement de prix, étiquette en rayon</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Motif :</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Enter the new unit price, e.g. %1</source>
        <translation>Saisissez le nouveau prix unitaire, p. ex. %1</translation>
    </message>
    <message>
        <source>Enter a reason for the new price.</source>
        <translation>Saisissez un motif pour le nouveau prix.</translation>
    </message>
</context>
<context>
    <name>SafeTill::PrintStore</name>
    <message>
        <source>There is no receipt %1.</source>
        <translation>Il n&apos;y a pas de ticket %1.</translation>
    </message>
    <message>
        <source>Receipt %1 was printed already (%2); reprint it as a copy from the receipts list.</source>
        <translation>Le ticket %1 a déjà été imprimé (%2) ; réimprimez-le comme copie depuis la liste des tickets.</translation>
    </message>
    <message>
        <source>Receipt %1 is being printed right now (another window or till).</source>
        <translation>Le ticket %1 est en cours d&apos;impression (dans une autre fenêtre ou sur une autre caisse).</translation>
    </message>
    <message>
        <source>The print of receipt %1 is no longer this window&apos;s to confirm.</source>
        <translation>Ce n&apos;est plus à cette fenêtre de confirmer l&apos;impression du ticket %1.</translation>
    </message>
    <message>
        <source>The limit must be from 1 to 1000.</source>
        <translation>La limite doit être comprise entre 1 et 1000.</translation>
    </message>
    <message>
        <source>Printing was interrupted: the program printing it stopped before the printer answered.</source>
        <translation>L&apos;impression a été interrompue : le programme qui imprimait s&apos;est arrêté avant la réponse de l&apos;imprimante.</translation>
    </message>
</context>
<context>
    <name>SafeTill::PrinterConfig</name>
    <message>
        <source>serial printer %1 (%2 baud)</source>
        <translation>imprimante série %1 (%2 bauds)</translation>
    </message>
    <message>
        <source>network printer %1:%2</source>
        <translation>imprimante réseau %1:%2</translation>
    </message>
    <message>
        <source>CUPS queue %1</source>
        <translation>file CUPS %1</translation>
    </message>
    <message>
        <source>no printer</source>
        <translation>aucune imprimante</translation>
    </message>
    <message>
        <source>Columns: type a number of characters per line from 24 to 64 (42 or 48 on 80 mm paper, 32 on 58 mm).</source>
        <translation>Colonnes : saisissez un nombre de caractères par ligne de 24 à 64 (42 ou 48 sur papier de 80 mm, 32 sur 58 mm).</translation>
    </message>
    <message>
        <source>Timeout: from 0.5 to 60 seconds.</source>
        <translation>Délai : de 0,5 à 60 secondes.</translation>
    </message>
    <message>
        <source>Serial port: name the port, e.g. /dev/ttyUSB0.</source>
        <translation>Port série : indiquez le port, p. ex. /dev/ttyUSB0.</translation>
    </message>
    <message>
        <source>Baud rate: choose one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200 (most receipt printers: 9600 or 38400).</source>
        <translation>Débit en bauds : choisissez parmi 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200 (la plupart des imprimantes de tickets : 9600 ou 38400).</translation>
    </message>
    <message>
        <source>Printer address: type the printer&apos;s IP address or host name, e.g. 192.168.1.50.</source>
        <translation>Adresse de l&apos;imprimante : saisissez l&apos;adresse IP ou le nom d&apos;hôte de l&apos;imprimante, p. ex. 192.168.1.50.</translation>
    </message>
    <message>
        <source>Port: from 1 to 65535 (receipt printers listen on 9100).</source>
        <translation>Port : de 1 à 65535 (les imprimantes de tickets écoutent sur le 9100).</translation>
    </message>
    <message>
        <source>CUPS queue: type the queue&apos;s name as `lpstat -p` lists it (letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;).</source>
        <translation>File CUPS : saisissez le nom de la file tel que `lpstat -p` l&apos;affiche (lettres, chiffres, &apos;-&apos;, &apos;_&apos; et &apos;.&apos;).</translation>
    </message>
</context>
<context>
    <name>SafeTill::PrinterSettingsDialog</name>
    <message>
        <source>Open the cash drawer on cash payments</source>
        <translation>Ouvrir le tiroir-caisse lors des paiements en espèces</translation>
    </message>
    <message>
        <source>&amp;Test print</source>
        <translation>Impression de &amp;test</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Imprimante de tickets</translation>
    </message>
    <message>
        <source>Printer connection</source>
        <translation>Connexion de l&apos;imprimante</translation>
    </message>
    <message>
        <source>No printer (show the receipt on screen)</source>
        <translation>Aucune imprimante (afficher le ticket à l&apos;écran)</translation>
    </message>
    <message>
        <source>Serial or USB-serial port</source>
        <translation>Port série ou USB-série</translation>
    </message>
    <message>
        <source>Network printer (raw TCP)</source>
        <translation>Imprimante réseau (TCP brut)</translation>
    </message>
    <message>
        <source>CUPS queue (raw)</source>
        <translation>File CUPS (brut)</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>Port série</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>Débit en bauds</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Printer address</source>
        <translation>Adresse de l&apos;imprimante</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>CUPS queue</source>
        <translation>File CUPS</translation>
    </message>
    <message>
        <source>as `lpstat -p` lists it</source>
        <translation>tel que `lpstat -p` l&apos;affiche</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Characters per line</source>
        <translation>Caractères par ligne</translation>
    </message>
    <message>
        <source>42 or 48 on 80 mm paper, 32 on 58 mm paper</source>
        <translation>42 ou 48 sur papier de 80 mm, 32 sur papier de 58 mm</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>Printing a test page on the %1…</source>
        <translation>Impression d&apos;une page de test sur : %1…</translation>
    </message>
    <message>
        <source>Test print failed: %1</source>
        <translation>Échec de l&apos;impression de test : %1</translation>
    </message>
    <message>
        <source>Log in as a manager to change the receipt printer.</source>
        <translation>Connectez-vous en tant que responsable pour modifier l&apos;imprimante de tickets.</translation>
    </message>
    <message>
        <source>Only a manager can change the receipt printer; %1 is a cashier. Ask a manager to log in and change it.</source>
        <translation>Seul un responsable peut modifier l&apos;imprimante de tickets ; %1 est caissier. Demandez à un responsable de se connecter pour la modifier.</translation>
    </message>
</context>
<context>
    <name>SafeTill::PrinterTransport</name>
    <message>
        <source>it took the data too slowly (timed out)</source>
        <translation>elle a reçu les données trop lentement (délai dépassé)</translation>
    </message>
    <message>
        <source>The network printer at %1 did not answer within %2 s; check that it is on and its address is right.</source>
        <translation>L&apos;imprimante réseau à l&apos;adresse %1 n&apos;a pas répondu dans les %2 s ; vérifiez qu&apos;elle est allumée et que son adresse est correcte.</translation>
    </message>
    <message>
        <source>Could not reach the network printer at %1: %2. Check that it is on and its address is right.</source>
        <translation>Impossible de joindre l&apos;imprimante réseau à l&apos;adresse %1 : %2. Vérifiez qu&apos;elle est allumée et que son adresse est correcte.</translation>
    </message>
    <message>
        <source>The network printer at %1 stopped taking the receipt: %2.</source>
        <translation>L&apos;imprimante réseau à l&apos;adresse %1 a cessé de recevoir le ticket : %2.</translation>
    </message>
    <message>
        <source>Could not open the printer&apos;s serial port %1: %2. Check the cable and that this user may use the port (group dialout).</source>
        <translation>Impossible d&apos;ouvrir le port série %1 de l&apos;imprimante : %2. Vérifiez le câble et que cet utilisateur a le droit d&apos;utiliser le port (groupe dialout).</translation>
    </message>
    <message>
        <source>The serial printer on %1 stopped taking the receipt: %2.</source>
        <translation>L&apos;imprimante série sur %1 a cessé de recevoir le ticket : %2.</translation>
    </message>
    <message>
        <source>The program lp was not found: install the package cups-client to print to the CUPS queue %1.</source>
        <translation>Le programme lp est introuvable : installez le paquet cups-client pour imprimer sur la file CUPS %1.</translation>
    </message>
    <message>
        <source>Could not start lp: %1.</source>
        <translation>Impossible de lancer lp : %1.</translation>
    </message>
    <message>
        <source>CUPS did not take the receipt for queue %1 within %2 s; check that cupsd is running.</source>
        <translation>CUPS n&apos;a pas pris le ticket pour la file %1 dans les %2 s ; vérifiez que cupsd est en cours d&apos;exécution.</translation>
    </message>
    <message>
        <source>CUPS refused the receipt for queue %1: %2</source>
        <translation>CUPS a refusé le ticket pour la file %1 : %2</translation>
    </message>
    <message>
        <source>lp exited with code %1</source>
        <translation>lp s&apos;est terminé avec le code %1</translation>
    </message>
    <message>
        <source>No receipt printer is set up on this till (Settings → Receipt printer).</source>
        <translation>Aucune imprimante de tickets n&apos;est configurée sur cette caisse (Paramètres → Imprimante de tickets).</translation>
    </message>
</context>
<context>
    <name>SafeTill::ProductsModel</name>
    <message>
        <source>open price</source>
        <translation>prix libre</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>retiré</translation>
    </message>
    <message>
        <source>on the till</source>
        <translation>en caisse</translation>
    </message>
    <message>
        <source>SKU / barcode</source>
        <translation>SKU / code-barres</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Prix</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>TVA</translation>
    </message>
    <message>
        <source>Open price</source>
        <translation>Prix libre</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReceiptDialog</name>
    <message>
        <source>Receipt</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Imprimer…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Enregistrer en PDF…</translation>
    </message>
    <message>
        <source>New order</source>
        <translation>Nouvelle commande</translation>
    </message>
    <message>
        <source>Receipt (COPY)</source>
        <translation>Ticket (COPIE)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Save receipt</source>
        <translation>Enregistrer le ticket</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>Impossible d&apos;écrire %1.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReceiptPrinting</name>
    <message>
        <source>Receipt %1 has no sale to print.</source>
        <translation>Le ticket %1 n&apos;a aucune vente à imprimer.</translation>
    </message>
    <message>
        <source>Receipt %1 not printed — print now: %2</source>
        <translation>Ticket %1 non imprimé — imprimer maintenant : %2</translation>
    </message>
    <message>
        <source>No receipt printer is set up on this till (Settings → Receipt printer).</source>
        <translation>Aucune imprimante de tickets n&apos;est configurée sur cette caisse (Paramètres → Imprimante de tickets).</translation>
    </message>
    <message>
        <source>Receipt %1 was printed, but that could not be recorded: %2</source>
        <translation>Le ticket %1 a été imprimé, mais cela n&apos;a pas pu être enregistré : %2</translation>
    </message>
    <message>
        <source>Receipt %1 printed.</source>
        <translation>Ticket %1 imprimé.</translation>
    </message>
    <message numerus="yes">
        <source>%n receipt(s) not printed — print now: %1</source>
        <translation>
            <numerusform>%n ticket non imprimé — imprimer maintenant : %1</numerusform>
            <numerusform>%n tickets non imprimés — imprimer maintenant : %1</numerusform>
        </translation>
    </message>
    <message>
        <source>No cash drawer is set up on this till: it opens through the receipt printer (Settings → Receipt printer).</source>
        <translation>Aucun tiroir-caisse n&apos;est configuré sur cette caisse : il s&apos;ouvre via l&apos;imprimante de tickets (Paramètres → Imprimante de tickets).</translation>
    </message>
    <message>
        <source>Cash drawer opened.</source>
        <translation>Tiroir-caisse ouvert.</translation>
    </message>
    <message>
        <source>Test page sent to the %1.</source>
        <translation>Page de test envoyée à : %1.</translation>
    </message>
    <message>
        <source>Printing of receipt %1 was interrupted — check the printer. Printing a copy (marked COPY)…</source>
        <translation>L&apos;impression du ticket %1 a été interrompue — vérifiez l&apos;imprimante. Impression d&apos;une copie (marquée COPIE)…</translation>
    </message>
    <message>
        <source>A copy of receipt %1 was printed (its original&apos;s print was interrupted).</source>
        <translation>Une copie du ticket %1 a été imprimée (l&apos;impression de l&apos;original a été interrompue).</translation>
    </message>
    <message>
        <source>printing was interrupted — check the printer (printing again prints a copy): %1</source>
        <translation>impression interrompue — vérifiez l&apos;imprimante (imprimer à nouveau imprime une copie) : %1</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReceiptSearch</name>
    <message>
        <source>The receipt number is too long (at most %1 characters).</source>
        <translation>Le numéro de ticket est trop long (au plus %1 caractères).</translation>
    </message>
    <message>
        <source>The receipt number may hold only letters, digits and signs such as “-”.</source>
        <translation>Le numéro de ticket ne peut contenir que des lettres, des chiffres et des signes comme « - ».</translation>
    </message>
    <message>
        <source>The amount must be 0 or more (in cents); %1 was given.</source>
        <translation>Le montant doit être de 0 ou plus (en centimes) ; %1 a été indiqué.</translation>
    </message>
    <message>
        <source>The amount must be at most %1 cents.</source>
        <translation>Le montant doit être d&apos;au plus %1 centimes.</translation>
    </message>
    <message>
        <source>The date is not a valid calendar day.</source>
        <translation>La date n&apos;est pas un jour valide du calendrier.</translation>
    </message>
    <message>
        <source>The limit must be from 1 to %1.</source>
        <translation>La limite doit être comprise entre 1 et %1.</translation>
    </message>
    <message>
        <source>There is no receipt %1.</source>
        <translation>Il n&apos;y a pas de ticket %1.</translation>
    </message>
    <message>
        <source>Say which cashier reprints the receipt.</source>
        <translation>Indiquez quel caissier réimprime le ticket.</translation>
    </message>
    <message>
        <source>There is no cashier %1.</source>
        <translation>Il n&apos;y a pas de caissier %1.</translation>
    </message>
    <message>
        <source>Give a receipt number.</source>
        <translation>Indiquez un numéro de ticket.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReceiptsModel</name>
    <message>
        <source>Card</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Espèces</translation>
    </message>
    <message>
        <source>Tab %1</source>
        <translation>Ardoise %1</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Payé</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Mode de paiement</translation>
    </message>
    <message>
        <source>Cashier or tab</source>
        <translation>Caissier ou ardoise</translation>
    </message>
    <message>
        <source>not printed — print now</source>
        <translation>non imprimé — imprimer maintenant</translation>
    </message>
    <message>
        <source>printing…</source>
        <translation>impression…</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>imprimé</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>Imprimé</translation>
    </message>
    <message>
        <source>printing was interrupted — check the printer</source>
        <translation>impression interrompue — vérifiez l&apos;imprimante</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReceiptsWindow</name>
    <message>
        <source>Day</source>
        <translation>Jour</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>Remboursement…</translation>
    </message>
    <message>
        <source>Open receipt (COPY)…</source>
        <translation>Ouvrir le ticket (COPIE)…</translation>
    </message>
    <message>
        <source>Receipts — SafeTill</source>
        <translation>Tickets — SafeTill</translation>
    </message>
    <message>
        <source>Receipt number, its start or its last digits</source>
        <translation>Numéro de ticket, son début ou ses derniers chiffres</translation>
    </message>
    <message>
        <source>Exact amount, e.g. %1</source>
        <translation>Montant exact, p. ex. %1</translation>
    </message>
    <message>
        <source>Pay back chosen lines of this sale, or void it</source>
        <translation>Rembourser des lignes choisies de cette vente, ou l&apos;annuler</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Paid on</source>
        <translation>Payé le</translation>
    </message>
    <message>
        <source>The amount “%1” is not an amount of money, e.g. %2.</source>
        <translation>Le montant « %1 » n&apos;est pas une somme d&apos;argent, p. ex. %2.</translation>
    </message>
    <message numerus="yes">
        <source>Showing the latest %n receipt(s) found; narrow the search to see older ones.</source>
        <translation>
            <numerusform>Affichage du dernier ticket trouvé (%n) ; affinez la recherche pour voir les plus anciens.</numerusform>
            <numerusform>Affichage des %n derniers tickets trouvés ; affinez la recherche pour voir les plus anciens.</numerusform>
        </translation>
    </message>
    <message>
        <source>No receipts found.</source>
        <translation>Aucun ticket trouvé.</translation>
    </message>
    <message>
        <source>Log in first: a reprint is recorded with who made it.</source>
        <translation>Connectez-vous d&apos;abord : une réimpression est enregistrée avec la personne qui la fait.</translation>
    </message>
    <message>
        <source>%1 %2 of receipt %3: %4 paid back by %5.</source>
        <translation>%1 %2 du ticket %3 : %4 remboursé par %5.</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Annulation</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Remboursement</translation>
    </message>
    <message>
        <source>Reprint of receipt %1 recorded (%2).</source>
        <translation>Réimpression du ticket %1 enregistrée (%2).</translation>
    </message>
    <message>
        <source>The reprint of receipt %1 was not recorded: %2</source>
        <translation>La réimpression du ticket %1 n&apos;a pas été enregistrée : %2</translation>
    </message>
    <message>
        <source>Print &amp;now</source>
        <translation>Imprimer &amp;maintenant</translation>
    </message>
    <message>
        <source>Print &amp;copy</source>
        <translation>Imprimer une &amp;copie</translation>
    </message>
    <message>
        <source>Print the original of a receipt that was not printed</source>
        <translation>Imprimer l&apos;original d&apos;un ticket qui n&apos;a pas été imprimé</translation>
    </message>
    <message>
        <source>Print a copy marked COPY on the receipt printer</source>
        <translation>Imprimer une copie marquée COPIE sur l&apos;imprimante de tickets</translation>
    </message>
    <message>
        <source>Printing receipt %1…</source>
        <translation>Impression du ticket %1…</translation>
    </message>
    <message>
        <source>The copy of receipt %1 was not printed: %2</source>
        <translation>La copie du ticket %1 n&apos;a pas été imprimée : %2</translation>
    </message>
    <message>
        <source>(%1 with cash rounding %2.)</source>
        <translation>(%1 avec arrondi espèces %2.)</translation>
    </message>
</context>
<context>
    <name>SafeTill::RefundDialog</name>
    <message>
        <source>Everything left</source>
        <translation>Tout le reste</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Remboursement</translation>
    </message>
    <message>
        <source>Void sale</source>
        <translation>Annuler la vente</translation>
    </message>
    <message>
        <source>Refund receipt %1</source>
        <translation>Remboursement du ticket %1</translation>
    </message>
    <message>
        <source>Lines to refund</source>
        <translation>Lignes à rembourser</translation>
    </message>
    <message>
        <source>Pay back by</source>
        <translation>Rembourser par</translation>
    </message>
    <message>
        <source>The original method</source>
        <translation>Le mode de paiement d&apos;origine</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Espèces</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Why (required for a void)</source>
        <translation>Pourquoi (obligatoire pour une annulation)</translation>
    </message>
    <message>
        <source>Take back the whole sale (this shift, a manager)</source>
        <translation>Reprendre toute la vente (cette session, un responsable)</translation>
    </message>
    <message>
        <source>The original method (%1)</source>
        <translation>Le mode de paiement d&apos;origine (%1)</translation>
    </message>
    <message>
        <source>%1 of %2 was refunded already.</source>
        <translation>%1 sur %2 a déjà été remboursé.</translation>
    </message>
    <message>
        <source>To pay back: %1</source>
        <translation>À rembourser : %1</translation>
    </message>
    <message>
        <source>Choose how many of which lines to refund.</source>
        <translation>Choisissez combien de quelles lignes rembourser.</translation>
    </message>
    <message>
        <source>Reason: a void needs a reason.</source>
        <translation>Motif : une annulation demande un motif.</translation>
    </message>
    <message>
        <source>To pay back: %1, in cash %2</source>
        <translation>À rembourser : %1, en espèces %2</translation>
    </message>
</context>
<context>
    <name>SafeTill::RefundLinesModel</name>
    <message>
        <source>Line</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Article</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Vendu</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Restant</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Remboursement</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
</context>
<context>
    <name>SafeTill::RefundService</name>
    <message>
        <source>receipt: say which receipt to refund.</source>
        <translation>receipt : indiquez quel ticket rembourser.</translation>
    </message>
    <message>
        <source>cashier: say who pays the money back.</source>
        <translation>cashier : indiquez qui rembourse l&apos;argent.</translation>
    </message>
    <message>
        <source>reason: at most %1 characters.</source>
        <translation>reason : au plus %1 caractères.</translation>
    </message>
    <message>
        <source>reason: a void needs a reason.</source>
        <translation>reason : une annulation demande un motif.</translation>
    </message>
    <message>
        <source>line: a void takes back the whole sale; refund chosen lines instead.</source>
        <translation>line : une annulation reprend toute la vente ; remboursez plutôt des lignes choisies.</translation>
    </message>
    <message>
        <source>label: an “other” refund needs a label of 1 to %1 characters.</source>
        <translation>label : un remboursement « autre » demande un libellé de 1 à %1 caractères.</translation>
    </message>
    <message>
        <source>label: only an “other” refund has a label.</source>
        <translation>label : seul un remboursement « autre » a un libellé.</translation>
    </message>
    <message>
        <source>line: say which line (its id or number).</source>
        <translation>line : indiquez quelle ligne (son identifiant ou son numéro).</translation>
    </message>
    <message>
        <source>line %1: the quantity must be 1 to %2.</source>
        <translation>line %1 : la quantité doit être de 1 à %2.</translation>
    </message>
    <message>
        <source>line %1: given twice.</source>
        <translation>line %1 : indiquée deux fois.</translation>
    </message>
    <message>
        <source>receipt: %1 is a refund; give the receipt of the sale.</source>
        <translation>receipt : %1 est un remboursement ; indiquez le ticket de la vente.</translation>
    </message>
    <message>
        <source>There is no receipt %1.</source>
        <translation>Il n&apos;y a pas de ticket %1.</translation>
    </message>
    <message>
        <source>receipt: say which receipt.</source>
        <translation>receipt : indiquez quel ticket.</translation>
    </message>
    <message>
        <source>There is no refund %1.</source>
        <translation>Il n&apos;y a pas de remboursement %1.</translation>
    </message>
    <message>
        <source>A void takes back a sale of this till&apos;s current shift; %1 was sold in an earlier shift or on another till. Refund it instead.</source>
        <translation>Une annulation reprend une vente de la session en cours de cette caisse ; %1 a été vendu lors d&apos;une session précédente ou sur une autre caisse. Remboursez-le plutôt.</translation>
    </message>
    <message>
        <source>Everything on receipt %1 has been refunded already.</source>
        <translation>Tout le ticket %1 a déjà été remboursé.</translation>
    </message>
    <message>
        <source>line %1: on a tab&apos;s receipt, give the line&apos;s id (line numbers repeat across its orders).</source>
        <translation>line %1 : sur le ticket d&apos;une ardoise, indiquez l&apos;identifiant de la ligne (les numéros de ligne se répètent entre ses commandes).</translation>
    </message>
    <message>
        <source>line %1 is not on receipt %2.</source>
        <translation>la ligne %1 n&apos;est pas sur le ticket %2.</translation>
    </message>
    <message>
        <source>line %1 (%2): %3 of %4 left to refund, not %5.</source>
        <translation>ligne %1 (%2) : %3 sur %4 restent à rembourser, pas %5.</translation>
    </message>
</context>
<context>
    <name>SafeTill::Result</name>
    <message>
        <source>The till database is busy; nothing was changed. Please try again.</source>
        <translation>La base de données de la caisse est occupée ; rien n&apos;a été modifié. Veuillez réessayer.</translation>
    </message>
    <message>
        <source>The database cannot be reached or cannot store more data right now; please try again shortly.</source>
        <translation>La base de données est injoignable ou ne peut plus rien stocker pour le moment ; veuillez réessayer sous peu.</translation>
    </message>
    <message>
        <source>The till database reported an error; nothing was changed.</source>
        <translation>La base de données de la caisse a signalé une erreur ; rien n&apos;a été modifié.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReviewModel</name>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Ce qui s&apos;est passé</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Commande</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Écart</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReviewStore</name>
    <message>
        <source>There is no review item %1.</source>
        <translation>Il n&apos;y a pas d&apos;élément à vérifier %1.</translation>
    </message>
    <message>
        <source>The note is longer than 2000 characters.</source>
        <translation>La note dépasse 2000 caractères.</translation>
    </message>
    <message>
        <source>Say who resolves the item (the manager&apos;s name).</source>
        <translation>Indiquez qui règle l&apos;élément (le nom du responsable).</translation>
    </message>
    <message>
        <source>This item was already resolved (%1 by %2).</source>
        <translation>Cet élément a déjà été réglé (%1 par %2).</translation>
    </message>
    <message>
        <source>The resolution “%1” does not fit this item; choose one of: %2.</source>
        <translation>La résolution « %1 » ne convient pas à cet élément ; choisissez parmi : %2.</translation>
    </message>
    <message>
        <source>This item was resolved at the same moment.</source>
        <translation>Cet élément a été réglé au même moment.</translation>
    </message>
    <message>
        <source>the difference was collected from the customer</source>
        <translation>l&apos;écart a été encaissé auprès du client</translation>
    </message>
    <message>
        <source>the difference was refunded to the customer</source>
        <translation>l&apos;écart a été remboursé au client</translation>
    </message>
    <message>
        <source>the difference was written off</source>
        <translation>l&apos;écart a été passé en perte</translation>
    </message>
    <message>
        <source>the overpayment was kept, with the customer&apos;s agreement</source>
        <translation>le trop-perçu a été conservé, avec l&apos;accord du client</translation>
    </message>
    <message>
        <source>seen and dealt with</source>
        <translation>vu et traité</translation>
    </message>
    <message>
        <source>Paid order changed elsewhere</source>
        <translation>Commande payée modifiée ailleurs</translation>
    </message>
    <message>
        <source>Order paid twice</source>
        <translation>Commande payée deux fois</translation>
    </message>
    <message>
        <source>Items added after payment</source>
        <translation>Articles ajoutés après le paiement</translation>
    </message>
    <message>
        <source>Line edit not applied</source>
        <translation>Modification de ligne non appliquée</translation>
    </message>
    <message>
        <source>Refused by the server</source>
        <translation>Refusé par le serveur</translation>
    </message>
    <message>
        <source>Refunded more than was sold</source>
        <translation>Remboursé plus que vendu</translation>
    </message>
</context>
<context>
    <name>SafeTill::ReviewWindow</name>
    <message>
        <source>Resolved</source>
        <translation>Réglé</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvert</translation>
    </message>
    <message>
        <source>%1 not paid for</source>
        <translation>%1 non payé</translation>
    </message>
    <message>
        <source>%1 paid for but not delivered</source>
        <translation>%1 payé mais non livré</translation>
    </message>
    <message>
        <source>no money difference</source>
        <translation>aucun écart d&apos;argent</translation>
    </message>
    <message>
        <source>%1 × %2 at %3 = %4</source>
        <translation>%1 × %2 à %3 = %4</translation>
    </message>
    <message>
        <source>by card</source>
        <translation>par carte</translation>
    </message>
    <message>
        <source>in cash</source>
        <translation>en espèces</translation>
    </message>
    <message>
        <source>%1 %2, receipt %3</source>
        <translation>%1 %2, ticket %3</translation>
    </message>
    <message>
        <source>, at %1</source>
        <translation>, à %1</translation>
    </message>
    <message>
        <source>, for an order that came to %1 at that till</source>
        <translation>, pour une commande qui s&apos;élevait à %1 sur cette caisse</translation>
    </message>
    <message>
        <source>Difference:</source>
        <translation>Écart :</translation>
    </message>
    <message>
        <source>Order %1</source>
        <translation>Commande %1</translation>
    </message>
    <message>
        <source>tab %1</source>
        <translation>ardoise %1</translation>
    </message>
    <message>
        <source>till %1</source>
        <translation>caisse %1</translation>
    </message>
    <message>
        <source>reported %1</source>
        <translation>signalé le %1</translation>
    </message>
    <message>
        <source>What was paid</source>
        <translation>Ce qui a été payé</translation>
    </message>
    <message>
        <source>Not paid for</source>
        <translation>Non payé</translation>
    </message>
    <message>
        <source>Paid for but removed elsewhere (put back on the order)</source>
        <translation>Payé mais retiré ailleurs (remis dans la commande)</translation>
    </message>
    <message>
        <source>Server&apos;s answer:</source>
        <translation>Réponse du serveur :</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Résolution</translation>
    </message>
    <message>
        <source>Resolved by %1 at %2: %3.</source>
        <translation>Réglé par %1 le %2 : %3.</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Note : %1</translation>
    </message>
    <message>
        <source>Show resolved</source>
        <translation>Afficher les réglés</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Régler</translation>
    </message>
    <message>
        <source>Review — SafeTill</source>
        <translation>Vérification — SafeTill</translation>
    </message>
    <message>
        <source>Show resolved items</source>
        <translation>Afficher les éléments réglés</translation>
    </message>
    <message>
        <source>Review items</source>
        <translation>Éléments à vérifier</translation>
    </message>
    <message>
        <source>Details of the selected item</source>
        <translation>Détails de l&apos;élément sélectionné</translation>
    </message>
    <message>
        <source>Choose what was done…</source>
        <translation>Choisissez ce qui a été fait…</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Optional: what was agreed with the customer</source>
        <translation>Facultatif : ce qui a été convenu avec le client</translation>
    </message>
    <message>
        <source>Resolved by</source>
        <translation>Réglé par</translation>
    </message>
    <message>
        <source>The manager&apos;s name (required)</source>
        <translation>Le nom du responsable (obligatoire)</translation>
    </message>
    <message>
        <source>Resolve the selected item</source>
        <translation>Régler l&apos;élément sélectionné</translation>
    </message>
    <message>
        <source>&amp;Resolution:</source>
        <translation>&amp;Résolution :</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>&amp;Note :</translation>
    </message>
    <message>
        <source>Resolved &amp;by:</source>
        <translation>Réglé &amp;par :</translation>
    </message>
    <message>
        <source>Nothing to review.</source>
        <translation>Rien à vérifier.</translation>
    </message>
    <message>
        <source>Select an item to see what was paid and what changed.</source>
        <translation>Sélectionnez un élément pour voir ce qui a été payé et ce qui a changé.</translation>
    </message>
    <message>
        <source>Resolved: %1 — %2.</source>
        <translation>Réglé : %1 — %2.</translation>
    </message>
</context>
<context>
    <name>SafeTill::SettingsDialog</name>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Sync settings</source>
        <translation>Paramètres de synchronisation</translation>
    </message>
    <message>
        <source>Leave the server empty to use this till on its own. On a synced till the server manages cashiers and the catalog.</source>
        <translation>Laissez le serveur vide pour utiliser cette caisse seule. Sur une caisse synchronisée, le serveur gère les caissiers et le catalogue.</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>URL du serveur</translation>
    </message>
    <message>
        <source>Not encrypted: with http:// the device token and the cashiers&apos; PIN hashes travel in the clear. Use https:// unless this network is private.</source>
        <translation>Non chiffré : avec http://, le jeton de l&apos;appareil et les empreintes des codes PIN des caissiers circulent en clair. Utilisez https:// sauf si ce réseau est privé.</translation>
    </message>
    <message>
        <source>Device token file (mode 0600)</source>
        <translation>Fichier du jeton de l&apos;appareil (mode 0600)</translation>
    </message>
    <message>
        <source>Device token file</source>
        <translation>Fichier du jeton de l&apos;appareil</translation>
    </message>
    <message>
        <source>Trusted certificate (optional)</source>
        <translation>Certificat de confiance (facultatif)</translation>
    </message>
    <message>
        <source>Trusted certificate</source>
        <translation>Certificat de confiance</translation>
    </message>
    <message>
        <source>The system&apos;s language</source>
        <translation>La langue du système</translation>
    </message>
    <message>
        <source>Language (from the next start)</source>
        <translation>Langue (au prochain démarrage)</translation>
    </message>
</context>
<context>
    <name>SafeTill::SetupWizard</name>
    <message>
        <source>Set up SafeTill</source>
        <translation>Configurer SafeTill</translation>
    </message>
    <message>
        <source>Welcome to SafeTill</source>
        <translation>Bienvenue dans SafeTill</translation>
    </message>
    <message>
        <source>This till has no manager yet. A few questions, and it is ready.</source>
        <translation>Cette caisse n&apos;a pas encore de responsable. Quelques questions, et elle est prête.</translation>
    </message>
    <message>
        <source>This till runs on its own: set up the shop and its first manager here</source>
        <translation>Cette caisse fonctionne seule : configurez ici le magasin et son premier responsable</translation>
    </message>
    <message>
        <source>This till syncs with a SafeTill server, which manages the shop, the cashiers and the catalog</source>
        <translation>Cette caisse se synchronise avec un serveur SafeTill, qui gère le magasin, les caissiers et le catalogue</translation>
    </message>
    <message>
        <source>The shop</source>
        <translation>Le magasin</translation>
    </message>
    <message>
        <source>Printed at the top of every receipt; Settings → Shop… changes it later.</source>
        <translation>Imprimé en haut de chaque ticket ; Paramètres → Magasin… permet de le modifier plus tard.</translation>
    </message>
    <message>
        <source>Shop name</source>
        <translation>Nom du magasin</translation>
    </message>
    <message>
        <source>Address line %1</source>
        <translation>Ligne d&apos;adresse %1</translation>
    </message>
    <message>
        <source>Tax number</source>
        <translation>N° de TVA</translation>
    </message>
    <message>
        <source>Currency (ISO 4217)</source>
        <translation>Devise (ISO 4217)</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n decimal(s)</source>
        <translation>
            <numerusform>%1 · %n décimale</numerusform>
            <numerusform>%1 · %n décimales</numerusform>
        </translation>
    </message>
    <message>
        <source>not an ISO 4217 code in use</source>
        <translation>pas un code ISO 4217 en usage</translation>
    </message>
    <message>
        <source>The first manager</source>
        <translation>Le premier responsable</translation>
    </message>
    <message>
        <source>A manager adds cashiers and products in the back office (Window → Back Office…) and approves what a cashier may not do alone.</source>
        <translation>Un responsable ajoute les caissiers et les produits dans le back-office (Fenêtre → Back-office…) et autorise ce qu&apos;un caissier ne peut pas faire seul.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>Code PIN à nouveau</translation>
    </message>
    <message>
        <source>PIN (digits)</source>
        <translation>Code PIN (chiffres)</translation>
    </message>
    <message>
        <source>The server</source>
        <translation>Le serveur</translation>
    </message>
    <message>
        <source>The server&apos;s administrator gives you its address and this till&apos;s device token file (readable only by you: mode 0600).</source>
        <translation>L&apos;administrateur du serveur vous donne son adresse et le fichier du jeton de l&apos;appareil de cette caisse (lisible par vous seul : mode 0600).</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>URL du serveur</translation>
    </message>
    <message>
        <source>Device token file</source>
        <translation>Fichier du jeton de l&apos;appareil</translation>
    </message>
    <message>
        <source>Trusted certificate (optional)</source>
        <translation>Certificat de confiance (facultatif)</translation>
    </message>
    <message>
        <source>PEM file, for a server with its own certificate</source>
        <translation>Fichier PEM, pour un serveur avec son propre certificat</translation>
    </message>
    <message>
        <source>Shop name: type the name printed on the receipts.</source>
        <translation>Nom du magasin : saisissez le nom imprimé sur les tickets.</translation>
    </message>
    <message>
        <source>Currency: “%1” is not an ISO 4217 code in use; type one such as EUR, USD, GBP or CHF.</source>
        <translation>Devise : « %1 » n&apos;est pas un code ISO 4217 en usage ; saisissez-en un comme EUR, USD, GBP ou CHF.</translation>
    </message>
    <message>
        <source>The manager&apos;s name</source>
        <translation>Le nom du responsable</translation>
    </message>
    <message>
        <source>PIN again: the two PINs differ; type the same PIN twice.</source>
        <translation>Code PIN à nouveau : les deux codes PIN diffèrent ; saisissez deux fois le même code PIN.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ShiftService</name>
    <message>
        <source>The float</source>
        <translation>Le fond de caisse</translation>
    </message>
    <message>
        <source>opened by the first sale, with no float</source>
        <translation>ouverte par la première vente, sans fond de caisse</translation>
    </message>
    <message>
        <source>opened by %1</source>
        <translation>ouverte par %1</translation>
    </message>
    <message>
        <source>A shift is already open on this till (%1 at %2, %3): close it first with shift close.</source>
        <translation>Une session est déjà ouverte sur cette caisse (%1 à %2, %3) : clôturez-la d&apos;abord avec shift close.</translation>
    </message>
    <message>
        <source>A shift was opened on this till at the same moment: close it first.</source>
        <translation>Une session a été ouverte sur cette caisse au même moment : clôturez-la d&apos;abord.</translation>
    </message>
    <message>
        <source>The pay-in</source>
        <translation>L&apos;apport</translation>
    </message>
    <message>
        <source>The pay-out</source>
        <translation>Le retrait</translation>
    </message>
    <message>
        <source>No shift is open on this till: nothing has been sold since the last Z report. Open one with shift open.</source>
        <translation>Aucune session n&apos;est ouverte sur cette caisse : rien n&apos;a été vendu depuis le dernier rapport Z. Ouvrez-en une avec shift open.</translation>
    </message>
    <message>
        <source>The counted cash</source>
        <translation>Les espèces comptées</translation>
    </message>
    <message>
        <source>The counted card slips</source>
        <translation>Les tickets carte comptés</translation>
    </message>
    <message>
        <source>No shift is open on this till: there is nothing to close.</source>
        <translation>Aucune session n&apos;est ouverte sur cette caisse : il n&apos;y a rien à clôturer.</translation>
    </message>
    <message>
        <source>The shift was closed at the same moment elsewhere.</source>
        <translation>La session a été clôturée au même moment ailleurs.</translation>
    </message>
    <message>
        <source>A Z report number is 1 or more.</source>
        <translation>Un numéro de rapport Z vaut 1 ou plus.</translation>
    </message>
    <message>
        <source>There is no Z report %1 on this till.</source>
        <translation>Il n&apos;y a pas de rapport Z %1 sur cette caisse.</translation>
    </message>
    <message>
        <source>There is no Z report on this till yet.</source>
        <translation>Il n&apos;y a pas encore de rapport Z sur cette caisse.</translation>
    </message>
    <message>
        <source>The stored Z report is unreadable.</source>
        <translation>Le rapport Z enregistré est illisible.</translation>
    </message>
    <message>
        <source>Give a reason for the pay-in or pay-out (--reason).</source>
        <translation>Indiquez un motif pour l&apos;apport ou le retrait (--reason).</translation>
    </message>
    <message>
        <source>The reason is too long: at most 200 characters.</source>
        <translation>Le motif est trop long : au plus 200 caractères.</translation>
    </message>
    <message>
        <source>%1 must be a whole number of cents from %2 to %3.</source>
        <translation>%1 doit être un nombre entier de centimes entre %2 et %3.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ShiftWindow</name>
    <message>
        <source>Float counted</source>
        <translation>Fond de caisse compté</translation>
    </message>
    <message>
        <source>&amp;Open shift</source>
        <translation>&amp;Ouvrir la session</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Motif (obligatoire)</translation>
    </message>
    <message>
        <source>Pay &amp;in</source>
        <translation>&amp;Apport</translation>
    </message>
    <message>
        <source>Pay o&amp;ut</source>
        <translation>&amp;Retrait</translation>
    </message>
    <message>
        <source>&amp;X report</source>
        <translation>Rapport &amp;X</translation>
    </message>
    <message>
        <source>Cash counted</source>
        <translation>Espèces comptées</translation>
    </message>
    <message>
        <source>Card slips (optional)</source>
        <translation>Tickets carte (facultatif)</translation>
    </message>
    <message>
        <source>&amp;Close shift (Z report)</source>
        <translation>&amp;Clôturer la session (rapport Z)</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimer…</translation>
    </message>
    <message>
        <source>Save P&amp;DF…</source>
        <translation>Enregistrer en P&amp;DF…</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Session</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvert</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Espèces</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>No shift is open on this till.</source>
        <translation>Aucune session n&apos;est ouverte sur cette caisse.</translation>
    </message>
    <message>
        <source>Shift open since %1%2, float %3.</source>
        <translation>Session ouverte depuis %1%2, fond de caisse %3.</translation>
    </message>
    <message>
        <source> (opened by the first sale)</source>
        <translation> (ouverte par la première vente)</translation>
    </message>
    <message>
        <source>%1: type an amount such as %2.</source>
        <translation>%1 : saisissez un montant comme %2.</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>Fond de caisse</translation>
    </message>
    <message>
        <source>Shift opened with a float of %1.</source>
        <translation>Session ouverte avec un fond de caisse de %1.</translation>
    </message>
    <message>
        <source>Reason: say why the cash goes %1 the drawer.</source>
        <translation>Motif : indiquez pourquoi les espèces %1.</translation>
    </message>
    <message>
        <source>into</source>
        <translation>entrent dans le tiroir</translation>
    </message>
    <message>
        <source>out of</source>
        <translation>sortent du tiroir</translation>
    </message>
    <message>
        <source>Paid in %1: %2</source>
        <translation>Apport de %1 : %2</translation>
    </message>
    <message>
        <source>Paid out %1: %2</source>
        <translation>Retrait de %1 : %2</translation>
    </message>
    <message>
        <source>Card slips</source>
        <translation>Tickets carte</translation>
    </message>
    <message>
        <source>Z report %1: the cash is right.</source>
        <translation>Rapport Z %1 : la caisse est juste.</translation>
    </message>
    <message>
        <source>Z report %1: %2 short.</source>
        <translation>Rapport Z %1 : %2 de manque.</translation>
    </message>
    <message>
        <source>Z report %1: %2 over.</source>
        <translation>Rapport Z %1 : %2 d&apos;excédent.</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>Enregistrer le rapport</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>Impossible d&apos;écrire %1.</translation>
    </message>
    <message>
        <source>&amp;No sale (open drawer)</source>
        <translation>&amp;Ouverture sans vente (ouvrir le tiroir)</translation>
    </message>
    <message>
        <source>No sale cancelled: the drawer stays closed.</source>
        <translation>Ouverture sans vente annulée : le tiroir reste fermé.</translation>
    </message>
    <message>
        <source>No sale recorded; the cash drawer is open.</source>
        <translation>Ouverture sans vente enregistrée ; le tiroir-caisse est ouvert.</translation>
    </message>
    <message>
        <source>No sale recorded, but the drawer did not open: %1</source>
        <translation>Ouverture sans vente enregistrée, mais le tiroir ne s&apos;est pas ouvert : %1</translation>
    </message>
</context>
<context>
    <name>SafeTill::ShopSettings</name>
    <message>
        <source>There is no setting called “%1”; the settings are: %2.</source>
        <translation>Il n&apos;y a pas de paramètre nommé « %1 » ; les paramètres sont : %2.</translation>
    </message>
    <message>
        <source>%1 is one line of text.</source>
        <translation>%1 tient sur une ligne de texte.</translation>
    </message>
    <message>
        <source>%1 is at most %2 characters; this is %3.</source>
        <translation>%1 a au plus %2 caractères ; celui-ci en a %3.</translation>
    </message>
    <message>
        <source>currency is an ISO 4217 code in use, such as EUR, USD, GBP, JPY or CHF; “%1” is not one.</source>
        <translation>currency est un code ISO 4217 en usage, comme EUR, USD, GBP, JPY ou CHF ; « %1 » n&apos;en est pas un.</translation>
    </message>
    <message>
        <source>prices-include-tax is yes (prices on the shelf include tax) or no (tax is added at the till), not “%1”.</source>
        <translation>prices-include-tax vaut yes (les prix en rayon incluent la TVA) ou no (la TVA est ajoutée en caisse), pas « %1 ».</translation>
    </message>
    <message>
        <source>cash-rounding is the step cash totals are rounded to, in minor units (5 for 0.05; 0 for none; at most 10000), not “%1”.</source>
        <translation>cash-rounding est le pas d&apos;arrondi des totaux en espèces, en unités mineures (5 pour 0,05 ; 0 pour aucun ; au plus 10000), pas « %1 ».</translation>
    </message>
    <message>
        <source>min-pin-digits is a number of digits from %1 to %2, not “%3”.</source>
        <translation>min-pin-digits est un nombre de chiffres de %1 à %2, pas « %3 ».</translation>
    </message>
    <message>
        <source>cashier-discount-limit is the largest discount a cashier may give without a manager, in percent from 0 to 100 (empty: the default, %1), not “%2”.</source>
        <translation>cashier-discount-limit est la plus grande remise qu&apos;un caissier peut accorder sans responsable, en pourcentage de 0 à 100 (vide : la valeur par défaut, %1), pas « %2 ».</translation>
    </message>
    <message>
        <source>currency cannot change once money was taken (%1 payments are in %2).</source>
        <translation>currency ne peut plus changer une fois de l&apos;argent encaissé (%1 paiements sont en %2).</translation>
    </message>
    <message>
        <source>default-tax is a tax code of `tax list`; there is no tax %1.</source>
        <translation>default-tax est un code de TVA de `tax list` ; il n&apos;y a pas de TVA %1.</translation>
    </message>
    <message>
        <source>This shop requires PINs of at least %1 digits (the setting min-pin-digits); this one has %2.</source>
        <translation>Ce magasin exige des codes PIN d&apos;au moins %1 chiffres (le paramètre min-pin-digits) ; celui-ci en a %2.</translation>
    </message>
</context>
<context>
    <name>SafeTill::ShopSettingsDialog</name>
    <message>
        <source>Prices include tax</source>
        <translation>Prix TTC</translation>
    </message>
    <message>
        <source>Shop settings</source>
        <translation>Paramètres du magasin</translation>
    </message>
    <message>
        <source>On: shelf prices include tax (most of the world). Off: tax is added at the till.</source>
        <translation>Activé : les prix en rayon incluent la TVA (presque partout). Désactivé : la TVA est ajoutée en caisse.</translation>
    </message>
    <message>
        <source>Cash totals are rounded to this step, e.g. 0.05; 0 for none.</source>
        <translation>Les totaux en espèces sont arrondis à ce pas, p. ex. 0,05 ; 0 pour aucun.</translation>
    </message>
    <message>
        <source>Shop name</source>
        <translation>Nom du magasin</translation>
    </message>
    <message>
        <source>Address line %1</source>
        <translation>Ligne d&apos;adresse %1</translation>
    </message>
    <message>
        <source>Tax number</source>
        <translation>N° de TVA</translation>
    </message>
    <message>
        <source>Receipt footer</source>
        <translation>Pied de ticket</translation>
    </message>
    <message>
        <source>Currency (ISO 4217)</source>
        <translation>Devise (ISO 4217)</translation>
    </message>
    <message>
        <source>Cash rounding</source>
        <translation>Arrondi espèces</translation>
    </message>
    <message>
        <source>Default tax</source>
        <translation>TVA par défaut</translation>
    </message>
    <message>
        <source>the default: %1</source>
        <translation>la valeur par défaut : %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n decimal(s)</source>
        <translation>
            <numerusform>%1 · %n décimale</numerusform>
            <numerusform>%1 · %n décimales</numerusform>
        </translation>
    </message>
    <message>
        <source>not an ISO 4217 code in use</source>
        <translation>pas un code ISO 4217 en usage</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucun</translation>
    </message>
    <message>
        <source>This till syncs with %1: the shop&apos;s settings are managed on the server and come to this till with the next sync.</source>
        <translation>Cette caisse se synchronise avec %1 : les paramètres du magasin sont gérés sur le serveur et arrivent sur cette caisse à la prochaine synchronisation.</translation>
    </message>
    <message>
        <source>a central server</source>
        <translation>un serveur central</translation>
    </message>
    <message>
        <source>Log in as a manager to change the shop&apos;s settings.</source>
        <translation>Connectez-vous en tant que responsable pour modifier les paramètres du magasin.</translation>
    </message>
    <message>
        <source>Only a manager can change the shop&apos;s settings; %1 is a cashier.</source>
        <translation>Seul un responsable peut modifier les paramètres du magasin ; %1 est caissier.</translation>
    </message>
    <message numerus="yes">
        <source>Cash rounding is an amount of %1 with at most %n decimal(s), such as %2 (0 for none), not “%3”.</source>
        <translation>
            <numerusform>L&apos;arrondi espèces est un montant en %1 avec au plus %n décimale, comme %2 (0 pour aucun), pas « %3 ».</numerusform>
            <numerusform>L&apos;arrondi espèces est un montant en %1 avec au plus %n décimales, comme %2 (0 pour aucun), pas « %3 ».</numerusform>
        </translation>
    </message>
    <message>
        <source>Only a manager can change the shop&apos;s settings. Nothing was changed.</source>
        <translation>Seul un responsable peut modifier les paramètres du magasin. Rien n&apos;a été modifié.</translation>
    </message>
</context>
<context>
    <name>SafeTill::SyncConfig</name>
    <message>
        <source>The server URL &quot;%1&quot; is not usable: give http://HOST:PORT or https://HOST:PORT.</source>
        <translation>L&apos;URL du serveur « %1 » n&apos;est pas utilisable : indiquez http://HÔTE:PORT ou https://HÔTE:PORT.</translation>
    </message>
    <message>
        <source>The server URL &quot;%1&quot; must be just the scheme, host and port (the device token goes in a token file, not in the URL).</source>
        <translation>L&apos;URL du serveur « %1 » ne doit contenir que le schéma, l&apos;hôte et le port (le jeton de l&apos;appareil va dans un fichier de jeton, pas dans l&apos;URL).</translation>
    </message>
    <message>
        <source>Warning: the server %1 is reached without encryption (http://): the device token and the cashiers&apos; PIN hashes travel in the clear. Use https:// unless this network is private.</source>
        <translation>Attention : le serveur %1 est joint sans chiffrement (http://) : le jeton de l&apos;appareil et les empreintes des codes PIN des caissiers circulent en clair. Utilisez https:// sauf si ce réseau est privé.</translation>
    </message>
    <message>
        <source>No device token file is configured (--token-file FILE, mode 0600).</source>
        <translation>Aucun fichier de jeton d&apos;appareil n&apos;est configuré (--token-file FICHIER, mode 0600).</translation>
    </message>
    <message>
        <source>Cannot read the token file %1: %2</source>
        <translation>Impossible de lire le fichier de jeton %1 : %2</translation>
    </message>
    <message>
        <source>The token file %1 is not a regular file.</source>
        <translation>Le fichier de jeton %1 n&apos;est pas un fichier ordinaire.</translation>
    </message>
    <message>
        <source>Refusing the token file %1: it is readable or writable by other users (mode %2). The device token is a secret: run &quot;chmod 600 %1&quot;.</source>
        <translation>Fichier de jeton %1 refusé : d&apos;autres utilisateurs peuvent le lire ou l&apos;écrire (mode %2). Le jeton de l&apos;appareil est secret : exécutez « chmod 600 %1 ».</translation>
    </message>
    <message>
        <source>The token file %1 does not hold a device token (one line of base64url characters, as printed by &quot;safetill-server device add NAME&quot;).</source>
        <translation>Le fichier de jeton %1 ne contient pas de jeton d&apos;appareil (une ligne de caractères base64url, telle qu&apos;affichée par « safetill-server device add NOM »).</translation>
    </message>
    <message>
        <source>Cannot read the trusted certificate %1: %2</source>
        <translation>Impossible de lire le certificat de confiance %1 : %2</translation>
    </message>
    <message>
        <source>The trusted certificate file %1 holds no PEM certificate.</source>
        <translation>Le fichier de certificat %1 ne contient aucun certificat PEM.</translation>
    </message>
</context>
<context>
    <name>SafeTill::SyncEngine</name>
    <message>
        <source>Sync was stopped.</source>
        <translation>La synchronisation a été arrêtée.</translation>
    </message>
    <message>
        <source>The sync server is unreachable (%1 attempts; last: %2). The ops are kept and sent later.</source>
        <translation>Le serveur de synchronisation est injoignable (%1 tentatives ; dernière : %2). Les opérations sont conservées et envoyées plus tard.</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Refusé : %1</translation>
    </message>
    <message>
        <source>The server refused this till&apos;s device token (%1). Issue a new one with &quot;safetill-server device add NAME&quot; and configure its token file.</source>
        <translation>Le serveur a refusé le jeton d&apos;appareil de cette caisse (%1). Émettez-en un nouveau avec &quot;safetill-server device add NAME&quot; et indiquez son fichier de jeton.</translation>
    </message>
    <message>
        <source>The server does not support sync v1 (%1). Check the server URL.</source>
        <translation>Le serveur ne prend pas en charge la synchronisation v1 (%1). Vérifiez l&apos;URL du serveur.</translation>
    </message>
    <message>
        <source>The server refused the pull: %1</source>
        <translation>Le serveur a refusé la récupération : %1</translation>
    </message>
    <message>
        <source>Sync op %1 is larger than the server accepts in one request; it is kept.</source>
        <translation>L&apos;opération de synchronisation %1 dépasse ce que le serveur accepte en une requête ; elle est conservée.</translation>
    </message>
    <message>
        <source>The server speaks sync protocol %1, this till 5; its ops are kept until the server is updated.</source>
        <translation>Le serveur parle le protocole de synchronisation %1, cette caisse le 5 ; ses opérations sont conservées jusqu&apos;à la mise à jour du serveur.</translation>
    </message>
    <message>
        <source>The server refused sync op %1 (%2): %3. It is kept.</source>
        <translation>Le serveur a refusé l&apos;opération de synchronisation %1 (%2) : %3. Elle est conservée.</translation>
    </message>
</context>
<context>
    <name>SafeTill::SyncStatusWidget</name>
    <message>
        <source>Sync: not configured</source>
        <translation>Synchronisation : non configurée</translation>
    </message>
    <message>
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>hors ligne</translation>
    </message>
    <message>
        <source>syncing</source>
        <translation>synchronisation en cours</translation>
    </message>
    <message numerus="yes">
        <source>Sync: %1, %n pending</source>
        <translation>
            <numerusform>Synchronisation : %1, %n en attente</numerusform>
            <numerusform>Synchronisation : %1, %n en attente</numerusform>
        </translation>
    </message>
    <message>
        <source>, last %1</source>
        <translation>, dernière %1</translation>
    </message>
    <message numerus="yes">
        <source> — %n need(s) attention</source>
        <translation>
            <numerusform> — %n demande votre attention</numerusform>
            <numerusform> — %n demandent votre attention</numerusform>
        </translation>
    </message>
    <message>
        <source>Kept sync op %1 (%2): %3</source>
        <translation>Opération de synchronisation conservée %1 (%2) : %3</translation>
    </message>
    <message>
        <source>Sync needs attention</source>
        <translation>La synchronisation demande votre attention</translation>
    </message>
    <message>
        <source>These actions could not be synced as they were. Nothing was deleted: the server&apos;s state is shown for conflicting orders, and the kept ops can be inspected with &quot;safetill-cli sync --status&quot;.</source>
        <translation>Ces actions n&apos;ont pas pu être synchronisées telles quelles. Rien n&apos;a été supprimé : l&apos;état du serveur est affiché pour les commandes en conflit, et les opérations conservées peuvent être consultées avec &quot;safetill-cli sync --status&quot;.</translation>
    </message>
</context>
<context>
    <name>SafeTill::TabPickerDialog</name>
    <message>
        <source>Put on tab</source>
        <translation>Mettre sur ardoise</translation>
    </message>
    <message>
        <source>New tab name, e.g. Table 5</source>
        <translation>Nom de la nouvelle ardoise, p. ex. Table 5</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Open tabs:</source>
        <translation>Ardoises ouvertes :</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n order(s), %2</source>
        <translation>
            <numerusform>%1 — %n commande, %2</numerusform>
            <numerusform>%1 — %n commandes, %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SafeTill::TabService</name>
    <message>
        <source>There is no open tab called %1.</source>
        <translation>Il n&apos;y a pas d&apos;ardoise ouverte nommée %1.</translation>
    </message>
    <message>
        <source>This tab has no orders to pay for.</source>
        <translation>Cette ardoise n&apos;a pas de commandes à payer.</translation>
    </message>
    <message>
        <source>There is no tab %1.</source>
        <translation>Il n&apos;y a pas d&apos;ardoise %1.</translation>
    </message>
</context>
<context>
    <name>SafeTill::TabsModel</name>
    <message>
        <source>Tab</source>
        <translation>Ardoise</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Commandes</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Balance due</source>
        <translation>Reste à payer</translation>
    </message>
</context>
<context>
    <name>SafeTill::TabsWindow</name>
    <message>
        <source>Settle tab…</source>
        <translation>Régler l&apos;ardoise…</translation>
    </message>
    <message>
        <source>Open tabs — SafeTill</source>
        <translation>Ardoises ouvertes — SafeTill</translation>
    </message>
    <message>
        <source>No open tabs.</source>
        <translation>Aucune ardoise ouverte.</translation>
    </message>
    <message>
        <source>Select a tab to see its orders.</source>
        <translation>Sélectionnez une ardoise pour voir ses commandes.</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n item(s), %2</source>
        <translation>
            <numerusform>%1 : %n article, %2</numerusform>
            <numerusform>%1 : %n articles, %2</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — total %2&lt;br&gt;%3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — total %2&lt;br&gt;%3</translation>
    </message>
    <message>
        <source>Settle tab %1</source>
        <translation>Régler l&apos;ardoise %1</translation>
    </message>
    <message>
        <source>Tab %1 settled, receipt %2.</source>
        <translation>Ardoise %1 réglée, ticket %2.</translation>
    </message>
    <message>
        <source>Paid so far: %1 — balance due: %2</source>
        <translation>Déjà payé : %1 — reste à payer : %2</translation>
    </message>
</context>
<context>
    <name>SafeTill::Tender</name>
    <message>
        <source>label: an “other” payment needs a label of 1 to 60 characters (e.g. Voucher).</source>
        <translation>label : un paiement « autre » demande un libellé de 1 à 60 caractères (p. ex. bon d&apos;achat).</translation>
    </message>
    <message>
        <source>label: only an “other” payment has a label.</source>
        <translation>label : seul un paiement « autre » a un libellé.</translation>
    </message>
    <message>
        <source>This order is already paid in full.</source>
        <translation>Cette commande est déjà entièrement payée.</translation>
    </message>
    <message>
        <source>amount: a payment cannot be negative (%1 cents).</source>
        <translation>amount : un paiement ne peut pas être négatif (%1 centimes).</translation>
    </message>
    <message>
        <source>amount: %1 cents is more than the balance due (%2 cents).</source>
        <translation>amount : %1 centimes dépasse le reste à payer (%2 centimes).</translation>
    </message>
    <message>
        <source>amount: a payment must be more than 0.</source>
        <translation>amount : un paiement doit être supérieur à 0.</translation>
    </message>
    <message>
        <source>tendered: a %1 payment is for the exact %2 (%3 cents); it cannot exceed the balance due.</source>
        <translation>tendered : un paiement %1 est du montant exact de %2 (%3 centimes) ; il ne peut pas dépasser le reste à payer.</translation>
    </message>
    <message>
        <source>tendered: the amount tendered (%1 cents) is less than %2 (%3 cents).</source>
        <translation>tendered : le montant reçu (%1 centimes) est inférieur à %2 (%3 centimes).</translation>
    </message>
    <message>
        <source>percent: %1 is from 0.01 % to 100 %.</source>
        <translation>percent : %1 est compris entre 0,01 % et 100 %.</translation>
    </message>
    <message>
        <source>amount: %1 must be more than 0.</source>
        <translation>amount : %1 doit être supérieur à 0.</translation>
    </message>
    <message>
        <source>amount: %1 (%2 cents) is more than what it applies to (%3 cents).</source>
        <translation>amount : %1 (%2 centimes) dépasse le montant auquel il s&apos;applique (%3 centimes).</translation>
    </message>
    <message>
        <source>reason: %1 needs a reason of 1 to 200 characters.</source>
        <translation>reason : %1 demande un motif de 1 à 200 caractères.</translation>
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
        <translation>Back-office</translation>
    </message>
    <message>
        <source>Log in first: the back office needs a manager, or a manager&apos;s approval.</source>
        <translation>Connectez-vous d&apos;abord : le back-office demande un responsable, ou l&apos;autorisation d&apos;un responsable.</translation>
    </message>
</context>
<context>
    <name>SafeTill::Translations</name>
    <message>
        <source>There is no translation for the language “%1”; choose one of: %2.</source>
        <translation>Il n&apos;y a pas de traduction pour la langue « %1 » ; choisissez parmi : %2.</translation>
    </message>
    <message>
        <source>The translation for “%1” is missing.</source>
        <translation>La traduction pour « %1 » manque.</translation>
    </message>
</context>
<context>
    <name>SafeTill::Validation</name>
    <message>
        <source>A quantity must be a whole number from 1 to %1.</source>
        <translation>Une quantité doit être un nombre entier de 1 à %1.</translation>
    </message>
    <message>
        <source>A price must be from 0 to %1 cents.</source>
        <translation>Un prix doit être compris entre 0 et %1 centimes.</translation>
    </message>
    <message>
        <source>The amount tendered must be from 0 to %1 cents.</source>
        <translation>Le montant reçu doit être compris entre 0 et %1 centimes.</translation>
    </message>
    <message>
        <source>A SKU has 1 to %1 characters.</source>
        <translation>Un SKU a 1 à %1 caractères.</translation>
    </message>
    <message>
        <source>A SKU cannot contain spaces or control characters.</source>
        <translation>Un SKU ne peut pas contenir d&apos;espaces ni de caractères de contrôle.</translation>
    </message>
    <message>
        <source>A request id has 1 to %1 characters.</source>
        <translation>Un identifiant de requête a 1 à %1 caractères.</translation>
    </message>
    <message>
        <source>A request id may contain only letters, digits and - _ . :</source>
        <translation>Un identifiant de requête ne peut contenir que des lettres, des chiffres et - _ . :</translation>
    </message>
    <message>
        <source>%1 must have 1 to %2 characters.</source>
        <translation>%1 doit avoir 1 à %2 caractères.</translation>
    </message>
    <message>
        <source>%1 cannot contain control characters.</source>
        <translation>%1 ne peut pas contenir de caractères de contrôle.</translation>
    </message>
</context>
<context>
    <name>SafeTill::Verifier</name>
    <message numerus="yes">
        <source>The database breaks %n of SafeTill&apos;s promises; see the findings.</source>
        <translation>
            <numerusform>La base de données enfreint %n des promesses de SafeTill ; voir les constats.</numerusform>
            <numerusform>La base de données enfreint %n des promesses de SafeTill ; voir les constats.</numerusform>
        </translation>
    </message>
    <message>
        <source>PostgreSQL checks its pages and foreign keys itself.</source>
        <translation>PostgreSQL vérifie lui-même ses pages et ses clés étrangères.</translation>
    </message>
    <message>
        <source>Order %1 is completed but has no payment (its total is %2 cents).</source>
        <translation>La commande %1 est terminée mais n&apos;a aucun paiement (son total est de %2 centimes).</translation>
    </message>
    <message>
        <source>Order %1 is completed but underpaid: its payments add up to %2 cents, its total is %3 cents.</source>
        <translation>La commande %1 est terminée mais sous-payée : ses paiements totalisent %2 centimes, son total est de %3 centimes.</translation>
    </message>
    <message>
        <source>Order %1 was paid more than due: its payments add up to %2 cents, its total is %3 cents.</source>
        <translation>La commande %1 a été trop payée : ses paiements totalisent %2 centimes, son total est de %3 centimes.</translation>
    </message>
    <message>
        <source>Tab “%1” (%2) is settled but has no payment (its orders total %3 cents).</source>
        <translation>L&apos;ardoise « %1 » (%2) est réglée mais n&apos;a aucun paiement (ses commandes totalisent %3 centimes).</translation>
    </message>
    <message>
        <source>Tab “%1” (%2) is settled but underpaid: its payments add up to %3 cents, its orders total %4 cents.</source>
        <translation>L&apos;ardoise « %1 » (%2) est réglée mais sous-payée : ses paiements totalisent %3 centimes, ses commandes %4 centimes.</translation>
    </message>
    <message>
        <source>Tab “%1” (%2) was paid more than due: its payments add up to %3 cents, its orders total %4 cents.</source>
        <translation>L&apos;ardoise « %1 » (%2) a été trop payée : ses paiements totalisent %3 centimes, ses commandes %4 centimes.</translation>
    </message>
    <message>
        <source>The %1 %2 keeps %3 cents as paid, but its payments add up to %4 cents: its balance due is wrong.</source>
        <translation>%1 %2 indique %3 centimes payés, mais ses paiements totalisent %4 centimes : son reste à payer est faux.</translation>
    </message>
    <message>
        <source>Order %1 is still open but its payments (%2 cents) exceed its total (%3 cents).</source>
        <translation>La commande %1 est encore ouverte mais ses paiements (%2 centimes) dépassent son total (%3 centimes).</translation>
    </message>
    <message>
        <source>Order %1 was completed through tab %2, which does not exist.</source>
        <translation>La commande %1 a été terminée via l&apos;ardoise %2, qui n&apos;existe pas.</translation>
    </message>
    <message>
        <source>Order %1 was completed through tab %2, which is not settled: nothing paid for it.</source>
        <translation>La commande %1 a été terminée via l&apos;ardoise %2, qui n&apos;est pas réglée : rien n&apos;a été payé pour elle.</translation>
    </message>
    <message>
        <source>Order %1 is still %2 on tab “%3”, which is already settled.</source>
        <translation>La commande %1 est encore %2 sur l&apos;ardoise « %3 », déjà réglée.</translation>
    </message>
    <message>
        <source>Payment %1 is for order %2, which does not exist.</source>
        <translation>Le paiement %1 concerne la commande %2, qui n&apos;existe pas.</translation>
    </message>
    <message>
        <source>Payment %1 is for order %2, which is %3, not completed.</source>
        <translation>Le paiement %1 concerne la commande %2, qui est %3, non terminée.</translation>
    </message>
    <message>
        <source>Payment %1 pays order %2 on its own, but that order was completed through tab %3 and is paid with it.</source>
        <translation>Le paiement %1 paie seul la commande %2, mais cette commande a été terminée via l&apos;ardoise %3 et payée avec elle.</translation>
    </message>
    <message>
        <source>Payment %1 is for tab %2, which does not exist.</source>
        <translation>Le paiement %1 concerne l&apos;ardoise %2, qui n&apos;existe pas.</translation>
    </message>
    <message>
        <source>Payment %1 is for tab “%2” (%3), which is still open.</source>
        <translation>Le paiement %1 concerne l&apos;ardoise « %2 » (%3), encore ouverte.</translation>
    </message>
    <message>
        <source>Payment %1 of %2 is an overpayment with no review item: no manager was told to refund or keep it.</source>
        <translation>Le paiement %1 de %2 est un trop-perçu sans élément à vérifier : aucun responsable n&apos;a été invité à le rembourser ou à le conserver.</translation>
    </message>
    <message numerus="yes">
        <source>Order %1 has %n payments of %2 cents with the same receipt %3: one was booked twice.</source>
        <translation>
            <numerusform>La commande %1 a %n paiement de %2 centimes avec le même ticket %3 : l&apos;un a été comptabilisé deux fois.</numerusform>
            <numerusform>La commande %1 a %n paiements de %2 centimes avec le même ticket %3 : l&apos;un a été comptabilisé deux fois.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Tab %1 has %n payments of %2 cents with the same receipt %3: one was booked twice.</source>
        <translation>
            <numerusform>L&apos;ardoise %1 a %n paiement de %2 centimes avec le même ticket %3 : l&apos;un a été comptabilisé deux fois.</numerusform>
            <numerusform>L&apos;ardoise %1 a %n paiements de %2 centimes avec le même ticket %3 : l&apos;un a été comptabilisé deux fois.</numerusform>
        </translation>
    </message>
    <message>
        <source>Line %1 counts %2 refunded, its refunds %3.</source>
        <translation>La ligne %1 compte %2 remboursés, ses remboursements %3.</translation>
    </message>
    <message>
        <source>Refund %1 is %2 but its lines add up to %3.</source>
        <translation>Le remboursement %1 est de %2 mais ses lignes totalisent %3.</translation>
    </message>
    <message>
        <source>Refund %1 pays back receipt %2, which is no sale here.</source>
        <translation>Le remboursement %1 rembourse le ticket %2, qui n&apos;est pas une vente d&apos;ici.</translation>
    </message>
    <message>
        <source>Receipt %1 was paid %2 and refunded %3.</source>
        <translation>Le ticket %1 a été payé %2 et remboursé %3.</translation>
    </message>
    <message>
        <source>order %1</source>
        <translation>commande %1</translation>
    </message>
    <message>
        <source>tab %1</source>
        <translation>ardoise %1</translation>
    </message>
    <message>
        <source>refund %1</source>
        <translation>remboursement %1</translation>
    </message>
    <message>
        <source>Receipt %1 was issued more than once: it is on %2.</source>
        <translation>Le ticket %1 a été émis plus d&apos;une fois : il figure sur %2.</translation>
    </message>
    <message>
        <source>The terminal row (receipt prefix and sequence) is missing.</source>
        <translation>La ligne de la caisse (préfixe et séquence des tickets) manque.</translation>
    </message>
    <message>
        <source>This terminal&apos;s next receipt sequence number is %1, but receipt %2 was already issued: the next receipt would repeat a number.</source>
        <translation>Le prochain numéro de séquence de ticket de cette caisse est %1, mais le ticket %2 a déjà été émis : le prochain ticket répéterait un numéro.</translation>
    </message>
    <message>
        <source>Order %1 has no history entries.</source>
        <translation>La commande %1 n&apos;a aucune entrée d&apos;historique.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>The history of order %1 does not start with a new order: its first entry (%2) starts from version %3.</source>
        <translation>L&apos;historique de la commande %1 ne commence pas par une nouvelle commande : sa première entrée (%2) part de la version %3.</translation>
    </message>
    <message>
        <source>The history of order %1 breaks at entry %2: it starts from version %3, but the entry before it ended at version %4.</source>
        <translation>L&apos;historique de la commande %1 se rompt à l&apos;entrée %2 : elle part de la version %3, mais l&apos;entrée précédente s&apos;arrêtait à la version %4.</translation>
    </message>
    <message>
        <source>Order %1 is at version %2, but its history ends at version %3.</source>
        <translation>La commande %1 est à la version %2, mais son historique s&apos;arrête à la version %3.</translation>
    </message>
    <message>
        <source>SQLite&apos;s integrity check reports: %1</source>
        <translation>La vérification d&apos;intégrité de SQLite signale : %1</translation>
    </message>
    <message>
        <source>Row %1 of %2 refers to a row of %3 that does not exist.</source>
        <translation>La ligne %1 de %2 renvoie à une ligne de %3 qui n&apos;existe pas.</translation>
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
            <numerusform>%1 %n constat
</numerusform>
            <numerusform>%1 %n constats
</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 skipped (%2)
</source>
        <translation>%1 ignoré (%2)
</translation>
    </message>
    <message>
        <source>The database is clean.</source>
        <translation>La base de données est saine.</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found.</source>
        <translation>
            <numerusform>%n problème trouvé.</numerusform>
            <numerusform>%n problèmes trouvés.</numerusform>
        </translation>
    </message>
    <message>
        <source>Line %1 has refunds booked as excess, yet only %2 of its %3 units are counted refunded.</source>
        <translation>La ligne %1 a des remboursements comptés en excédent, alors que seules %2 de ses %3 unités sont comptées remboursées.</translation>
    </message>
    <message>
        <source>Refund %1 does not name the terminal of receipt %2 (%3).</source>
        <translation>Le remboursement %1 n&apos;indique pas la caisse du ticket %2 (%3).</translation>
    </message>
    <message>
        <source>Refund %1 names terminal %2 for receipt %3, which was sold on %4.</source>
        <translation>Le remboursement %1 indique la caisse %2 pour le ticket %3, vendu sur %4.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Demo database — PINs: %1</source>
        <translation>Base de démonstration — codes PIN : %1</translation>
    </message>
    <message>
        <source>SafeTill</source>
        <translation>SafeTill</translation>
    </message>
    <message>
        <source>SafeTill point-of-sale terminal.</source>
        <translation>Terminal de caisse SafeTill.</translation>
    </message>
    <message>
        <source>path</source>
        <extracomment>The value placeholder of --db, shown in --help as &lt;path&gt;.</extracomment>
        <translation>chemin</translation>
    </message>
    <message>
        <source>The language of the screens: %1 (default: the setting ui/language, else the system&apos;s language).</source>
        <translation>La langue des écrans : %1 (par défaut : le paramètre ui/language, sinon la langue du système).</translation>
    </message>
    <message>
        <source>language</source>
        <extracomment>The value placeholder of --language, shown in --help as &lt;language&gt;.</extracomment>
        <translation>langue</translation>
    </message>
    <message>
        <source>Sync is off: %1</source>
        <translation>La synchronisation est désactivée : %1</translation>
    </message>
    <message>
        <source>The database file (default: safetill.sqlite in the app&apos;s data location).</source>
        <translation>Le fichier de base de données (par défaut : safetill.sqlite dans le dossier de données de l&apos;application).</translation>
    </message>
    <message>
        <source>Add the demo cashiers and catalog if missing, and show their PINs.</source>
        <translation>Ajouter les caissiers et le catalogue de démonstration s&apos;ils manquent, et afficher leurs codes PIN.</translation>
    </message>
    <message>
        <source>Full screen without decorations; quitting needs a manager&apos;s PIN.</source>
        <translation>Plein écran sans décorations ; quitter demande le code PIN d&apos;un responsable.</translation>
    </message>
</context>
</TS>
