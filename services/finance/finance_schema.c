/* finance_schema: the Finance API's SQL, for PostgreSQL ($n, NUMERIC) and SQLite (?n, cents). */
#include "finance_schema.h"

#include "finance_assets.h"

/* ---- result columns (the resource tables of finance_model.c) ---- */

#define PG_TS(c) "to_char(" c ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
#define PG_CENTS(c) "(" c " * 100)::bigint"

#define PG_ORDER_COLS                                                                         \
    "id, order_number, customer_id, " PG_CENTS("total_amount") ", status, "                  \
    PG_TS("order_date") ", " PG_TS("created_at") ", " PG_TS("updated_at")
#define SQ_ORDER_COLS                                                                         \
    "id, order_number, customer_id, total_amount_cents, status, order_date, created_at, "    \
    "updated_at"

#define PG_INVOICE_COLS                                                                       \
    "id, invoice_number, order_id, customer_id, " PG_CENTS("amount") ", status, "            \
    PG_TS("invoice_date") ", " PG_TS("due_date") ", " PG_TS("paid_date") ", "                \
    PG_TS("created_at") ", " PG_TS("updated_at")
#define SQ_INVOICE_COLS                                                                       \
    "id, invoice_number, order_id, customer_id, amount_cents, status, invoice_date, "        \
    "due_date, paid_date, created_at, updated_at"

#define DISPUTE_DATA_COLS                                                                     \
    "id, dispute_number, order_id, customer_id, dispute_type, status, description, reason, "
#define PG_DISPUTE_COLS                                                                       \
    DISPUTE_DATA_COLS PG_TS("dispute_date") ", " PG_TS("resolved_date") ", "                 \
    PG_TS("created_at") ", " PG_TS("updated_at")
#define SQ_DISPUTE_COLS DISPUTE_DATA_COLS "dispute_date, resolved_date, created_at, updated_at"

#define RECEIPT_DATA_COLS                                                                     \
    "id, receipt_number, order_id, customer_id, status, file_path, file_name, file_size, "   \
    "mime_type, "
#define PG_RECEIPT_COLS                                                                       \
    RECEIPT_DATA_COLS PG_TS("receipt_date") ", " PG_TS("created_at") ", " PG_TS("updated_at")
#define SQ_RECEIPT_COLS RECEIPT_DATA_COLS "receipt_date, created_at, updated_at"

/* ---- history: newest first, optional inclusive range, always a limit ---- */

#define PG_HISTORY(cols, table, date)                                                         \
    "SELECT " cols " FROM " table " WHERE customer_id = $1"                                  \
    " AND ($2::timestamp IS NULL OR " date " >= $2::timestamp)"                              \
    " AND ($3::timestamp IS NULL OR " date " <= $3::timestamp)"                              \
    " ORDER BY " date " DESC, id DESC LIMIT $4::integer"
#define SQ_HISTORY(cols, table, date)                                                         \
    "SELECT " cols " FROM " table " WHERE customer_id = ?1"                                  \
    " AND (?2 IS NULL OR " date " >= ?2) AND (?3 IS NULL OR " date " <= ?3)"                 \
    " ORDER BY " date " DESC, id DESC LIMIT CAST(?4 AS INTEGER)"

#define OPEN_DUPLICATE                                                                        \
    "dispute_type = 'DUPLICATE_CHARGE' AND status IN ('OPEN', 'IN_PROGRESS')"

/* ---- seed rows (explicit ids; ON CONFLICT keeps what is there) ---- */

#define PG_SEED_ORDER                                                                         \
    "INSERT INTO orders (id, order_number, customer_id, total_amount, status, order_date, "  \
    "created_at, updated_at) VALUES ($1::bigint, $2, $3, $4::bigint / 100.0, $5, "           \
    "$6::timestamp, $7::timestamp, $8::timestamp) ON CONFLICT DO NOTHING"
#define SQ_SEED_ORDER                                                                         \
    "INSERT INTO orders (id, order_number, customer_id, total_amount_cents, status, "        \
    "order_date, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "           \
    "ON CONFLICT DO NOTHING"
#define PG_SEED_INVOICE                                                                       \
    "INSERT INTO invoices (id, invoice_number, order_id, customer_id, amount, status, "      \
    "invoice_date, due_date, paid_date, created_at, updated_at) VALUES ($1::bigint, $2, "    \
    "$3::bigint, $4, $5::bigint / 100.0, $6, $7::timestamp, $8::timestamp, $9::timestamp, "  \
    "$10::timestamp, $11::timestamp) ON CONFLICT DO NOTHING"
#define SQ_SEED_INVOICE                                                                       \
    "INSERT INTO invoices (id, invoice_number, order_id, customer_id, amount_cents, status, " \
    "invoice_date, due_date, paid_date, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, " \
    "?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING"
#define SEED_DISPUTE(p, ts)                                                                   \
    "INSERT INTO disputes (id, dispute_number, order_id, customer_id, dispute_type, status, " \
    "description, reason, dispute_date, resolved_date, created_at, updated_at) VALUES ("     \
    p "1, " p "2, " p "3, " p "4, " p "5, " p "6, " p "7, " p "8, " p "9" ts ", " p "10" ts  \
    ", " p "11" ts ", " p "12" ts ") ON CONFLICT DO NOTHING"
