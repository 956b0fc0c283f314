-- GIN indexes for the terms pg_trgm cannot serve (no three letters or
-- digits in a row: "ha", "a", "a-b"), which were a scan of every row. Each
-- indexes customer_grams(lower(col)): the column's substrings of one and two
-- characters, as a text[] under the built-in array_ops (no extension). A
-- search asks for customer_gram_keys(lower(term)), the grams every text
-- that contains the term has (the term itself up to two characters), and
-- strpos() confirms the match. ANALYZE gathers the arrays' element
-- statistics, so that a common term still walks the primary key.
-- CREATE INDEX locks out writes to customer (not reads) until the migration
-- commits; at 100 000 customers that is some seconds (see the README).
CREATE OR REPLACE FUNCTION customer_grams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT ARRAY(SELECT substr(t, i, n)
                       FROM generate_series(1, length(t)) AS i, generate_series(1, 2) AS n) $$;

CREATE OR REPLACE FUNCTION customer_gram_keys(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT CASE WHEN length(t) <= 2 THEN ARRAY[t]
                      ELSE ARRAY(SELECT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i)
                 END $$;

CREATE INDEX IF NOT EXISTS customer_company_name_grams ON customer
    USING gin (customer_grams(lower(company_name)));
CREATE INDEX IF NOT EXISTS customer_contact_name_grams ON customer
    USING gin (customer_grams(lower(contact_name)));
CREATE INDEX IF NOT EXISTS customer_contact_email_grams ON customer
    USING gin (customer_grams(lower(contact_email)));
CREATE INDEX IF NOT EXISTS customer_phone_grams ON customer
    USING gin (customer_grams(lower(phone)));

ANALYZE customer;
