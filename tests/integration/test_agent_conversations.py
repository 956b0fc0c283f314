"""The chat page's kept conversations, against the fake Llama Stack.

A turn sent with a conversationId is stored (the person's message and the
events the page was shown), GET /api/conversations/{id} returns the
transcript, it survives an agent-ui restart (SQLite and PostgreSQL), and the
next turn continues on Llama Stack with previous_response_id = the last
answered response. Ids are 128-bit random hex; malformed ones are 400,
unknown ones 404, in agent-ui's error shape. Bounds: turns per conversation
and conversations. An approval still waiting when the page goes away ends
as cancelled: nothing runs, and the transcript shows the card unanswered.
"""

from __future__ import annotations

import contextlib
import json
import re

import pytest
import requests

import harness

from agent_stack import parse_sse
from fake_llama_stack import approval_stream, text_stream

ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def start_agent(start_agent):
    """conftest's factory, with the fake model named (as the page would pick it)."""
    return lambda database_url: start_agent(database_url, extra=("--model", "fake/llm"))


def create(svc) -> str:
    resp = requests.post(svc.url + "/api/conversations", timeout=10)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert ID.match(body["id"]) and body["turns"] == []
    return body["id"]


def chat(svc, message: str, conversation: str) -> list:
    with requests.post(svc.url + "/api/chat", json={"message": message, "conversationId": conversation},
                       stream=True, timeout=60) as resp:
        assert resp.status_code == 200, resp.text
        events = parse_sse(resp.iter_lines(decode_unicode=False))
    assert events[-1][0] == "done", events
    return events


@contextlib.contextmanager
def until_approval(svc, conversation: str):
    """A turn asking to open a dispute, read up to its approval event; yields the rest of its lines."""
    with requests.post(svc.url + "/api/chat", json={"message": "open a dispute", "conversationId": conversation},
                       stream=True, timeout=60) as resp:
        lines = resp.iter_lines()
        assert any(line.startswith(b"event: approval") for line in lines)
        yield lines


def transcript(svc, conversation: str) -> list:
    resp = requests.get(f"{svc.url}/api/conversations/{conversation}", timeout=10)
    assert resp.status_code == 200, resp.text
    assert resp.json()["id"] == conversation
    return resp.json()["turns"]


def assert_error(resp: requests.Response, status: int, words: str) -> None:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["status"] == status and body["error"] and words in body["message"], body


def test_transcript_is_kept_survives_restart_and_the_next_turn_continues(start_agent, fake, db_url):
    svc = start_agent(db_url)
    conversation = create(svc)
    chat(svc, "hi there", conversation)
    turns = transcript(svc, conversation)
    assert len(turns) == 1 and turns[0]["message"] == "hi there" and turns[0]["complete"] is True
    events = turns[0]["events"]
    assert [e["event"] for e in events] == ["text", "done"]
    assert events[0]["data"] == {"delta": "Hello from the fake."}
    assert events[1]["data"]["responseId"] == "resp_fake_1"
    first = fake.bodies("POST", "/v1/responses")[-1]
    assert "previous_response_id" not in first

    svc.stop()
    svc = start_agent(db_url)  # a new process on the same database
    assert transcript(svc, conversation) == turns
    fake.stream_events = text_stream("resp_fake_2", "Their invoices: none.")
    chat(svc, "what are their invoices?", conversation)
    second = fake.bodies("POST", "/v1/responses")[-1]
    assert second["previous_response_id"] == "resp_fake_1" and second["input"] == "what are their invoices?"
    turns = transcript(svc, conversation)
    assert [t["message"] for t in turns] == ["hi there", "what are their invoices?"]
    assert turns[1]["events"][0]["data"]["delta"] == "Their invoices: none."
    chat(svc, "and their orders?", conversation)
    assert fake.bodies("POST", "/v1/responses")[-1]["previous_response_id"] == "resp_fake_2"

    other = create(svc)  # a second conversation starts from nothing
    assert other != conversation and transcript(svc, other) == []
    chat(svc, "hello", other)
    assert "previous_response_id" not in fake.bodies("POST", "/v1/responses")[-1]

    assert requests.delete(f"{svc.url}/api/conversations/{conversation}", timeout=10).status_code == 204
    assert_error(requests.get(f"{svc.url}/api/conversations/{conversation}", timeout=10), 404, "No conversation")
    assert_error(requests.delete(f"{svc.url}/api/conversations/{conversation}", timeout=10), 404,
                 "No conversation")
    resp = requests.post(svc.url + "/api/chat", json={"message": "x", "conversationId": conversation}, timeout=10)
    assert_error(resp, 404, "No conversation")
    assert len(transcript(svc, other)) == 1


