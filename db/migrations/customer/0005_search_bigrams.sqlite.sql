-- A second FTS5 index over customer_folded for the terms the trigram index
-- cannot serve, one or two characters long, which were a scan of every row.
-- Its tokenizer, the service's "bigram" (db/db_bigram.h, registered on every
-- connection like fold()), makes each window of two characters of a folded
-- column a token, and the column's last character one more: a two-character
-- term is found as a token, a one-character term as the prefix of one.
-- detail=column, because detail=none refuses a query restricted to one
-- column; columnsize=0. Rebuilding it at 100 000 customers takes about a
-- second (see the README's upgrade note).
CREATE VIRTUAL TABLE IF NOT EXISTS customer_bigram USING fts5(
    company_name, contact_name, contact_email, phone, tokenize = 'bigram',
    content = 'customer_folded', content_rowid = 'id', detail = column, columnsize = 0);

INSERT INTO customer_bigram (customer_bigram) VALUES ('rebuild');

-- customer_folded keeps it in step, as it keeps customer_search (0003).
CREATE TRIGGER IF NOT EXISTS customer_bigram_insert AFTER INSERT ON customer_folded BEGIN
    INSERT INTO customer_bigram (rowid, company_name, contact_name, contact_email, phone)
    VALUES (new.id, new.company_name, new.contact_name, new.contact_email, new.phone);
END;

CREATE TRIGGER IF NOT EXISTS customer_bigram_update AFTER UPDATE ON customer_folded BEGIN
    INSERT INTO customer_bigram (customer_bigram, rowid, company_name, contact_name,
                                 contact_email, phone)
    VALUES ('delete', old.id, old.company_name, old.contact_name, old.contact_email, old.phone);
    INSERT INTO customer_bigram (rowid, company_name, contact_name, contact_email, phone)
    VALUES (new.id, new.company_name, new.contact_name, new.contact_email, new.phone);
END;

CREATE TRIGGER IF NOT EXISTS customer_bigram_delete AFTER DELETE ON customer_folded BEGIN
    INSERT INTO customer_bigram (customer_bigram, rowid, company_name, contact_name,
                                 contact_email, phone)
    VALUES ('delete', old.id, old.company_name, old.contact_name, old.contact_email, old.phone);
END;
