-- Orders, invoices, disputes and receipts of the Finance API (SQLite).
-- Same tables, keys and indexes as the PostgreSQL schema, with two storage
-- choices of SQLite's own: money is INTEGER cents (*_cents columns), and
-- timestamps are fixed-width text "YYYY-MM-DDTHH:MM:SS.ffffff" written by
-- the service, so text order is time order (the CHECKs keep it so for the
-- columns that are filtered and sorted on). STRICT tables reject values of
-- the wrong type instead of storing them.
CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    order_number       TEXT    NOT NULL UNIQUE,
    customer_id        TEXT    NOT NULL,
    total_amount_cents INTEGER NOT NULL CHECK (total_amount_cents >= 0),
    status             TEXT    NOT NULL CHECK (status IN
                           ('PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED')),
    order_date         TEXT    NOT NULL CHECK (order_date GLOB
                           '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]'),
    created_at         TEXT    NOT NULL,
    updated_at         TEXT
) STRICT;
CREATE INDEX orders_customer_date ON orders (customer_id, order_date DESC, id DESC);

CREATE TABLE invoices (
    id             INTEGER PRIMARY KEY,
    invoice_number TEXT    NOT NULL UNIQUE,
    order_id       INTEGER NOT NULL REFERENCES orders (id),
    customer_id    TEXT    NOT NULL,
    amount_cents   INTEGER NOT NULL CHECK (amount_cents >= 0),
    status         TEXT    NOT NULL CHECK (status IN
                       ('DRAFT', 'SENT', 'PAID', 'OVERDUE', 'CANCELLED', 'REFUNDED')),
    invoice_date   TEXT    NOT NULL CHECK (invoice_date GLOB
                       '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]'),
    due_date       TEXT,
    paid_date      TEXT,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT
) STRICT;
CREATE INDEX invoices_customer_date ON invoices (customer_id, invoice_date DESC, id DESC);
CREATE INDEX invoices_order ON invoices (order_id);

CREATE TABLE disputes (
    id             INTEGER PRIMARY KEY,
    dispute_number TEXT    NOT NULL UNIQUE,
    order_id       INTEGER NOT NULL REFERENCES orders (id),
    customer_id    TEXT    NOT NULL,
    dispute_type   TEXT    NOT NULL CHECK (dispute_type IN
                       ('DUPLICATE_CHARGE', 'UNAUTHORIZED_CHARGE', 'PRODUCT_NOT_RECEIVED',
                        'DEFECTIVE_PRODUCT', 'BILLING_ERROR')),
    status         TEXT    NOT NULL CHECK (status IN
                       ('OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'CANCELLED')),
    description    TEXT    NOT NULL,
    reason         TEXT,
    dispute_date   TEXT    NOT NULL CHECK (dispute_date GLOB
                       '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]'),
    resolved_date  TEXT,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT
) STRICT;
CREATE INDEX disputes_customer_date ON disputes (customer_id, dispute_date DESC, id DESC);
CREATE INDEX disputes_order ON disputes (order_id);
CREATE UNIQUE INDEX disputes_one_open_duplicate_charge ON disputes (order_id)
    WHERE dispute_type = 'DUPLICATE_CHARGE' AND status IN ('OPEN', 'IN_PROGRESS');

CREATE TABLE receipts (
    id             INTEGER PRIMARY KEY,
    receipt_number TEXT    NOT NULL UNIQUE,
    order_id       INTEGER NOT NULL REFERENCES orders (id),
    customer_id    TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN
                       ('PENDING', 'FOUND', 'LOST', 'REGENERATED', 'CANCELLED')),
    file_path      TEXT,
    file_name      TEXT,
    file_size      INTEGER CHECK (file_size >= 0),
    mime_type      TEXT,
    receipt_date   TEXT    NOT NULL CHECK (receipt_date GLOB
                       '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]'),
    created_at     TEXT    NOT NULL,
    updated_at     TEXT
) STRICT;
CREATE INDEX receipts_customer_status ON receipts (customer_id, status);
CREATE INDEX receipts_order ON receipts (order_id);
CREATE UNIQUE INDEX receipts_one_lost ON receipts (order_id) WHERE status = 'LOST';
