"""Pages of GET /api/customers, and indexed searches against a plain scan.

Search answers at most `limit` customers (default 100, at most 1000) after
`offset`, in customerId order, and says with `Link: <...>; rel="next"` when
more follow; the body stays a plain JSON array. With the 91 demo customers
nothing the workshop's labs send changes.

Terms of three or more characters go through the trigram indexes (FTS5 on
SQLite, pg_trgm on PostgreSQL), shorter ones scan: on a table large enough
for PostgreSQL's planner to prefer the index, every tricky term (LIKE and
GLOB wildcards, backslash, quotes, non-ASCII, two against three
characters) must find exactly what a scan of all rows in Python finds.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

import processes
from customer_helpers import SEARCH_FILTERS, SEEDED_COUNT, CustomerApi, assert_error_body, matches
from databases import make_database_url

GENERATED = 1200  # with the demo data: 13 pages of 100

TRICKY_CUSTOMERS = [
    {"companyName": "Ab*?[%_\\\"' Co", "contactName": None, "contactEmail": None, "phone": None},
    {"companyName": "100% Pure_Juice", "contactName": "Per Cent", "contactEmail": "p_c%x@ex.am",
     "phone": "+1 (555) 100%"},
    {"companyName": "ÖA öa Handel", "contactName": "Åsa Öberg", "contactEmail": "asa.oberg@example.se",
     "phone": "+46 (0)8-12 34"},
    {"companyName": "Back\\Slash AB", "contactName": "Zoë Ünal", "contactEmail": "zoe@back.example",
     "phone": "555"},
    {"companyName": "Sub,Delims;$ (1)", "contactName": None, "contactEmail": None, "phone": None},
    {"companyName": "Sub,Delims;$ (2)", "contactName": None, "contactEmail": None, "phone": None},
]

# Each is searched in every filter; two- and three-character pieces of the same words.
TRICKY_TERMS = ["%", "_", "\\", "%_", "0%", "0% ", "e_j", "*", "?", "[%", "ab*", "b*?[", "\"'",
                "' c", "ö", "öa", "ÖA ", "åsa", "ÅS", "zoë", "ZO", "ünal", "Ün", "sl", "k\\s",
                "ck\\sl", "ge", "gen", "Generated Company 11", "contact11", "example.com", ".co",
                "(555) 000-01", "55", "555", "(0)", "8-1"]


@pytest.fixture(scope="module")
def big(backend, request, tmp_path_factory, module_services):
    """(service, client, every row): demo data, GENERATED more and the tricky rows."""
    directory = tmp_path_factory.mktemp(f"pages-{backend}")
    url = make_database_url(backend, request, directory, "pages")
    svc = processes.start_service("customer-api", ["--database-url", url, "--seed", "--seed-scale",
                                                   str(GENERATED)], tmp_path=directory)
    svc.database_url = url
    module_services.append(svc)
    client = CustomerApi(svc.url)
    for fields in TRICKY_CUSTOMERS:
        client.new_customer(**fields)
    resp = client.get("/api/customers", params={"limit": 1000, "offset": 0})
    rows = resp.json()
    resp = client.get("/api/customers", params={"limit": 1000, "offset": 1000})
    rows += resp.json()
    assert len(rows) == SEEDED_COUNT + GENERATED + len(TRICKY_CUSTOMERS)
    yield svc, client, rows
    client.close()


def next_url(resp: requests.Response) -> str | None:
    link = resp.links.get("next")
    return urljoin(resp.url, link["url"]) if link else None


def walk(client: CustomerApi, params: dict) -> tuple[list[dict], int]:
    """Every customer of a search, following rel="next"; (rows, number of requests)."""
    url, rows, requests_made = client.base_url + "/api/customers", [], 0
    resp = client.session.get(url, params=params, timeout=30)
    while True:
        assert resp.status_code == 200, resp.text
        assert isinstance(resp.json(), list)
        rows += resp.json()
        requests_made += 1
        url = next_url(resp)
        if url is None:
            return rows, requests_made
        resp = client.session.get(url, timeout=30)


def ids(rows) -> list[str]:
    return [c["customerId"] for c in rows]


def test_demo_data_is_one_page_without_link(api):
    resp = api.get("/api/customers")
    assert resp.status_code == 200
    assert len(resp.json()) == SEEDED_COUNT
    assert "Link" not in resp.headers
    assert ids(resp.json()) == sorted(ids(resp.json()))
    resp = api.get("/api/customers", params={"limit": SEEDED_COUNT})
    assert len(resp.json()) == SEEDED_COUNT and "Link" not in resp.headers
    resp = api.get("/api/customers", params={"limit": SEEDED_COUNT - 1})
    assert len(resp.json()) == SEEDED_COUNT - 1
    assert parse_qs(urlsplit(next_url(resp)).query) == {"offset": ["90"], "limit": ["90"]}


def test_default_page_is_100_with_a_next_link(big):
    _, client, rows = big
    resp = client.get("/api/customers")
    assert resp.status_code == 200
    assert ids(resp.json()) == ids(rows)[:100]
    assert resp.headers["Link"] == '</api/customers?offset=100&limit=100>; rel="next"'


def test_following_next_links_gives_every_customer_once_in_order(big):
    _, client, rows = big
    got, pages = walk(client, {})
    assert ids(got) == ids(rows) == sorted(ids(rows))
    assert pages == -(-len(rows) // 100)
    got, pages = walk(client, {"limit": 1000})
    assert ids(got) == ids(rows) and pages == 2


def test_next_link_keeps_the_filters(big):
    _, client, rows = big
    params = {"contactEmail": "@GENERATED.example", "companyName": "company 1", "phone": "",
              "limit": 7, "offset": 3}
    want = [c for c in rows if matches(c["contactEmail"], params["contactEmail"])
            and matches(c["companyName"], params["companyName"])][3:]
    resp = client.get("/api/customers", params=params)
    query = parse_qs(urlsplit(next_url(resp)).query, keep_blank_values=True)
    assert query == {"contactEmail": ["@GENERATED.example"], "companyName": ["company 1"],
                     "phone": [""], "offset": ["10"], "limit": ["7"]}
    got, _ = walk(client, params)
    assert ids(got) == ids(want) and len(want) > 100


def test_next_link_encodes_every_reserved_character(big):
    """RFC 3986's sub-delimiters in a term are percent-encoded too, and the link still finds
    the term's next page."""
    _, client, rows = big
    term = "b,delims;$ ("
    want = [c for c in rows if matches(c["companyName"], term)]
    assert len(want) == 2
    resp = client.get("/api/customers", params={"companyName": term, "limit": 1})
    assert ids(resp.json()) == ids(want)[:1]
    assert resp.headers["Link"] == ('</api/customers?companyName=b%2Cdelims%3B%24%20%28'
                                    '&offset=1&limit=1>; rel="next"')
    got, pages = walk(client, {"companyName": term, "limit": 1})
    assert ids(got) == ids(want) and pages == 2


