# Unit tests of mcp/, common/http_client and common/trace. Included from tests/unit/CMakeLists.txt.
fantaco_unit_test(mcp_jsonrpc fantaco_mcp)
fantaco_unit_test(mcp_protocol fantaco_mcp)
fantaco_unit_test(mcp_session fantaco_mcp)
fantaco_unit_test(mcp_schema fantaco_mcp)
fantaco_unit_test(mcp_guard fantaco_mcp)
fantaco_unit_test(mcp_http_client fantaco_common)
fantaco_unit_test(mcp_stateless fantaco_mcp)
fantaco_unit_test(trace fantaco_common)
