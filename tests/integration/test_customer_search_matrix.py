"""Every shape of customer search, on both backends, against a plain scan.

SQLite 3.40.1's FTS5 trigram code crashes (NULL dereference) when a LIKE or
GLOB pattern without a run of three literal characters is ANDed before
another FTS5 constraint, and silently finds nothing for a two-character
pattern of three bytes ("öa"). The store must never hand FTS5 such a
pattern. This module searches with every combination of absent, empty and
1..4-character values of the four filters (mixed case, non-ASCII where the
data has it, wildcard characters, NULL columns), compares each answer with
a scan of the data in Python, and fails at the first request the service
does not answer. The MCP path of the original report is checked too.
"""

from __future__ import annotations

import itertools
import json

import pytest
import requests

from customer_helpers import SEARCH_FILTERS, SEEDED_COUNT, matches
from mcp_support import McpHttp, tool_text

# Heavy robustness checks: scripts/test.sh runs them against the sanitizer build only.
pytestmark = pytest.mark.robustness

LENGTHS = (None, 0, 1, 2, 3, 4)  # None: the filter is not sent; 0: sent empty

# Rows beside the seeded 91: NULL columns, wildcard and quote characters,
# two-character non-ASCII words whose UTF-8 is three bytes or more.
EXTRA_CUSTOMERS = [
    {"companyName": "Ab*?[%_\\\"' Co", "contactName": None, "contactEmail": None, "phone": None},
    {"companyName": "ÖA öa Handel", "contactName": "Åsa Öberg", "contactEmail": "asa.oberg@example.se",
     "phone": "+46 (0)8-12 34"},
    {"companyName": "Mar Ab", "contactName": "Ma", "contactEmail": "ab@mar.example", "phone": "55"},
]


def mixed_case(text: str, seed: int) -> str:
    """Upper-cases every other character (only where that stays one character)."""
    out = []
    for i, ch in enumerate(text):
        up = ch.upper()
        out.append(up if (i + seed) % 2 == 0 and len(up) == 1 and up.lower() == ch else ch)
    return "".join(out)


def term_of(value: str, length: int, seed: int) -> str:
    """A length-character piece of value, taken around its first non-ASCII letter if it has one."""
    if length == 0:
        return ""
    if len(value) < length:
        return mixed_case(value, seed)
    wide = [i for i, ch in enumerate(value) if ord(ch) > 127]
    start = min(wide[0], len(value) - length) if wide else seed % (len(value) - length + 1)
    return mixed_case(value[start:start + length], seed)


def combinations(rows: list[dict]):
    """(filters) for every combination of LENGTHS over the four filters."""
    for k, lengths in enumerate(itertools.product(LENGTHS, repeat=len(SEARCH_FILTERS))):
        filters = {}
        for i, (name, length) in enumerate(zip(SEARCH_FILTERS, lengths)):
            if length is None:
                continue
            # Mostly pieces of one customer (a hit), sometimes of another (usually a miss).
            source = rows[(k + (i if k % 3 == 0 else 0) * 7) % len(rows)]
            value = source[name] or rows[(k + 1) % len(rows)][name] or "x"
            filters[name] = term_of(value, length, k + i)
        yield filters


def expected_ids(rows: list[dict], filters: dict) -> list[str]:
    """The plain scan: an empty filter is no constraint, a NULL column never matches."""
    return [c["customerId"] for c in rows
            if all(term == "" or matches(c[name], term) for name, term in filters.items())]


@pytest.fixture
def all_rows(api) -> list[dict]:
    for extra in EXTRA_CUSTOMERS:
        api.new_customer(**extra)
    resp = api.get("/api/customers")
    assert resp.status_code == 200, resp.text
    rows = resp.json()
    assert len(rows) == SEEDED_COUNT + len(EXTRA_CUSTOMERS)
    return rows


def test_every_filter_length_combination_matches_a_plain_scan(api, customer_api, all_rows):
    checked = hits = 0
    wrong = []
    for filters in combinations(all_rows):
        try:
            resp = api.search(**filters)
        except requests.ConnectionError as exc:
            pytest.fail(f"customer-api stopped answering at {filters!r}: {exc}")
        assert resp.status_code == 200, f"{filters!r}: {resp.status_code} {resp.text}"
        got = [c["customerId"] for c in resp.json()]
        want = expected_ids(all_rows, filters)
        if got != want:
            wrong.append(f"{filters!r}: got {got[:5]}… ({len(got)}), want {want[:5]}… ({len(want)})")
        checked += 1
        hits += bool(want)
    customer_api.check_healthy()
    assert checked == len(LENGTHS) ** len(SEARCH_FILTERS)
    assert not wrong, f"{len(wrong)} of {checked} searches differ from the scan:\n" + "\n".join(wrong[:20])
    assert hits > checked // 4, f"only {hits} of {checked} searches find anything: the terms test too little"


@pytest.mark.parametrize("filters", [
    {"companyName": "ab", "contactName": "Maria Anders"},  # the report
    {"companyName": "ab", "contactName": "mar"},
    {"companyName": "öa", "contactName": "åsa"},  # two characters, three bytes
    {"companyName": "ÖA"},
    {"companyName": "a*b", "contactName": "maria"},  # no three-character literal run
    {"companyName": "[a]", "phone": "030"},
    {"contactName": "ma", "contactEmail": "example", "phone": "030"},
])
def test_reported_shapes(api, customer_api, all_rows, filters):
    resp = api.search(**filters)
    assert resp.status_code == 200, resp.text
    assert [c["customerId"] for c in resp.json()] == expected_ids(all_rows, filters)
    customer_api.check_healthy()


def test_mcp_search_with_short_and_long_terms_keeps_the_api_up(apis, customer_mcp):
    customer_api = apis[0]
    rows = requests.get(customer_api.url + "/api/customers", timeout=30).json()
    client = McpHttp(customer_mcp.url)
    try:
        client.initialize()
        # The report's call (no seeded customer matches both), then one that finds ALFKI.
        for args in ({"company_name": "ab", "contact_name": "mar"},
                     {"company_name": "fu", "contact_name": "MARIA"}):
            filters = {"companyName": args["company_name"], "contactName": args["contact_name"]}
            result = client.call_tool("search_customers", args)
            assert result["isError"] is False, tool_text(result)
            found = [c["customerId"] for c in json.loads(tool_text(result))["results"]]
            assert found == expected_ids(rows, filters), args
            customer_api.check_healthy()
        assert found == ["ALFKI"]
        # customer-mcp still reaches customer-api afterwards.
        again = client.call_tool("get_customer", {"customer_id": "ALFKI"})
        assert again["isError"] is False, tool_text(again)
    finally:
        client.close()
    assert requests.get(customer_api.url + "/actuator/health/liveness", timeout=30).status_code == 200
