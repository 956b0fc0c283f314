"""PostgreSQL's indexes for customer search: trigrams (pg_trgm, GiST on lower(column)) and
bigrams (GIN on customer_bigrams(lower(column)), no extension).

The trigram migration creates them when the extension can be created; where
the service's role may not, it logs one warning and the service starts
without them (searches then scan and find the same). The bigram indexes
need no extension. SQLite's FTS5 indexes have no such fallback: FTS5 is part of
SQLite, the bigram tokenizer part of the service.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests


def test_trigram_indexes_serve_the_search(postgres, start_customer_api):
    """The migration made the indexes and the query's form is one they serve."""
    svc = start_customer_api("postgres")
    dbname = urlsplit(svc.database_url).path.lstrip("/")
    names = postgres.psql("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes "
                          "WHERE tablename = 'customer' AND indexname LIKE '%trgm'", dbname)
    assert names.strip().split(",") == ["customer_company_name_trgm", "customer_contact_email_trgm",
                                        "customer_contact_name_trgm", "customer_phone_trgm"], names
    definitions = postgres.psql("SELECT indexdef FROM pg_indexes WHERE indexname LIKE '%trgm'", dbname)
    assert definitions.count("USING gist") == 4 and definitions.count("siglen='64'") == 4, definitions
    # The WHERE clause as customer_schema.c writes it, with the parameter inlined; the
    # primary key's order (ORDER BY customer_id) is left out so that only the trigram
    # index can replace the sequential scan.
    for column in ("company_name", "contact_name", "contact_email", "phone"):
        plan = postgres.psql("SET enable_seqscan = off; EXPLAIN SELECT customer_id FROM customer "
                             f"WHERE lower({column}) LIKE '%' || lower('Tho') || '%' ESCAPE '\\'",
                             dbname)
        assert f"customer_{column}_trgm" in plan, plan


def test_bigram_indexes_serve_terms_without_a_trigram(postgres, start_customer_api):
    """Migration 0005 made a GIN index of each searchable column's bigrams, and the form a
    term of two characters or more without a trigram is searched with is one it serves."""
    svc = start_customer_api("postgres")
    dbname = urlsplit(svc.database_url).path.lstrip("/")
    names = postgres.psql("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes "
                          "WHERE tablename = 'customer' AND indexname LIKE '%bigrams'", dbname)
    columns = ("company_name", "contact_email", "contact_name", "phone")
    assert names.strip().split(",") == [f"customer_{column}_bigrams" for column in columns], names
    # As customer_schema.c writes it (CUST_T_GRAMS), the parameter inlined, no ORDER BY.
    for column in columns:
        for term in ("Ha", "a-b"):
            plan = postgres.psql("SET enable_seqscan = off; EXPLAIN SELECT customer_id "
                                 f"FROM customer WHERE customer_bigrams(lower({column})) @> "
                                 f"customer_bigrams(lower('{term}')) "
                                 f"AND strpos(lower({column}), lower('{term}')) > 0", dbname)
            assert f"customer_{column}_bigrams" in plan, plan


def test_postgres_without_pg_trgm_starts_and_searches(postgres, start_customer_api):
    """A role that may not create extensions: the migration warns once and the service
    starts without the trigram indexes; searches scan and find the same."""
    postgres.psql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'no_ext') "
                  "THEN CREATE ROLE no_ext LOGIN; END IF; END $$")
    url = postgres.create_database("no_trgm")
    # PostgreSQL 15: only the database owner may create in schema public by default.
    postgres.psql("GRANT CREATE ON SCHEMA public TO no_ext", "no_trgm")
    svc = start_customer_api("postgres", db_url=url.replace("postgres@", "no_ext@"))
    resp = requests.get(svc.url + "/api/customers", params={"contactName": "thomas HARDY"}, timeout=10)
    assert [c["customerId"] for c in resp.json()] == ["AROUT"]
    assert postgres.psql("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%trgm'",
                         "no_trgm").strip() == "0"
    assert postgres.psql("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'",
                         "no_trgm").strip() == "0"
    svc.stop()
    warnings = [line for line in svc.log_text().splitlines() if "pg_trgm unavailable" in line]
    assert len(warnings) == 1 and "warn" in warnings[0], svc.log_text()
    # A second start finds the migration applied: no second warning.
    again = start_customer_api("postgres", db_url=url.replace("postgres@", "no_ext@"))
    again.stop()
    assert "pg_trgm unavailable" not in again.log_text()
