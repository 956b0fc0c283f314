-- A trigram full-text index over the case-folded searchable columns makes
-- partial, case-insensitive search (fold(col) LIKE '%term%') an index
-- lookup instead of a table scan. fold() is the service's Unicode lower-case
-- function, registered on every connection, so these triggers only run
-- inside the service (other SQLite clients may read but not write).
CREATE VIRTUAL TABLE customer_search USING fts5(
    company_name, contact_name, contact_email, phone, tokenize = 'trigram');

INSERT INTO customer_search (rowid, company_name, contact_name, contact_email, phone)
    SELECT rowid, fold(company_name), fold(contact_name), fold(contact_email), fold(phone)
    FROM customer;

CREATE TRIGGER customer_search_insert AFTER INSERT ON customer BEGIN
    INSERT INTO customer_search (rowid, company_name, contact_name, contact_email, phone)
    VALUES (new.rowid, fold(new.company_name), fold(new.contact_name), fold(new.contact_email),
            fold(new.phone));
END;

CREATE TRIGGER customer_search_update AFTER UPDATE ON customer BEGIN
    UPDATE customer_search SET company_name = fold(new.company_name),
        contact_name = fold(new.contact_name), contact_email = fold(new.contact_email),
        phone = fold(new.phone)
    WHERE rowid = new.rowid;
END;

CREATE TRIGGER customer_search_delete AFTER DELETE ON customer BEGIN
    DELETE FROM customer_search WHERE rowid = old.rowid;
END;
