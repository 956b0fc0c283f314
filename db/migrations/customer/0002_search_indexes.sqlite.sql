-- SQLite has no trigram index; searches scan the (small) table. Kept as a
-- numbered no-op so both backends share one migration history.
SELECT 1;
