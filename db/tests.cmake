# Unit test of db/ (SQLite; set FANTACO_TEST_PG_URL to also run the backend
# checks against a scratch PostgreSQL database). Included from
# tests/unit/CMakeLists.txt.
add_executable(test_db ${PROJECT_SOURCE_DIR}/tests/unit/test_db.c)
target_link_libraries(test_db PRIVATE fantaco_db fantaco_common Threads::Threads)
add_test(NAME db COMMAND test_db)