def test_offset_past_the_end_is_an_empty_page(big):
    _, client, rows = big
    resp = client.get("/api/customers", params={"offset": len(rows)})
    assert resp.status_code == 200 and resp.json() == [] and "Link" not in resp.headers
    resp = client.get("/api/customers", params={"offset": len(rows) - 1, "limit": 1})
    assert ids(resp.json()) == ids(rows)[-1:] and "Link" not in resp.headers


@pytest.mark.parametrize("name,value", [
    ("limit", "0"), ("limit", "1001"), ("limit", "-1"), ("limit", "abc"), ("limit", "1.5"),
    ("limit", ""), ("limit", " 5"), ("limit", "+5"), ("limit", "1e2"),
    ("offset", "-1"), ("offset", "x"), ("offset", "2147483648"), ("offset", ""),
])
def test_bad_page_numbers_are_400(api, name, value):
    resp = api.get("/api/customers", params={name: value, "companyName": "a"})
    doc = assert_error_body(resp, 400, "Validation failed", fields=[name])
    assert doc["errors"][0]["rejectedValue"] == value


def test_both_bad_page_numbers_are_reported(api):
    resp = api.get("/api/customers", params={"limit": "0", "offset": "-1"})
    assert_error_body(resp, 400, "Validation failed", fields=["limit", "offset"])


def test_largest_page_numbers_are_accepted(api):
    resp = api.get("/api/customers", params={"limit": "1000", "offset": "2147483647"})
    assert resp.status_code == 200 and resp.json() == []


@pytest.mark.parametrize("name", SEARCH_FILTERS)
def test_tricky_terms_match_a_plain_scan(big, name):
    """In pages of 1000 and of 100: on SQLite a term found in many rows fills its first pages
    from a walk of the first rows in customerId order (the probe), the rest of the pages and
    rarer terms come from the trigram index or a scan; all must agree with Python."""
    _, client, rows = big
    wrong = []
    for term in TRICKY_TERMS:
        want = ids(c for c in rows if matches(c[name], term))
        resp = client.get("/api/customers", params={name: term, "limit": 1000})
        assert resp.status_code == 200, f"{term!r}: {resp.text}"
        if ids(resp.json()) != want[:1000]:
            wrong.append(f"{name}={term!r}, limit 1000: got {len(resp.json())}, want {len(want)}")
        got, _ = walk(client, {name: term})
        if ids(got) != want:
            wrong.append(f"{name}={term!r}, pages of 100: got {len(got)}, want {len(want)}")
    assert not wrong, "\n".join(wrong)


def test_terms_in_two_filters_match_a_plain_scan(big):
    _, client, rows = big
    for a, b in [("gen", "11"), ("ge", "contact11"), ("ÖA ", "åsa"), ("%", "per"), ("100%", "pe")]:
        resp = client.get("/api/customers", params={"companyName": a, "contactName": b, "limit": 1000})
        want = [c for c in rows if matches(c["companyName"], a) and matches(c["contactName"], b)]
        assert ids(resp.json()) == ids(want), (a, b)
