"""Where the client may send what (CONTRACT section 6): the one HTTP transport of every call.

Every request the citizen's side makes (sign-in, refresh, /v1/me, the
catalogue, notifications, addresses) goes through a ``TrustedSession`` made by
the Portal's ``Transport``. Before anything is sent it checks the address:

- ``http://`` only to loopback (localhost, 127.0.0.0/8, ::1), else
  ``InsecureAddress``: this is our rule, not the platform's, so it holds on
  Android too, and no proxy from ``http_proxy`` ever sees a password, token or
  person in clear (to any other host the proxy only tunnels TLS);
- the origin must be trusted: the ``--api`` origin plus the ones the tester
  named (``--trust-origin``, ``PORTAL_TRUST_ORIGINS``, the stored setting);
- no redirect is followed to another origin; a same-origin 307/308 is
  followed with the same method, body and headers; any other 3xx raises
  ``RedirectRefused`` (never a success);
- certificates are verified with the system's and certifi's authorities, the
  tester's extra file (``--ca-file``, ``PORTAL_CA_FILE``), REQUESTS_CA_BUNDLE
  and SSL_CERT_FILE; or, when a SHA-256 fingerprint is pinned, the API
  host's certificate must be exactly that one. A refused certificate raises
  ``CertificateNotTrusted`` naming the host;
- every request has a true deadline: a watchdog shuts its socket when the
  time is up (requests' read timeout is per read, so a server dripping a byte
  a second could otherwise hold a call for ever). ``Transport.deadline``
  bounds every call of a run (``sync --timeout``).

    >>> transport = Transport(TrustPolicy("http://127.0.0.1:8700"))
    >>> transport.session().get("http://gov.example/v1/services")      # refused before anything is sent
    Traceback (most recent call last):
    portal.trust.InsecureAddress: The address http://gov.example must use https. Plain http is only allowed ...
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import ssl
import threading
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.sessions import merge_setting
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from exchange.vocabulary import loads_json
from portal.trust import (  # noqa: F401 (callers catch these from here too)
    CertificateNotTrusted,
    InsecureAddress,
    RedirectRefused,
    TrustPolicy,
    TrustRefused,
    UntrustedOrigin,
    is_loopback,
    origin_of,
)

MAX_SAME_ORIGIN_HOPS = 5
# No answer of the contract comes near this; a hostile server's endless body stops here.
MAX_ANSWER_BYTES = 4 * 1024 * 1024
# A call without a deadline of its own still ends: connect + read, plus a little.
DEFAULT_BUDGET = 30.0

# ------------------------------------------------------------------ deadlines


class _Watch:
    """Shuts every socket of one call when its time is up (from the _Watchdog's thread)."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.fired = False
        self.lock = threading.Lock()

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self.lock:
            self.sockets.append(sock)
            fired = self.fired
        if fired:
            _shut(sock)

    def fire(self) -> None:
        with self.lock:
            self.fired = True
            sockets = list(self.sockets)
        for sock in sockets:
            _shut(sock)


class _Watchdog:
    """One thread that fires every call's _Watch when its time is up.

    A threading.Timer per call started and stopped a thread for every request: at a zero-latency
    mock that cost the courier about a fifth of its drain rate (bench/scale.py).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._due: list[tuple[float, int, _Watch]] = []  # a heap: the earliest deadline first
        self._cancelled: set[int] = set()
        self._wake = threading.Event()
        self._count = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, ends: float, watch: _Watch) -> int:
        number = next(self._count)
        with self._lock:
            heapq.heappush(self._due, (ends, number, watch))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="call-deadlines", daemon=True)
                self._thread.start()
            earliest = self._due[0][1] == number
        if earliest:
            self._wake.set()
        return number

    def cancel(self, number: int) -> None:
        with self._lock:
            self._cancelled.add(number)

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._due and self._due[0][1] in self._cancelled:
                    self._cancelled.discard(heapq.heappop(self._due)[1])
                now = time.monotonic()
                fire = []
                while self._due and self._due[0][0] <= now:
                    _ends, number, watch = heapq.heappop(self._due)
                    if number in self._cancelled:
                        self._cancelled.discard(number)
                    else:
                        fire.append(watch)
                wait = self._due[0][0] - now if self._due else None
                self._wake.clear()
            for watch in fire:
                watch.fire()
            self._wake.wait(wait)


_watchdog = _Watchdog()


def _shut(sock: socket.socket) -> None:
    # socket.socket's own shutdown, also on an SSLSocket: it must not touch the TLS state
    # that the blocked thread is reading with.
    with contextlib.suppress(OSError, ValueError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


_watching = threading.local()


def _register(sock: socket.socket | None) -> None:
    watch = getattr(_watching, "watch", None)
    if watch is not None:
        watch.add(sock)


class DeadlineHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _register(sock)
        return sock

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        _register(self.sock)
        return super().getresponse(*args, **kwargs)


class DeadlineHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _register(sock)
        return sock

    def connect(self) -> None:
        super().connect()
        _register(self.sock)  # the TLS socket: the raw one was detached when it was wrapped

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        _register(self.sock)
        return super().getresponse(*args, **kwargs)


class DeadlineHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = DeadlineHTTPConnection


class DeadlineHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = DeadlineHTTPSConnection


POOL_CLASSES = {"http": DeadlineHTTPConnectionPool, "https": DeadlineHTTPSConnectionPool}


class TrustAdapter(HTTPAdapter):
    """Verifies certificates with the policy's context (or the pin), through deadline-aware pools."""

    def __init__(self, transport: Transport, **kwargs: Any) -> None:
        self.transport = transport
        super().__init__(max_retries=0, **kwargs)

    @property
    def policy(self) -> TrustPolicy:
        return self.transport.policy

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = POOL_CLASSES

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = POOL_CLASSES
        return manager

    def build_connection_pool_key_attributes(self, request: requests.PreparedRequest, verify: Any,
                                             cert: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, True, cert)
        pool_kwargs.pop("ca_certs", None)
        pool_kwargs.pop("ca_cert_dir", None)
        pin = self.policy.pinned_for(request.url or "")
        if pin:
            # The pinned certificate is the trust: a context of its own (urllib3 turns its
            # hostname check off for a fingerprint, so it must not be the shared one).
            pool_kwargs.update(ssl_context=self.transport.pinned_context, cert_reqs="CERT_NONE",
                               assert_fingerprint=pin)
        elif host_params.get("scheme") == "https":
            pool_kwargs.update(ssl_context=self.transport.context, cert_reqs="CERT_REQUIRED")
        return host_params, pool_kwargs

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        if self.policy.pinned_for(url):
            conn.cert_reqs, conn.ca_certs, conn.ca_cert_dir = "CERT_NONE", None, None
            return
        super().cert_verify(conn, url, True, cert)  # verify=False from any caller is ignored
        conn.ca_certs = conn.ca_cert_dir = None  # the context already holds every authority


def _is_certificate_error(error: BaseException) -> bool:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, ssl.SSLCertVerificationError):
            return True
        text = str(error)
        if "CERTIFICATE_VERIFY_FAILED" in text or "Fingerprints did not match" in text:
            return True
        for arg in getattr(error, "args", ()):
            if isinstance(arg, BaseException) and id(arg) not in seen and _is_certificate_error(arg):
                return True
        error = error.__cause__ or error.__context__ or getattr(error, "reason", None)
    return False