def test_turn_without_conversation_is_not_kept(start_agent, fake, db_url):
    svc = start_agent(db_url)
    conversation = create(svc)
    with requests.post(svc.url + "/api/chat", json={"message": "hi"}, stream=True, timeout=60) as resp:
        assert parse_sse(resp.iter_lines())[-1][0] == "done"
    assert transcript(svc, conversation) == []


MALFORMED = ["abc", "0123456789ABCDEF0123456789abcdef",  # upper case
             "0123456789abcdef0123456789abcdef0",  # 33 digits
             "0123456789abcdef0123456789abcde%ff",  # not UTF-8
             "0123456789abcdef0123456789abcd%27%3B"]


def test_malformed_ids_are_400(start_agent, db_url):
    svc = start_agent(db_url)
    for bad in MALFORMED:
        for method in ("GET", "DELETE"):
            resp = requests.request(method, f"{svc.url}/api/conversations/{bad}", timeout=10)
            assert resp.status_code == 400, (method, bad, resp.text)
            body = resp.json()  # invalid UTF-8 is refused by the router, in the same shape
            assert body["status"] == 400 and body["error"] == "Bad Request" and body["message"], body


BAD_BODIES = [({"message": "x", "conversationId": "abc"}, "conversationId"),
              ({"message": "x", "conversationId": 12}, "conversationId"),
              ({"message": "x", "conversationId": ""}, "conversationId"),
              ({"message": "x", "conversationId": "0" * 32, "previousResponseId": "resp_1"}, "not both")]


def test_chat_rejects_bad_conversation_ids(start_agent, db_url):
    svc = start_agent(db_url)
    for body, words in BAD_BODIES:
        assert_error(requests.post(svc.url + "/api/chat", json=body, timeout=10), 400, words)
    resp = requests.post(svc.url + "/api/chat", data=b'{"message": "x", "conversationId": "\xff"}',
                         headers={"Content-Type": "application/json"}, timeout=10)
    assert resp.status_code == 400 and resp.json()["status"] == 400


def test_unknown_id_is_404_and_ids_are_random(start_agent, db_url):
    svc = start_agent(db_url)
    assert_error(requests.get(f"{svc.url}/api/conversations/{'0' * 32}", timeout=10), 404, "No conversation")
    ids = {create(svc) for _ in range(20)}
    assert len(ids) == 20
    # 128 random bits: every hex digit shows up across 20 ids (640 digits)
    assert set("".join(ids)) == set("0123456789abcdef")


def test_the_access_log_does_not_hold_conversation_ids(start_agent, fake, db_url):
    """Whoever knows an id can read and continue its conversation: the access
    log names the route's pattern instead of the path that carries it."""
    svc = start_agent(db_url)
    conversation = create(svc)
    chat(svc, "hi there", conversation)
    transcript(svc, conversation)
    assert requests.delete(f"{svc.url}/api/conversations/{conversation}", timeout=10).status_code == 204
    # a request's access-log line is written once its reply has left
    def log_with_the_delete():
        text = svc.log_text()
        return text if "DELETE /api/conversations/{id} 204" in text else None

    log = harness.wait_until(log_with_the_delete, 10 * harness.timeout_scale(), message="the DELETE's access-log line")
    assert "GET /api/conversations/{id} 200" in log, log
    assert conversation not in log, log


