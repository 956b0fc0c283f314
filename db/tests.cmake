# Unit test of db/: "db" runs the SQLite and generic checks, "db_postgres"
# the backend checks on the scratch PostgreSQL database FANTACO_TEST_PG_URL
# names (scripts/test.sh starts one with scripts/test-postgres.sh); without
# it db_postgres is reported as skipped. Included from tests/unit/CMakeLists.txt.
add_executable(test_db ${PROJECT_SOURCE_DIR}/tests/unit/test_db.c)
target_link_libraries(test_db PRIVATE fantaco_db fantaco_common Threads::Threads)
add_test(NAME db COMMAND test_db)
add_test(NAME db_postgres COMMAND test_db postgres)
set_tests_properties(db_postgres PROPERTIES SKIP_RETURN_CODE 77)