class TrustedSession(requests.Session):
    """A requests.Session that applies section 6 to every call, with its transport's deadline."""

    def __init__(self, transport: Transport, pool_maxsize: int = 10) -> None:
        super().__init__()
        self.transport = transport
        adapter = TrustAdapter(transport, pool_maxsize=pool_maxsize)
        self.mount("https://", adapter)
        self.mount("http://", adapter)
        # Never the user's ~/.netrc passwords: requests adds them to any call without auth of its own.
        self.auth = _no_netrc

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any,
                                   cert: Any) -> dict[str, Any]:
        if is_loopback(urlsplit(str(url)).hostname):
            # This computer is never reached through a proxy, so the environment is not searched for one
            # (requests reads every variable twice a call: a fifth of the courier's CPU at a local mock).
            # verify is the adapter's own whatever is given (TrustAdapter); the rest merges as requests does.
            return {"proxies": {}, "stream": merge_setting(stream, self.stream),
                    "verify": merge_setting(verify, self.verify), "cert": merge_setting(cert, self.cert)}
        return super().merge_environment_settings(url, proxies, stream, verify, cert)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        kwargs["allow_redirects"] = False
        policy = self.transport.policy
        for hop in range(MAX_SAME_ORIGIN_HOPS + 1):
            policy.check(request.url or "")
            response = self._send_within_deadline(request, **kwargs)
            if not 300 <= response.status_code < 400:
                return response
            here = origin_of(request.url or "")
            location = response.headers.get("Location")
            target = urljoin(request.url or "", location) if location else ""
            try:
                same = bool(target) and origin_of(target) == here
            except ValueError:
                same = False
            response.close()
            if response.status_code in (307, 308) and same and hop < MAX_SAME_ORIGIN_HOPS:
                request = request.copy()
                request.url = target
                continue
            shown = target or "(no address)"
            with contextlib.suppress(ValueError):
                shown = origin_of(target) if not same else target
            raise RedirectRefused(response.status_code, origin=here, target=shown)
        raise AssertionError("unreachable")

    def _send_within_deadline(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        connect, read = _split_timeout(kwargs.get("timeout"))
        budget = DEFAULT_BUDGET if connect is None and read is None else (connect or 0) + (read or 0) + 1.0
        now = time.monotonic()
        ends = now + budget
        if self.transport.deadline is not None:
            ends = min(ends, self.transport.deadline)
        left = ends - now
        if left <= 0:
            raise requests.ConnectTimeout("the time for this run is up; nothing was sent", request=request)
        kwargs["timeout"] = (min(connect or left, left), min(read or left, left))
        watch = _Watch()
        previous = getattr(_watching, "watch", None)
        _watching.watch = watch
        watched = _watchdog.watch(ends, watch)
        try:
            kwargs["stream"] = True
            response = super().send(request, **kwargs)
            _read_bounded(response)
            return response
        except requests.RequestException as error:
            if watch.fired:
                raise requests.ReadTimeout("the time for this call ran out", request=request) from error
            if isinstance(error, requests.exceptions.SSLError) and _is_certificate_error(error):
                host = urlsplit(request.url or "").hostname or ""
                raise CertificateNotTrusted(host=host) from error
            raise
        finally:
            _watchdog.cancel(watched)
            _watching.watch = previous


def _no_netrc(request: requests.PreparedRequest) -> requests.PreparedRequest:
    return request


def _read_bounded(response: requests.Response) -> None:
    """Read the body now (inside the deadline's watch), at most MAX_ANSWER_BYTES of it."""
    body = bytearray()
    try:
        for chunk in response.iter_content(65536):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise requests.exceptions.ContentDecodingError(
                    f"the answer is larger than {MAX_ANSWER_BYTES} bytes", response=response)
    finally:
        response.close()
    response._content = bytes(body)  # as requests itself keeps a read body


def _split_timeout(timeout: Any) -> tuple[float | None, float | None]:
    if timeout is None:
        return None, None
    if isinstance(timeout, tuple):
        return timeout[0], timeout[1]
    return float(timeout), float(timeout)


class Transport:
    """The policy, the certificate context, and the run's deadline, shared by every session of a Portal."""

    def __init__(self, policy: TrustPolicy) -> None:
        self.policy = policy
        self._context: ssl.SSLContext | None = None
        self._pinned_context: ssl.SSLContext | None = None
        self._lock = threading.Lock()
        self.deadline: float | None = None  # time.monotonic() after which nothing is sent

    @property
    def context(self) -> ssl.SSLContext:
        with self._lock:
            if self._context is None:
                self._context = self.policy.ssl_context()
            return self._context

    @property
    def pinned_context(self) -> ssl.SSLContext:
        """For the pinned host: the fingerprint is checked instead of a chain (one context, one pool)."""
        with self._lock:
            if self._pinned_context is None:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                self._pinned_context = context
            return self._pinned_context

    def reload(self, policy: TrustPolicy) -> None:
        """A new policy (the research setting changed) for every session from now on."""
        with self._lock:
            self.policy = policy
            self._context = None

    def session(self, pool_maxsize: int = 10) -> TrustedSession:
        return TrustedSession(self, pool_maxsize)

    def set_deadline(self, seconds: float | None) -> None:
        self.deadline = None if seconds is None else time.monotonic() + seconds

    def time_left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()


# ------------------------------------------------------------------ answers


def read_json(response: requests.Response) -> Any:
    """The JSON of an answer (an absurdly long number becomes a value no field accepts);
    ValueError when it is not JSON."""
    return loads_json(response.content)
