-- The searchable columns, case-folded once when written: customer_folded
-- (same rowid as customer) is scanned with instr() for terms the trigram
-- index cannot serve (under 3 characters, GLOB characters), which reads a
-- quarter of the bytes of customer and calls no fold() per row. The trigram
-- index becomes an external-content table over it with detail=none and
-- columnsize=0: it stores neither positions nor sizes, so the doclists of
-- trigrams in nearly every row (".co", "com") are small, and FTS5 checks each
-- candidate's text for the GLOB itself.
DROP TRIGGER customer_search_insert;
DROP TRIGGER customer_search_update;
DROP TRIGGER customer_search_delete;
DROP TABLE customer_search;

CREATE TABLE customer_folded (
    id            INTEGER PRIMARY KEY,
    company_name  TEXT,
    contact_name  TEXT,
    contact_email TEXT,
    phone         TEXT
);

INSERT INTO customer_folded (id, company_name, contact_name, contact_email, phone)
    SELECT rowid, fold(company_name), fold(contact_name), fold(contact_email), fold(phone)
    FROM customer;

CREATE VIRTUAL TABLE customer_search USING fts5(
    company_name, contact_name, contact_email, phone, tokenize = 'trigram',
    content = 'customer_folded', content_rowid = 'id', detail = none, columnsize = 0);

INSERT INTO customer_search (customer_search) VALUES ('rebuild');

-- customer keeps customer_folded in step, and customer_folded its index
-- (an external-content index forgets a row by being given its old text).
CREATE TRIGGER customer_folded_insert AFTER INSERT ON customer BEGIN
    INSERT INTO customer_folded (id, company_name, contact_name, contact_email, phone)
    VALUES (new.rowid, fold(new.company_name), fold(new.contact_name), fold(new.contact_email),
            fold(new.phone));
END;

CREATE TRIGGER customer_folded_update AFTER UPDATE ON customer BEGIN
    UPDATE customer_folded SET company_name = fold(new.company_name),
        contact_name = fold(new.contact_name), contact_email = fold(new.contact_email),
        phone = fold(new.phone)
    WHERE id = old.rowid;
END;

CREATE TRIGGER customer_folded_delete AFTER DELETE ON customer BEGIN
    DELETE FROM customer_folded WHERE id = old.rowid;
END;

CREATE TRIGGER customer_search_insert AFTER INSERT ON customer_folded BEGIN
    INSERT INTO customer_search (rowid, company_name, contact_name, contact_email, phone)
    VALUES (new.id, new.company_name, new.contact_name, new.contact_email, new.phone);
END;

CREATE TRIGGER customer_search_update AFTER UPDATE ON customer_folded BEGIN
    INSERT INTO customer_search (customer_search, rowid, company_name, contact_name,
                                 contact_email, phone)
    VALUES ('delete', old.id, old.company_name, old.contact_name, old.contact_email, old.phone);
    INSERT INTO customer_search (rowid, company_name, contact_name, contact_email, phone)
    VALUES (new.id, new.company_name, new.contact_name, new.contact_email, new.phone);
END;

CREATE TRIGGER customer_search_delete AFTER DELETE ON customer_folded BEGIN
    INSERT INTO customer_search (customer_search, rowid, company_name, contact_name,
                                 contact_email, phone)
    VALUES ('delete', old.id, old.company_name, old.contact_name, old.contact_email, old.phone);
END;