#define SEED_RECEIPT(p, ts)                                                                   \
    "INSERT INTO receipts (id, receipt_number, order_id, customer_id, status, file_path, "   \
    "file_name, file_size, mime_type, receipt_date, created_at, updated_at) VALUES ("        \
    p "1, " p "2, " p "3, " p "4, " p "5, " p "6, " p "7, " p "8, " p "9, " p "10" ts ", "   \
    p "11" ts ", " p "12" ts ") ON CONFLICT DO NOTHING"

#define PG_SETVAL(t)                                                                          \
    "setval(pg_get_serial_sequence('" t "', 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM " t \
    "), false)"

/* ---- generated rows: three orders per customer, one invoice per order ---- */

#define GEN_ORDER_PG(a, b, c, d)                                                              \
    "($" #a ", $1, $" #b "::bigint / 100.0, $" #c ", $" #d "::timestamp, $" #d "::timestamp)"
#define GEN_ORDER_SQ(a, b, c, d) "(?" #a ", ?1, ?" #b ", ?" #c ", ?" #d ", ?" #d ")"

/* Invoice status follows the order's; generated order numbers start "ORD-GEN-". */
#define GEN_INVOICE_STATUS                                                                    \
    "CASE o.status WHEN 'DELIVERED' THEN 'PAID' WHEN 'CANCELLED' THEN 'CANCELLED' "          \
    "WHEN 'REFUNDED' THEN 'REFUNDED' WHEN 'PENDING' THEN 'DRAFT' ELSE 'SENT' END"

