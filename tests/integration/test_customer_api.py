"""Customer API routes on both backends: search, get, create, update, delete.

Each test runs against a seeded customer-api (one per module and backend)
and removes the customers it creates, so the seeded 91 stay as they are.
"""

from __future__ import annotations

import json

import pytest

import timestamps
from customer_helpers import (
    AROUT, CUSTOMER_FIELDS, MAX_LENGTHS, SEARCH_FILTERS, SEEDED_COUNT, assert_customer_shape,
    assert_error_body, field_error, fields_of, matches, new_customer_id, reference_customers)


def all_customers(api) -> list[dict]:
    resp = api.get("/api/customers")
    assert resp.status_code == 200, resp.text
    return resp.json()


# ---------------------------------------------------------------- get

def test_get_seeded_customer(api):
    resp = api.get("/api/customers/AROUT")
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].split(";")[0] == "application/json"
    body = resp.json()
    assert_customer_shape(body)
    assert fields_of(body) == AROUT


def test_get_unknown_customer_is_404(api):
    resp = api.get("/api/customers/NOONE")
    assert_error_body(resp, 404)


def test_get_id_is_case_sensitive_key(api):
    # The id is the key as stored; "arout" is another (unknown) id.
    resp = api.get("/api/customers/arout")
    assert_error_body(resp, 404)


def ordered(text: str) -> list:
    """A JSON object's members as (key, value) pairs in the order the text has them."""
    return json.loads(text, object_pairs_hook=list)


# Strings each serialiser must escape or pass through alike: quotes, a backslash, a slash,
# characters outside ASCII (two, three and four bytes), markup.
AWKWARD = {"companyName": 'Quote " and \\ back/slash', "contactName": "Zoë 東京 🚀",
           "contactTitle": "</script><b>", "address": "Tab\tand\nnewline", "city": "\u00e9\u0301"}


def test_get_one_is_the_same_text_as_the_customer_in_a_list(api):
    """GET /{id} and a list serialise a customer alike: same members, same order, and byte
    for byte the compact UTF-8 text (no spaces, nothing escaped that needs no escape)."""
    cid = new_customer_id()
    created = api.create({"customerId": cid, **AWKWARD}).json()
    got = api.get_customer(cid)
    assert got.status_code == 200, got.text
    listed = [c for c in all_customers(api) if c["customerId"] == cid]
    assert len(listed) == 1
    assert ordered(got.text) == ordered(json.dumps(listed[0])) == ordered(json.dumps(created))
    assert [k for k, _ in ordered(got.text)] == [*CUSTOMER_FIELDS, "createdAt", "updatedAt"]
    expected = json.dumps(listed[0], ensure_ascii=False, separators=(",", ":")).encode()
    assert got.content == expected


def test_get_one_escapes_control_characters(api):
    """A control character in a stored value leaves as a JSON escape, never as the raw byte."""
    cid = new_customer_id()
    api.create({"customerId": cid, "companyName": "Bell\u0007 and unit\u001f separator"})
    got = api.get_customer(cid)
    assert got.status_code == 200, got.text
    assert b"\x07" not in got.content and b"\x1f" not in got.content
    assert got.json()["companyName"] == "Bell\u0007 and unit\u001f separator"
    listed = [c for c in all_customers(api) if c["customerId"] == cid]
    assert ordered(got.text) == ordered(json.dumps(listed[0]))


# ---------------------------------------------------------------- search

def test_search_without_filters_returns_all_seeded_customers_ordered(api):
    customers = all_customers(api)
    assert len(customers) == SEEDED_COUNT
    for c in customers:
        assert_customer_shape(c)
    ids = [c["customerId"] for c in customers]
    assert ids == sorted(ids)
    assert len(set(ids)) == SEEDED_COUNT
    ref = reference_customers()
    if ref is not None:  # the seed is the workshop's data set, field by field
        assert [fields_of(c) for c in customers] == sorted(ref, key=lambda r: r["customerId"])


def test_search_by_contact_email_finds_exactly_arout(api):
    resp = api.get("/api/customers?contactEmail=thomashardy%40example.com")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert len(body) == 1, body
    c = body[0]
    assert (c["customerId"], c["companyName"], c["contactName"]) == ("AROUT", "Around the Horn", "Thomas Hardy")
    assert_customer_shape(c)


