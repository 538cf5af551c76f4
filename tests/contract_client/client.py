"""A client of the Once-Only Exchange (CONTRACT.md v1.1), written from the contract alone.

It imports nothing from this project and uses only the standard library
(urllib), so it stands for "any other faithful implementation" of the
client side: if the mock passes with it, the mock follows the page, not the
project's own client. Every answer comes back whole (status, headers, JSON
body), 4xx and 5xx included, so a test can check each row of the contract.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any            # parsed JSON, or the raw text when it was not JSON
    raw: bytes = b""

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


def tell_headers(access_token: str | None, key: str | None = "new",
                 content_type: str = "application/json") -> dict[str, str]:
    """Section 4's headers: the bearer token, and an Idempotency-Key ("new": a fresh one, None: none)."""
    headers = {"Content-Type": content_type}
    if access_token is not None:
        headers["Authorization"] = f"Bearer {access_token}"
    if key == "new":
        key = str(uuid.uuid4())
    if key is not None:
        headers["Idempotency-Key"] = key
    return headers


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Section 6: no redirect is followed by this client; a 3xx comes back as it is."""

    def redirect_request(self, *_args, **_kwargs):
        return None


@dataclass
class ContractClient:
    base: str                                  # the API's origin, e.g. http://127.0.0.1:8700
    admin_key: str | None = None               # section 5's facilitator key
    timeout: float = 10.0
    _opener: urllib.request.OpenerDirector = field(
        default_factory=lambda: urllib.request.build_opener(_NoRedirects()), repr=False)

    # -- one HTTP call

    def call(self, method: str, path_or_url: str, *, body: Any = None, data: bytes | None = None,
             headers: dict[str, str] | None = None, timeout: float | None = None) -> Answer:
        url = urllib.parse.urljoin(self.base + "/", path_or_url)
        sent = dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            sent.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(url, data=data, method=method, headers=sent)
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as response:
                return _answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            with error:
                return _answer(error.code, error.headers, error.read())

    # -- section 2: the catalogue

    def catalogue(self) -> Answer:
        return self.call("GET", "/v1/services")

    def endpoint_of(self, service: dict[str, Any]) -> str:
        """Absolute, or relative to the catalogue's origin."""
        return urllib.parse.urljoin(self.base + "/", service["endpoint"])

    # -- section 3: sign-in

    def sign_in(self, username: str, password: str) -> Answer:
        return self.call("POST", "/v1/auth/token",
                         body={"grant_type": "password", "username": username, "password": password})

    def refresh(self, refresh_token: str) -> Answer:
        return self.call("POST", "/v1/auth/token", body={"grant_type": "refresh_token",
                                                         "refresh_token": refresh_token})

    def me(self, access_token: str) -> Answer:
        return self.call("GET", "/v1/me", headers={"Authorization": f"Bearer {access_token}"})

    # -- section 4: telling a service

    def tell(self, endpoint: str, access_token: str | None, body: Any = None, *, key: str | None = "new",
             data: bytes | None = None, content_type: str = "application/json",
             timeout: float | None = None) -> Answer:
        if data is None:
            data = json.dumps(body).encode("utf-8")
        return self.call("POST", endpoint, data=data, headers=tell_headers(access_token, key, content_type),
                         timeout=timeout)

    def record(self, endpoint: str, reference: str, access_token: str) -> Answer:
        return self.call("GET", f"{endpoint}/{reference}", headers={"Authorization": f"Bearer {access_token}"})

    # -- section 5: the tester's controls, with the facilitator key

    def _admin_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_key}"} if self.admin_key else {}

    def inbox(self) -> Answer:
        return self.call("GET", "/admin/inbox", headers=self._admin_headers())

    def faults(self, service: str, **changes: Any) -> Answer:
        return self.call("PUT", f"/admin/faults/{service}", body=changes, headers=self._admin_headers())

    def heal(self) -> Answer:
        return self.call("DELETE", "/admin/faults", headers=self._admin_headers())

    def reset(self) -> Answer:
        return self.call("POST", "/admin/reset", headers=self._admin_headers())

    # -- section 7: finding an address

    def addresses(self, postcode: str) -> Answer:
        return self.call("GET", "/v1/addresses?" + urllib.parse.urlencode({"postcode": postcode}))


def _answer(status: int, headers, raw: bytes) -> Answer:
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        body = raw.decode("utf-8", "replace")
    return Answer(status, dict(headers.items()), body, raw)


def notification(service: dict[str, Any], person: dict[str, Any], event: str,
                 effective_date: str | None, statement: str, given_at: str) -> dict[str, Any]:
    """A body as section 4 writes it: only fields in the service's requires + accepts."""
    entitled = set(service["requires"]) | set(service["accepts"])
    body: dict[str, Any] = {"event": event, "person": {k: v for k, v in person.items() if k in entitled}}
    if effective_date is not None:
        body["effective_date"] = effective_date
    body["consent"] = {"given_at": given_at, "statement": statement}
    return body
