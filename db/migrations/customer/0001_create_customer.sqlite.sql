-- Customer table of the Customer API (SQLite). Lengths are checked by the
-- service in characters; timestamps are ISO-8601 text written by the service.
CREATE TABLE customer (
    customer_id   TEXT PRIMARY KEY NOT NULL,
    company_name  TEXT NOT NULL,
    contact_name  TEXT,
    contact_title TEXT,
    address       TEXT,
    city          TEXT,
    region        TEXT,
    postal_code   TEXT,
    country       TEXT,
    phone         TEXT,
    fax           TEXT,
    contact_email TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