def test_search_company_name_is_partial_and_case_insensitive(api):
    body = api.search(companyName="horn").json()
    assert "AROUT" in [c["customerId"] for c in body]
    assert body and all("horn" in c["companyName"].casefold() for c in body), body
    assert api.search(companyName="HORN").json() == body
    assert api.search(companyName="hOrN").json() == body


def test_search_non_ascii_is_case_insensitive(api):
    for term in ("SNABBKÖP", "snabbköp", "SnAbBkÖp", "BERGLUNDS SNABBKÖP"):
        resp = api.search(companyName=term)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert [(c["customerId"], c["companyName"]) for c in body] == [("BERGS", "Berglunds snabbköp")], term


@pytest.mark.parametrize("filters", [
    {"companyName": "a", "contactName": "an"},
    {"contactName": "maria"},
    {"phone": "555"},
    {"phone": "(171)"},
    {"contactEmail": "EXAMPLE.COM"},
    {"companyName": "horn", "contactName": "thomas"},
    {"companyName": "horn", "contactName": "maria"},
    {"companyName": "e", "contactName": "a", "contactEmail": "r", "phone": "5"},
    {"contactName": "Ö"},
    {"companyName": "ä"},
])
def test_search_filters_are_partial_and_and_together(api, filters):
    everyone = all_customers(api)
    expected = [c for c in everyone if all(matches(c[k], v) for k, v in filters.items())]
    resp = api.search(**filters)
    assert resp.status_code == 200, resp.text
    assert resp.json() == expected


def test_search_unknown_term_gives_empty_list(api):
    resp = api.search(companyName="no such company at all")
    assert resp.status_code == 200
    assert resp.json() == []


def test_empty_filter_value_matches_everything(api):
    # An empty filter is "no constraint" (the original service ignored blank filters).
    resp = api.get("/api/customers?companyName=")
    assert resp.status_code == 200, resp.text
    assert len(resp.json()) == SEEDED_COUNT


@pytest.mark.parametrize("name", SEARCH_FILTERS)
@pytest.mark.parametrize("term", ["' OR 1=1 --", "'; DROP TABLE customer; --", "\" OR \"\"=\"", "%", "_",
                                  "%%", "\\", "[a-z]*"])
def test_search_terms_are_text_not_patterns_or_sql(api, name, term):
    resp = api.search(**{name: term})
    assert resp.status_code == 200, resp.text
    assert resp.json() == [], f"{name}={term!r} matched something"


def test_percent_and_underscore_match_literally(api):
    real = api.new_customer(companyName="The 100%_real Company")
    decoy = api.new_customer(companyName="The 100ab_real Company")  # would match if % or _ were wildcards
    ids = lambda resp: [c["customerId"] for c in resp.json()]  # noqa: E731
    assert ids(api.search(companyName="0%_r")) == [real["customerId"]]
    assert ids(api.search(companyName="100%")) == [real["customerId"]]
    assert ids(api.search(companyName="0__r")) == []
    assert ids(api.search(companyName="0%r")) == []
    assert sorted(ids(api.search(companyName="_real"))) == sorted([real["customerId"], decoy["customerId"]])


def test_search_results_are_ordered_by_customer_id(api):
    created = [api.new_customer(companyName="Zebra Ordering Test")["customerId"] for _ in range(3)]
    body = api.search(companyName="ordering test").json()
    assert [c["customerId"] for c in body] == sorted(created)


# ---------------------------------------------------------------- create

def test_create_returns_201_location_and_the_customer(api):
    cid = new_customer_id()
    resp = api.create({"customerId": cid, "companyName": "Minimal Ltd"})
    assert resp.headers["Location"] == f"{api.base_url}/api/customers/{cid}"
    body = resp.json()
    assert_customer_shape(body)
    assert body["customerId"] == cid and body["companyName"] == "Minimal Ltd"
    for k in CUSTOMER_FIELDS[2:]:
        assert body[k] is None, f"{k} should be null"
    assert body["createdAt"] == body["updatedAt"] or body["createdAt"] <= body["updatedAt"]
    got = api.get_customer(cid)
    assert got.status_code == 200
    assert got.json() == body


