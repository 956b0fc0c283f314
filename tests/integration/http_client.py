"""A requests client bound to one service, checking what every reply carries."""

from __future__ import annotations

import requests

from binaries import timeout_scale

class HttpClient:
    """A requests.Session bound to a base URL (keep-alive).

    Every response is checked for an X-Request-Id header (the services put
    one on every reply), so each test that makes a request also checks that.
    """

    def __init__(self, base_url: str, timeout: float | None = None, require_request_id: bool = True):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout or 10.0 * timeout_scale()
        self.session = requests.Session()
        if require_request_id:
            self.session.hooks["response"].append(_check_request_id)

    def request(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", self.timeout)
        kw.setdefault("allow_redirects", False)
        return self.session.request(method, self.base_url + path, **kw)

    def get(self, path: str, **kw) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> requests.Response:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw) -> requests.Response:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw) -> requests.Response:
        return self.request("DELETE", path, **kw)

    def close(self) -> None:
        self.session.close()


def _check_request_id(resp: requests.Response, *args, **kwargs) -> None:
    rid = resp.headers.get("X-Request-Id")
    assert rid and rid.strip(), (f"{resp.request.method} {resp.request.path_url[:200]} -> {resp.status_code} "
                                 f"has no X-Request-Id header (headers: {dict(resp.headers)})")
