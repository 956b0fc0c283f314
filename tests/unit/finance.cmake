# Unit tests of finance-api (services/finance). Included from
# tests/unit/CMakeLists.txt, after fantaco_unit_test() is defined.
include_guard(GLOBAL)
fantaco_unit_test(finance_model finance_core)
fantaco_unit_test(finance_request finance_core)
fantaco_unit_test(finance_store finance_core PkgConfig::SQLITE Threads::Threads)