def test_a_conversation_keeps_its_last_50_turns(start_agent, fake, db_url):
    svc = start_agent(db_url)
    conversation = create(svc)
    for i in range(52):
        chat(svc, f"question {i}", conversation)
    turns = transcript(svc, conversation)
    assert [t["message"] for t in turns] == [f"question {i}" for i in range(2, 52)]


def test_oldest_conversations_are_dropped_beyond_1000(start_agent, db_url):
    svc = start_agent(db_url)
    first = create(svc)
    second = create(svc)
    session = requests.Session()
    for _ in range(999):
        assert session.post(svc.url + "/api/conversations", timeout=10).status_code == 201
    assert_error(requests.get(f"{svc.url}/api/conversations/{first}", timeout=10), 404, "No conversation")
    assert transcript(svc, second) == []


def test_pending_approval_when_the_page_leaves_is_cancelled_and_kept(start_agent, fake, db_url):
    args = {"customer_id": "AROUT", "order_id": 3}
    fake.stream_queue = [approval_stream("resp_a", "approval_1", "start_duplicate_charge_dispute",
                                         "finance_mcp", args)]
    svc = start_agent(db_url)
    conversation = create(svc)
    with until_approval(svc, conversation):
        turns = transcript(svc, conversation)  # while it waits: the message, not finished
        assert turns == [{"message": "open a dispute", "events": [], "complete": False}]
    # The page went away (a reload): agent-ui notices at its next keep-alive and ends the turn.
    harness.wait_until(lambda: transcript(svc, conversation)[0]["complete"], 60,
                       message="the cut-short turn to be stored")
    events = transcript(svc, conversation)[0]["events"]
    assert [e["event"] for e in events] == ["approval"]
    assert events[0]["data"]["tool"] == "start_duplicate_charge_dispute"
    assert requests.post(f"{svc.url}/api/approvals/approval_1", json={"approve": True},
                         timeout=10).status_code == 404
    assert len(fake.bodies("POST", "/v1/responses")) == 1  # no continuation: nothing ran
    # The next turn continues from the last answered response: none yet.
    chat(svc, "hello again", conversation)
    assert "previous_response_id" not in fake.bodies("POST", "/v1/responses")[-1]
    assert json.dumps(transcript(svc, conversation)[1]["events"]).count("Hello from the fake.") == 1


def test_approval_of_a_kept_conversation_needs_its_id(start_agent, fake, db_url):
    """Knowing an approval id is not enough: the decision must name the conversation that asked."""
    args = {"customer_id": "AROUT", "order_id": 3}
    fake.stream_queue = [approval_stream("resp_a", "approval_7", "start_duplicate_charge_dispute",
                                         "finance_mcp", args), text_stream("resp_b", "Done.")]
    svc = start_agent(db_url)
    conversation, other = create(svc), create(svc)
    url = f"{svc.url}/api/approvals/approval_7"
    with until_approval(svc, conversation) as lines:
        assert_error(requests.post(url, json={"approve": True}, timeout=10), 404, "No approval request")
        assert_error(requests.post(url, json={"approve": True, "conversationId": other}, timeout=10), 404,
                     "No approval request")
        assert_error(requests.post(url, json={"approve": True, "conversationId": 5}, timeout=10), 400,
                     "conversationId")
        ok = requests.post(url, json={"approve": True, "conversationId": conversation}, timeout=10)
        assert ok.status_code == 200 and ok.json() == {"id": "approval_7", "outcome": "approved"}
        events = parse_sse(lines)
    assert events[-1][0] == "done"
    kept = transcript(svc, conversation)[0]["events"]
    assert [e["event"] for e in kept] == ["approval", "approval_result", "text", "done"]
    assert kept[1]["data"] == {"id": "approval_7", "outcome": "approved"}
    assert "approved by 127.0.0.1" in svc.log_text()
