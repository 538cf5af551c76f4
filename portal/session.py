"""Signing in to government (CONTRACT section 3): tokens only in the SecretStore.

The access token is refreshed when it is about to expire or when a service
answers 401, once. A refresh token is single-use, so refreshing is done under a
lock and a thread that finds the token already rotated uses the new one. When
a refresh is refused the session ends: deliveries wait, queued, until the
citizen signs in again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from exchange.vocabulary import N_, Message
from portal.errors import PortalError
from portal.secrets import SecretStore

if TYPE_CHECKING:
    import requests

TOKEN_NAMES = ("access_token", "refresh_token", "token_expires_at", "username")
AUTH_TIMEOUT = (3.05, 10)
EXPIRY_MARGIN = 30  # seconds: refresh a little early so a token never dies in flight


class NotSignedIn(PortalError):
    """No valid session: the citizen must sign in (again)."""


class SignInRefused(PortalError):
    """Wrong username or password."""


class Offline(PortalError):
    """The sign-in service could not be reached."""


class Untrusted(Offline):
    """Section 6 stopped the call (plain http, an untrusted certificate or origin, a redirect):
    nothing was sent; like Offline, the work waits, but the message says why."""


class Session:
    def __init__(self, secrets: SecretStore, api_url: str, http: requests.Session | None = None,
                 clock: Callable[[], float] = time.time,
                 on_signed_in: Callable[[bool], None] | None = None,
                 http_factory: Callable[[], requests.Session] | None = None) -> None:
        self.secrets = secrets
        # Told whether the citizen is signed in, whenever that is learnt from the keyring or
        # changed: Portal keeps the data folder's "signed in" marker with it (for `status`).
        self.on_signed_in = on_signed_in
        self.api_url = api_url.rstrip("/")
        self._http = http
        # The Portal's factory applies section 6 (portal/transport.py); a bare Session is for tests alone.
        self._http_factory = http_factory
        self.clock = clock
        self._lock = threading.Lock()
        # Read once from the keyring, then kept in memory only: a keyring call per send is slow.
        self._cache: dict[str, str | None] = {}

    @property
    def http(self) -> requests.Session:
        """Made on first use, so commands that never go online never import requests."""
        if self._http is None:
            if self._http_factory is not None:
                self._http = self._http_factory()
            else:
                import requests

                self._http = requests.Session()
        return self._http

    @http.setter
    def http(self, value: requests.Session) -> None:
        self._http = value

    def _get(self, name: str, fresh: bool = False) -> str | None:
        if fresh or name not in self._cache:
            self._cache[name] = self.secrets.get(name)
        return self._cache[name]

    def _set(self, name: str, value: str) -> None:
        self.secrets.set(name, value)
        self._cache[name] = value

    # -- state

    def _note(self, signed_in: bool) -> None:
        if self.on_signed_in is not None:
            self.on_signed_in(signed_in)

    @property
    def signed_in(self) -> bool:
        """The truth, from the keyring (read once, then cached)."""
        value = self._get("refresh_token") is not None or self._get("access_token") is not None
        self._note(value)
        return value

    @property
    def username(self) -> str | None:
        return self._get("username")

    # -- signing in and out

    def sign_in(self, username: str, password: str) -> None:
        answer = self._token_request({"grant_type": "password", "username": username, "password": password})
        if answer is None:
            raise SignInRefused(N_("The username or password is not right. Check them and try again."))
        self._keep(answer, username)

    def sign_out(self) -> None:
        for name in TOKEN_NAMES:
            self.secrets.delete(name)
            self._cache[name] = None
        self._note(False)

    # -- tokens

    def access_token(self) -> str:
        """A token good for at least EXPIRY_MARGIN seconds; refreshes if needed."""
        token = self._get("access_token")
        expires_at = float(self._get("token_expires_at") or 0)
        if token and self.clock() < expires_at - EXPIRY_MARGIN:
            return token
        return self.refresh(stale=token)

    def refresh(self, stale: str | None) -> str:
        """Swap the refresh token for a new pair, unless another thread already has."""
        with self._lock:
            # Fresh from the keyring: another process may have rotated the tokens.
            current = self._get("access_token", fresh=True)
            expires_at = float(self._get("token_expires_at", fresh=True) or 0)
            if current and current != stale and self.clock() < expires_at - EXPIRY_MARGIN:
                return current
            refresh_token = self._get("refresh_token", fresh=True)
            if not refresh_token:
                self._note(self._get("access_token") is not None)  # e.g. the keyring was emptied behind our back
                raise NotSignedIn(N_("You are signed out. Sign in to send your changes."))
            answer = self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})
            if answer is None:
                self.sign_out()
                raise NotSignedIn(N_("Your sign-in has ended. Sign in again to send your changes."))
            self._keep(answer, self.username)
            return answer["access_token"]

    def _token_request(self, body: dict[str, str]) -> dict[str, Any] | None:
        """The token answer, or None when the grant is refused (401/400). A redirect fails it."""
        import requests

        from portal.transport import TrustRefused, read_json

        try:
            response = self.http.post(f"{self.api_url}/v1/auth/token", json=body, timeout=AUTH_TIMEOUT)
        except TrustRefused as error:
            raise Untrusted(error.args[0]) from error
        except requests.RequestException as error:
            raise Offline(N_("Government sign-in cannot be reached. Check your connection and try again.")) from error
        if response.status_code in (400, 401):
            return None
        if not response.ok:
            raise Offline(Message("Government sign-in is not working at the moment (error {status}). "
                                  "Try again later.", status=response.status_code))
        try:
            answer = read_json(response)
            str(answer["access_token"])
        except (ValueError, KeyError, TypeError) as error:
            raise Offline(N_("Government sign-in sent an answer we could not read. Try again later.")) from error
        return answer

    def _keep(self, answer: dict[str, Any], username: str | None) -> None:
        lifetime = float(answer.get("expires_in") or 900)
        self._set("access_token", str(answer["access_token"]))
        if answer.get("refresh_token"):
            self._set("refresh_token", str(answer["refresh_token"]))
        self._set("token_expires_at", str(self.clock() + lifetime))
        if username:
            self._set("username", username)
        self._note(True)

    # -- what government holds

    def me(self) -> dict[str, Any]:
        """GET /v1/me: the person government holds, with "verified"."""
        import requests

        from portal.transport import TrustRefused, read_json

        for attempt in range(2):
            token = self.access_token()
            try:
                response = self.http.get(f"{self.api_url}/v1/me", timeout=AUTH_TIMEOUT,
                                         headers={"Authorization": f"Bearer {token}"})
            except TrustRefused as error:
                raise Untrusted(error.args[0]) from error
            except requests.RequestException as error:
                raise Offline(N_("Government services cannot be reached. Check your connection and try again.")) \
                    from error
            if response.status_code == 401 and attempt == 0:
                self.refresh(stale=token)
                continue
            if response.status_code == 401:
                raise NotSignedIn(N_("Your sign-in has ended. Sign in again."))
            if not response.ok:
                raise Offline(Message("Government services answered with error {status}. Try again later.",
                                     status=response.status_code))
            try:
                data = read_json(response)
            except ValueError:
                data = None
            if not isinstance(data, dict):
                raise Offline(N_("Government services sent an answer we could not read. Try again later."))
            return data
        raise NotSignedIn(N_("Your sign-in has ended. Sign in again."))