def test_create_with_every_field_round_trips(api):
    cid = new_customer_id()
    payload = {"customerId": cid, "companyName": "Ölmühle Größe & Söhne", "contactName": "Zoë Ångström",
               "contactTitle": "Owner", "address": "Königstraße 1", "city": "München", "region": "Bayern",
               "postalCode": "80331", "country": "Germany", "phone": "+49 89 1234567",
               "fax": "+49 89 1234568", "contactEmail": "zoe@example.com"}
    body = api.create(payload).json()
    assert fields_of(body) == payload
    assert fields_of(api.get_customer(cid).json()) == payload


def test_create_ignores_unknown_fields_and_server_timestamps(api):
    cid = new_customer_id()
    body = api.create({"customerId": cid, "companyName": "Extra Fields", "favouriteColour": "green",
                       "createdAt": "1999-01-01T00:00:00.000000", "nested": {"a": [1, 2]}}).json()
    assert_customer_shape(body)
    assert body["createdAt"] != "1999-01-01T00:00:00.000000"


def test_create_accepts_explicit_nulls_for_optional_fields(api):
    cid = new_customer_id()
    payload = {"customerId": cid, "companyName": "Nulls Inc", **{k: None for k in CUSTOMER_FIELDS[2:]}}
    body = api.create(payload).json()
    assert fields_of(body) == payload


def test_lengths_are_counted_in_characters(api):
    at_limit = {k: "Ö" * n for k, n in MAX_LENGTHS.items() if k != "contactEmail"}
    body = api.new_customer(**at_limit)
    for k, v in at_limit.items():
        assert body[k] == v
    # One character more is too long, however few bytes it takes.
    for k, n in MAX_LENGTHS.items():
        if k == "contactEmail":
            continue
        resp = api.create({"customerId": new_customer_id(), "companyName": "Ok", k: "Ö" * (n + 1)},
                          expect=None)
        assert_error_body(resp, 400, "Validation failed", fields=[k])


def test_create_duplicate_id_is_409_and_keeps_the_original(api):
    before = api.get_customer("AROUT").json()
    resp = api.create({"customerId": "AROUT", "companyName": "Impostor", "contactName": "Mallory"},
                      expect=None)
    assert_error_body(resp, 409)
    assert api.get_customer("AROUT").json() == before
    assert fields_of(before) == AROUT


def test_create_duplicate_of_new_customer_is_409(api):
    first = api.new_customer(companyName="First")
    resp = api.create({"customerId": first["customerId"], "companyName": "Second"}, expect=None)
    assert_error_body(resp, 409)
    assert api.get_customer(first["customerId"]).json() == first


# ---------------------------------------------------------------- validation

def test_customer_id_of_four_characters_is_400_naming_the_field(api):
    resp = api.create({"customerId": "ABCD", "companyName": "Short Id"}, expect=None)
    doc = assert_error_body(resp, 400, "Validation failed", fields=["customerId"])
    err = field_error(doc, "customerId")
    assert err["rejectedValue"] == "ABCD"
    assert err["message"] == "Customer ID must be exactly 5 characters"
    assert api.get_customer("ABCD").status_code == 404