static const db_statement statements[] = {
    [FIN_S_ORDER_HISTORY] = {.name = "order_history", .sql =
                             {PG_HISTORY(PG_ORDER_COLS, "orders", "order_date"),
                              SQ_HISTORY(SQ_ORDER_COLS, "orders", "order_date")}},
    [FIN_S_INVOICE_HISTORY] = {.name = "invoice_history", .sql =
                               {PG_HISTORY(PG_INVOICE_COLS, "invoices", "invoice_date"),
                                SQ_HISTORY(SQ_INVOICE_COLS, "invoices", "invoice_date")}},
    [FIN_S_ORDER_OWNER] = {.name = "order_owner", .sql =
                           {"SELECT customer_id FROM orders WHERE id = $1::bigint",
                            "SELECT customer_id FROM orders WHERE id = ?1"}},
    [FIN_S_OPEN_DUPLICATE] = {.name = "open_duplicate", .sql =
                              {"SELECT dispute_number FROM disputes WHERE order_id = $1::bigint"
                               " AND " OPEN_DUPLICATE,
                               "SELECT dispute_number FROM disputes WHERE order_id = ?1"
                               " AND " OPEN_DUPLICATE}},
    [FIN_S_DISPUTE_INSERT] =
        {.name = "dispute_insert", .sql =
         {"INSERT INTO disputes (dispute_number, order_id, customer_id, dispute_type, status,"
          " description, reason, dispute_date, created_at, updated_at) VALUES ($1, $2::bigint,"
          " $3, 'DUPLICATE_CHARGE', 'OPEN', $4, $5, $6::timestamp, $6::timestamp,"
          " $6::timestamp) RETURNING " PG_DISPUTE_COLS,
          "INSERT INTO disputes (dispute_number, order_id, customer_id, dispute_type, status,"
          " description, reason, dispute_date, created_at, updated_at) VALUES (?1, ?2, ?3,"
          " 'DUPLICATE_CHARGE', 'OPEN', ?4, ?5, ?6, ?6, ?6) RETURNING " SQ_DISPUTE_COLS}},
    [FIN_S_DISPUTE_LIST] = {.name = "dispute_list", .sql =
                            {"SELECT " PG_DISPUTE_COLS " FROM disputes WHERE customer_id = $1"
                             " ORDER BY dispute_date DESC, id DESC",
                             "SELECT " SQ_DISPUTE_COLS " FROM disputes WHERE customer_id = ?1"
                             " ORDER BY dispute_date DESC, id DESC"}},
    [FIN_S_LOST_RECEIPT] = {.name = "lost_receipt", .sql =
                            {"SELECT " PG_RECEIPT_COLS " FROM receipts"
                             " WHERE order_id = $1::bigint AND status = 'LOST'",
                             "SELECT " SQ_RECEIPT_COLS " FROM receipts"
                             " WHERE order_id = ?1 AND status = 'LOST'"}},
    [FIN_S_LOST_RECEIPT_INSERT] =
        {.name = "lost_receipt_insert", .sql =
         {"INSERT INTO receipts (receipt_number, order_id, customer_id, status, receipt_date,"
          " created_at, updated_at) VALUES ($1, $2::bigint, $3, 'LOST', $4::timestamp,"
          " $4::timestamp, $4::timestamp) ON CONFLICT (order_id) WHERE status = 'LOST'"
          " DO NOTHING RETURNING " PG_RECEIPT_COLS,
          "INSERT INTO receipts (receipt_number, order_id, customer_id, status, receipt_date,"
          " created_at, updated_at) VALUES (?1, ?2, ?3, 'LOST', ?4, ?4, ?4)"
          " ON CONFLICT (order_id) WHERE status = 'LOST' DO NOTHING RETURNING " SQ_RECEIPT_COLS}},
    [FIN_S_RECEIPT_LIST] = {.name = "receipt_list", .sql =
                            {"SELECT " PG_RECEIPT_COLS " FROM receipts WHERE customer_id = $1"
                             " AND ($2::text IS NULL OR status = $2)"
                             " ORDER BY receipt_date DESC, id DESC",
                             "SELECT " SQ_RECEIPT_COLS " FROM receipts WHERE customer_id = ?1"
                             " AND (?2 IS NULL OR status = ?2)"
                             " ORDER BY receipt_date DESC, id DESC"}},
    [FIN_S_ANY_ORDER] = {.name = "any_order", .sql =
                         {"SELECT 1 FROM orders LIMIT 1", "SELECT 1 FROM orders LIMIT 1"}},
    [FIN_S_SEED_ORDER] = {.name = "seed_order", .sql = {PG_SEED_ORDER, SQ_SEED_ORDER}},
    [FIN_S_SEED_INVOICE] = {.name = "seed_invoice", .sql = {PG_SEED_INVOICE, SQ_SEED_INVOICE}},
    [FIN_S_SEED_DISPUTE] = {.name = "seed_dispute", .sql =
                            {SEED_DISPUTE("$", "::timestamp"), SEED_DISPUTE("?", "")}},
    [FIN_S_SEED_RECEIPT] = {.name = "seed_receipt", .sql =
                            {SEED_RECEIPT("$", "::timestamp"), SEED_RECEIPT("?", "")}},
    [FIN_S_SEED_SEQUENCES] = {.name = "seed_sequences", .sql =
                              {"SELECT " PG_SETVAL("orders") ", " PG_SETVAL("invoices") ", "
                               PG_SETVAL("disputes") ", " PG_SETVAL("receipts"),
                               "SELECT 1"}},
    [FIN_S_GEN_ORDERS] =
        {.name = "gen_orders", .sql =
         {"INSERT INTO orders (order_number, customer_id, total_amount, status, order_date,"
          " created_at) VALUES " GEN_ORDER_PG(2, 3, 4, 5) ", " GEN_ORDER_PG(6, 7, 8, 9) ", "
          GEN_ORDER_PG(10, 11, 12, 13) " ON CONFLICT (order_number) DO NOTHING",
          "INSERT INTO orders (order_number, customer_id, total_amount_cents, status,"
          " order_date, created_at) VALUES " GEN_ORDER_SQ(2, 3, 4, 5) ", "
          GEN_ORDER_SQ(6, 7, 8, 9) ", " GEN_ORDER_SQ(10, 11, 12, 13)
          " ON CONFLICT (order_number) DO NOTHING"}},
    [FIN_S_GEN_INVOICES] =
        {.name = "gen_invoices", .sql =
         {"INSERT INTO invoices (invoice_number, order_id, customer_id, amount, status,"
          " invoice_date, due_date, paid_date, created_at)"
          " SELECT 'INV-GEN-' || substr(o.order_number, 9), o.id, o.customer_id,"
          " o.total_amount, " GEN_INVOICE_STATUS ", o.order_date + interval '5 minutes',"
          " o.order_date + interval '30 days', CASE o.status WHEN 'DELIVERED'"
          " THEN o.order_date + interval '2 days' END, o.order_date + interval '5 minutes'"
          " FROM orders o WHERE o.order_number LIKE 'ORD-GEN-%'"
          " ON CONFLICT (invoice_number) DO NOTHING",
          "INSERT INTO invoices (invoice_number, order_id, customer_id, amount_cents, status,"
          " invoice_date, due_date, paid_date, created_at)"
          " SELECT 'INV-GEN-' || substr(o.order_number, 9), o.id, o.customer_id,"
          " o.total_amount_cents, " GEN_INVOICE_STATUS ","
          " strftime('%Y-%m-%dT%H:%M:%S.000000', o.order_date, '+5 minutes'),"
          " strftime('%Y-%m-%dT%H:%M:%S.000000', o.order_date, '+30 days'),"
          " CASE o.status WHEN 'DELIVERED'"
          " THEN strftime('%Y-%m-%dT%H:%M:%S.000000', o.order_date, '+2 days') END,"
          " strftime('%Y-%m-%dT%H:%M:%S.000000', o.order_date, '+5 minutes')"
          " FROM orders o WHERE o.order_number LIKE 'ORD-GEN-%'"
          " ON CONFLICT (invoice_number) DO NOTHING"}},
};

static const db_migration migrations[] = {
    {1, "create_finance", {mig_finance_0001_pg, mig_finance_0001_sqlite}},
};

const db_schema fin_schema = {
    "finance", migrations, sizeof migrations / sizeof *migrations,
    statements, sizeof statements / sizeof *statements,
};
