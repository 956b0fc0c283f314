# Unit tests of db/ (tests/unit/test_db.c): suite "db" runs the SQLite and
# generic checks, suite "db_postgres" the backend checks on the scratch
# PostgreSQL database FANTACO_TEST_PG_URL names (scripts/test.sh starts one
# with scripts/test-postgres.sh); without it db_postgres is reported as
# skipped. Included from tests/unit/CMakeLists.txt.
fantaco_unit_test(db fantaco_db fantaco_common Threads::Threads)
fantaco_unit_test(db_bigram fantaco_db fantaco_common) # the "bigram" FTS5 tokenizer
fantaco_runner_suite(unit-tests db_postgres) # defined in test_db.c
set_tests_properties(db_postgres PROPERTIES SKIP_RETURN_CODE 77)
