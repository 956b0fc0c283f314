"""Messages from an MCP server to its client during a request, with the official Python SDK.

mcp-conformance-server (the mcp/ core with the conformance suite's fixtures)
over both handshake-era transports: Streamable HTTP, where notifications and
server-to-client requests travel on the text/event-stream reply of the
tools/call POST and the client POSTs its answer, and HTTP+SSE, where they
travel on the session's stream. Checked: sampling and elicitation requests
answered by the client's callbacks, log messages only after
logging/setLevel and at or above its level, progress for a progressToken, a
client without the capability never asked; and resources and prompts as
the SDK reads them.
"""

from __future__ import annotations

import mcp.types as types
import pytest
from mcp import ClientSession
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamablehttp_client

import harness
from mcp_support import run

pytestmark = pytest.mark.filterwarnings("ignore:Use `streamable_http_client` instead")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    svc = harness.start_service("mcp-conformance-server", [],
                                tmp_path=tmp_path_factory.mktemp("client-input"),
                                health_path="/health/live")
    yield svc
    svc.stop()


async def sampling(context, params: types.CreateMessageRequestParams):
    prompt = params.messages[0].content.text
    return types.CreateMessageResult(role="assistant", model="test-model", stopReason="endTurn",
                                     content=types.TextContent(type="text", text=f"echo {prompt}"))


async def elicitation(context, params: types.ElicitRequestParams):
    return types.ElicitResult(action="accept", content={"username": "ada", "email": "a@b.c"})


async def with_client(svc, transport: str, body, **callbacks):
    logs: list = []

    async def on_log(params):
        logs.append(params)

    if transport == "sse":
        streams = sse_client(f"{svc.url}/sse")
    else:
        streams = streamablehttp_client(f"{svc.url}/mcp")
    async with streams as opened:
        read, write = opened[0], opened[1]
        async with ClientSession(read, write, logging_callback=on_log, **callbacks) as session:
            await session.initialize()
            return await body(session, logs)


def text_of(result) -> str:
    assert not result.isError, result
    return result.content[0].text


@pytest.mark.parametrize("transport", ["streamable", "sse"])
def test_sampling_and_elicitation_answered(server, transport):
    async def body(session, logs):
        sampled = await session.call_tool("test_sampling", {"prompt": "hello"})
        elicited = await session.call_tool("test_elicitation", {"message": "who?"})
        return text_of(sampled), text_of(elicited)

    sampled, elicited = run(with_client(server, transport, body, sampling_callback=sampling,
                                        elicitation_callback=elicitation))
    assert sampled == "LLM response: echo hello"
    assert elicited == 'User response: action=accept, content={"username":"ada","email":"a@b.c"}'


@pytest.mark.parametrize("transport", ["streamable", "sse"])
def test_no_capability_no_request(server, transport):
    async def body(session, logs):
        return await session.call_tool("test_sampling", {"prompt": "hello"})

    result = run(with_client(server, transport, body))  # no sampling callback: no capability
    assert result.isError
    assert "sampling capability" in result.content[0].text


@pytest.mark.parametrize("transport", ["streamable", "sse"])
def test_logging_follows_set_level(server, transport):
    async def body(session, logs):
        await session.call_tool("test_tool_with_logging", {})
        before = len(logs)
        await session.set_logging_level("warning")
        await session.call_tool("test_tool_with_logging", {})
        above = len(logs)
        await session.set_logging_level("info")
        await session.call_tool("test_tool_with_logging", {})
        return before, above, [entry.data for entry in logs]

    before, above, data = run(with_client(server, transport, body))
    assert before == 0 and above == 0  # nothing unasked for, nothing below the level
    assert data == ["Tool execution started", "Tool processing data", "Tool execution completed"]


def test_progress_for_a_token(server):
    async def body(session, logs):
        seen = []

        async def on_progress(progress, total, message):
            seen.append((progress, total))

        result = await session.call_tool("test_tool_with_progress", {},
                                         progress_callback=on_progress)
        return text_of(result), seen

    text, seen = run(with_client(server, "streamable", body))
    assert text == "Tool with progress executed successfully"
    assert seen == [(0, 100), (50, 100), (100, 100)]


def test_resources_and_prompts(server):
    async def body(session, logs):
        listed = await session.list_resources()
        templates = await session.list_resource_templates()
        read = await session.read_resource("test://template/7/data")
        prompt = await session.get_prompt("test_prompt_with_arguments", {"arg1": "a", "arg2": "b"})
        return listed, templates, read, prompt

    listed, templates, read, prompt = run(with_client(server, "streamable", body))
    assert {str(r.uri) for r in listed.resources} == {
        "test://static-text", "test://static-binary", "test://watched-resource"}
    assert [t.uriTemplate for t in templates.resourceTemplates] == ["test://template/{id}/data"]
    assert read.contents[0].text == '{"id":"7","templateTest":true,"data":"Data for ID: 7"}'
    assert prompt.messages[0].content.text == "Prompt with arguments: arg1='a', arg2='b'"
