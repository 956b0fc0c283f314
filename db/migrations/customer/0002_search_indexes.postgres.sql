-- Trigram indexes make the partial, case-insensitive searches
-- (lower(col) LIKE '%term%') index scans instead of table scans. pg_trgm is
-- a trusted extension (the database owner may create it); where it is not
-- installed the service still works, only slower on large tables.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX customer_company_name_trgm ON customer USING gin (lower(company_name) gin_trgm_ops);
    CREATE INDEX customer_contact_name_trgm ON customer USING gin (lower(contact_name) gin_trgm_ops);
    CREATE INDEX customer_contact_email_trgm ON customer USING gin (lower(contact_email) gin_trgm_ops);
    CREATE INDEX customer_phone_trgm ON customer USING gin (lower(phone) gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'pg_trgm unavailable (%); searches will scan the table', SQLERRM;
END
$$;