@pytest.mark.parametrize("payload, field", [
    ({"customerId": "ABCDEF", "companyName": "Long Id"}, "customerId"),
    ({"customerId": "", "companyName": "Empty Id"}, "customerId"),
    ({"companyName": "No Id"}, "customerId"),
    ({"customerId": None, "companyName": "Null Id"}, "customerId"),
    ({"customerId": "NOCMP"}, "companyName"),
    ({"customerId": "NOCMP", "companyName": None}, "companyName"),
    ({"customerId": "NOCMP", "companyName": ""}, "companyName"),
    ({"customerId": "LONGC", "companyName": "x" * 41}, "companyName"),
    ({"customerId": "BADEM", "companyName": "Bad Email", "contactEmail": "not-an-email"}, "contactEmail"),
    ({"customerId": "BADEM", "companyName": "Bad Email", "contactEmail": "a@"}, "contactEmail"),
    ({"customerId": "BADEM", "companyName": "Bad Email", "contactEmail": "@example.com"}, "contactEmail"),
    ({"customerId": "BADEM", "companyName": "Bad Email", "contactEmail": "a b@example.com"}, "contactEmail"),
    ({"customerId": "LONGE", "companyName": "Long Email", "contactEmail": "a" * 250 + "@example.com"},
     "contactEmail"),
    ({"customerId": "TYPE1", "companyName": 42}, "companyName"),
    ({"customerId": "TYPE2", "companyName": "Types", "city": []}, "city"),
    ({"customerId": "TYPE3", "companyName": "Types", "contactName": {"first": "A"}}, "contactName"),
    ({"customerId": "TYPE4", "companyName": "Types", "phone": True}, "phone"),
    ({"customerId": "TYPE5", "companyName": "Types", "fax": 1.5}, "fax"),
    ({"customerId": 12345, "companyName": "Numeric Id"}, "customerId"),
    ({"customerId": ["ABCDE"], "companyName": "Array Id"}, "customerId"),
])
def test_invalid_customer_is_400_naming_the_field(api, payload, field):
    resp = api.create(payload, expect=None)
    assert_error_body(resp, 400, "Validation failed", fields=[field])
    cid = payload.get("customerId")
    if isinstance(cid, str) and len(cid) == 5:
        assert api.get_customer(cid).status_code == 404, "invalid customer was stored"


@pytest.mark.parametrize("field", [k for k in MAX_LENGTHS if k != "companyName"])
def test_each_field_over_its_maximum_is_400(api, field):
    n = MAX_LENGTHS[field]
    value = ("a" * (n - len("@example.com") + 1) + "@example.com") if field == "contactEmail" else "a" * (n + 1)
    resp = api.create({"customerId": new_customer_id(), "companyName": "Long", field: value},
                      expect=None)
    doc = assert_error_body(resp, 400, "Validation failed", fields=[field])
    assert field_error(doc, field)["rejectedValue"] == value


def test_every_bad_field_is_listed(api):
    resp = api.create({"customerId": "AB", "companyName": "", "contactEmail": "nope", "city": "c" * 16},
                      expect=None)
    assert_error_body(resp, 400, "Validation failed", fields=["customerId", "companyName", "contactEmail", "city"])


@pytest.mark.parametrize("body", [b"[]", b'"x"', b"42", b"null", b"true", b'[{"customerId":"ARRAY"}]'])
def test_json_that_is_not_an_object_is_400(api, body):
    resp = api.post("/api/customers", data=body, headers={"Content-Type": "application/json"})
    assert_error_body(resp, 400)


# ---------------------------------------------------------------- update

