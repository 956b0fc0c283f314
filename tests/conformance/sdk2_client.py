"""Drives one MCP server with the official Python SDK 2.x client (run in its own venv).

Usage: sdk2_client.py URL MODE CALLS_JSON, MODE "auto" (the SDK's default:
server/discover first, initialize only as a fallback) or "legacy" (the
handshake). CALLS_JSON maps tool name -> arguments. Prints one JSON object:
the protocol version the client settled on, the server's name, the listed
tools (name, title, annotations, schemas) and each call's result.
"""

import asyncio
import json
import sys

from mcp import Client


async def main(url: str, mode: str, calls: dict) -> dict:
    async with Client(url, mode=mode) as client:
        listed = await client.list_tools()
        results = {}
        for name, arguments in calls.items():
            r = await client.call_tool(name, arguments)
            results[name] = r.model_dump(mode="json", by_alias=True, exclude_none=True)
        return {
            "protocolVersion": client.protocol_version,
            "serverName": client.server_info.name if client.server_info else None,
            "tools": [t.model_dump(mode="json", by_alias=True, exclude_none=True)
                      for t in listed.tools],
            "results": results,
        }


if __name__ == "__main__":
    out = asyncio.run(main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3])))
    print(json.dumps(out))