def test_update_returns_200_with_newer_updated_at(api):
    created = api.new_customer(companyName="Before", city="Paris", phone="123")
    cid = created["customerId"]
    resp = api.put(api.customer_path(cid), json={"companyName": "After", "city": "Lyon",
                                                 "contactEmail": "after@example.com"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert_customer_shape(body)
    assert body["customerId"] == cid
    assert body["companyName"] == "After" and body["city"] == "Lyon"
    assert body["contactEmail"] == "after@example.com"
    assert body["phone"] is None, "PUT replaces the whole customer: an absent field becomes null"
    assert body["createdAt"] == created["createdAt"]
    assert timestamps.parse_iso8601(body["updatedAt"]) > timestamps.parse_iso8601(created["updatedAt"])
    assert api.get_customer(cid).json() == body


def test_update_ignores_customer_id_in_body(api):
    created = api.new_customer(companyName="Keep My Id")
    cid = created["customerId"]
    other = new_customer_id()
    for body_id in (other, "BAD"):
        resp = api.put(api.customer_path(cid), json={"customerId": body_id, "companyName": "Still Mine"})
        assert resp.status_code == 200, resp.text
        assert resp.json()["customerId"] == cid
    assert api.get_customer(other).status_code == 404


def test_update_unknown_customer_is_404(api):
    resp = api.put("/api/customers/NOONE", json={"companyName": "Ghost"})
    assert_error_body(resp, 404)
    assert api.get_customer("NOONE").status_code == 404


@pytest.mark.parametrize("payload, field", [
    ({}, "companyName"),
    ({"companyName": ""}, "companyName"),
    ({"companyName": "y" * 41}, "companyName"),
    ({"companyName": "Ok", "contactEmail": "not-an-email"}, "contactEmail"),
    ({"companyName": "Ok", "region": "r" * 16}, "region"),
    ({"companyName": 7}, "companyName"),
    ({"companyName": "Ok", "country": ["UK"]}, "country"),
])
def test_update_validates_like_create(api, payload, field):
    created = api.new_customer(companyName="Valid Before")
    resp = api.put(api.customer_path(created["customerId"]), json=payload)
    assert_error_body(resp, 400, "Validation failed", fields=[field])
    assert api.get_customer(created["customerId"]).json() == created


def test_update_of_seeded_customer_validation_failure_leaves_it_unchanged(api):
    before = api.get_customer("AROUT").json()
    resp = api.put("/api/customers/AROUT", json={"companyName": "z" * 41})
    assert_error_body(resp, 400, "Validation failed", fields=["companyName"])
    assert api.get_customer("AROUT").json() == before


# ---------------------------------------------------------------- delete

def test_delete_then_get_and_delete_again_are_404(api):
    cid = api.new_customer(companyName="Short Lived")["customerId"]
    resp = api.delete(api.customer_path(cid))
    assert resp.status_code == 204, resp.text
    assert resp.content == b""
    assert_error_body(api.get_customer(cid), 404)
    assert_error_body(api.delete(api.customer_path(cid)), 404)
    assert cid not in [c["customerId"] for c in all_customers(api)]


def test_delete_unknown_customer_is_404(api):
    assert_error_body(api.delete("/api/customers/NOONE"), 404)


def test_deleted_id_can_be_created_again(api):
    cid = api.new_customer(companyName="Phoenix")["customerId"]
    assert api.delete(api.customer_path(cid)).status_code == 204
    body = api.create({"customerId": cid, "companyName": "Phoenix Again"}).json()
    assert body["companyName"] == "Phoenix Again"


# ---------------------------------------------------------------- routing errors

@pytest.mark.parametrize("path", ["/", "/api", "/api/customer", "/api/customers/AROUT/orders",
                                  "/actuator/nothing", "/v3/api-docs/extra",
                                  "/API/CUSTOMERS"])
def test_unknown_path_is_404(api, path):
    assert_error_body(api.get(path), 404)


@pytest.mark.parametrize("path", ["/api/customers/AROUT", "/api/customers?city=London", "/api/customers/NOONE",
                                  "/actuator/health"])
def test_head_is_get_without_the_body(api, path):
    got = api.get(path)
    head = api.request("HEAD", path)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head.headers["Content-Length"] == str(len(got.content))
    assert head.headers["Content-Type"] == got.headers["Content-Type"]


@pytest.mark.parametrize("method, path, allowed", [
    ("DELETE", "/api/customers", {"GET", "POST"}),
    ("PUT", "/api/customers", {"GET", "POST"}),
    ("PATCH", "/api/customers", {"GET", "POST"}),
    ("PATCH", "/api/customers/AROUT", {"GET", "PUT", "DELETE"}),
    ("POST", "/api/customers/AROUT", {"GET", "PUT", "DELETE"}),
    ("POST", "/actuator/health", {"GET", "HEAD"}),
    ("DELETE", "/actuator/health/readiness", {"GET", "HEAD"}),
])
def test_wrong_method_is_405_with_allow(api, method, path, allowed):
    resp = api.request(method, path, json={"companyName": "x"})
    assert_error_body(resp, 405)
    allow = {m.strip().upper() for m in resp.headers.get("Allow", "").split(",") if m.strip()}
    assert allowed <= allow, f"Allow: {resp.headers.get('Allow')!r}"
    assert method not in allow
    assert fields_of(api.get_customer("AROUT").json()) == AROUT


def test_unknown_field_with_an_integer_beyond_64_bits_is_ignored(api):
    """Found by schemathesis: a body with an integer past int64 anywhere was "Malformed JSON"."""
    cid = new_customer_id()
    resp = api.create({"customerId": cid, "companyName": "Big Numbers", "x": 10 ** 30})
    assert resp.json()["companyName"] == "Big Numbers"
