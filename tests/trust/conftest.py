"""Hostile and honest servers on 127.0.0.1 for CONTRACT section 6: a recording front that forwards to
the real mock (and redirects, drips, hangs or lies where a test says), a recording proxy, and a
certificate authority of the test's own made with cryptography."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import select
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.conftest import run_main

AMIRA_PASSWORD = "amira-demo-1\n"


def serve_in_background(server: socketserver.BaseServer) -> threading.Thread:
    """Serve on a daemon thread, polling often so that shutdown() returns at once."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread


def shut(server: socketserver.BaseServer) -> None:
    server.shutdown()
    server.server_close()


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


# A rule answers one request itself: (handler, seen) -> True when it answered.
Rule = Callable[[BaseHTTPRequestHandler, Seen], bool]


@dataclass
class Front:
    """A server that records every request and forwards it to ``upstream`` unless a rule answers."""

    upstream: str | None = None
    tls: ssl.SSLContext | None = None
    rules: list[Rule] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)

    def start(self) -> Front:
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(self.command, self.path, dict(self.headers.items()), body)
                front.seen.append(seen)
                for rule in list(front.rules):
                    if rule(self, seen):
                        return
                if front.upstream is None:
                    self.answer(404, {"error": "not_found"})
                    return
                headers = {k: v for k, v in seen.headers.items() if k.lower() not in ("host", "content-length")}
                with requests.Session() as plain:
                    plain.trust_env = False
                    answer = plain.request(self.command, front.upstream + self.path, data=body or None,
                                           headers=headers, allow_redirects=False, timeout=30)
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def answer(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if self.tls is not None:
            self.server.socket = self.tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = serve_in_background(self.server)
        return self

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def stop(self) -> None:
        shut(self.server)

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]


@pytest.fixture
def fronts():
    """Fronts started by the test, all stopped at its end."""
    started: list[Front] = []

    def make(upstream: str | None = None, tls: ssl.SSLContext | None = None) -> Front:
        front = Front(upstream, tls).start()
        started.append(front)
        return front

    yield make
    for front in started:
        front.stop()


def cli(api: str, home: Path, *args: str, stdin: str = "", env: dict | None = None,
        timeout: float = 120):
    return run_main("--api", api, *args, home=home, stdin=stdin, env=env, timeout=timeout)


def ready(api: str, home: Path, env: dict | None = None) -> None:
    """Signed in as Amira with her details fetched from government, through ``api``."""
    signed = cli(api, home, "signin", "amira", stdin=AMIRA_PASSWORD, env=env)
    assert signed.returncode == 0, signed.stderr
    filled = cli(api, home, "prefill", env=env)
    assert filled.returncode == 0, filled.stderr


def status(api: str, home: Path) -> dict:
    result = cli(api, home, "status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def mock_catalogue(mock_url: str) -> dict:
    return requests.get(mock_url + "/v1/services", timeout=5).json()


# ------------------------------------------------------------------ certificates


def serve_catalogue(front: Front, catalogue: dict) -> None:
    """``front`` answers the catalogue call with ``catalogue`` (a changed copy of the mock's), first."""
    def rule(handler, seen) -> bool:
        if seen.method == "GET" and seen.path == "/v1/services":
            handler.answer(200, catalogue)
            return True
        return False

    front.rules.insert(0, rule)


@dataclass
class Authority:
    """A certificate authority of the test's own, and server certificates it signs."""

    folder: Path

    def __post_init__(self) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        self._x509, self._hashes, self._serialization, self._ec, self._oid = x509, hashes, serialization, ec, NameOID
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test authority of section 6")])
        now = dt.datetime.now(dt.UTC)
        self.cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                     .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                     .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                                  content_commitment=False, key_encipherment=False,
                                                  data_encipherment=False, key_agreement=False,
                                                  encipher_only=False, decipher_only=False), critical=True)
                     .sign(self.key, hashes.SHA256()))
        self.ca_file = self.folder / "test-authority.pem"
        self.ca_file.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def server_context(self, *names: str) -> tuple[ssl.SSLContext, str]:
        """A server TLS context for these host names / IP addresses, and its SHA-256 fingerprint."""
        x509, hashes, serialization, ec = self._x509, self._hashes, self._serialization, self._ec
        key = ec.generate_private_key(ec.SECP256R1())
        alt: list = []
        for name in names:
            try:
                alt.append(x509.IPAddress(ipaddress.ip_address(name)))
            except ValueError:
                alt.append(x509.DNSName(name))
        now = dt.datetime.now(dt.UTC)
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(self._oid.COMMON_NAME, names[0])]))
                .issuer_name(self.cert.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.SubjectAlternativeName(alt), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .sign(self.key, hashes.SHA256()))
        stem = self.folder / f"server-{names[0]}-{x509.random_serial_number()}"
        cert_file, key_file = stem.with_suffix(".pem"), stem.with_suffix(".key")
        der = cert.public_bytes(serialization.Encoding.DER)
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        return context, hashlib.sha256(der).hexdigest()


@pytest.fixture
def authority(tmp_path: Path) -> Authority:
    folder = tmp_path / "authority"
    folder.mkdir()
    return Authority(folder)


# ------------------------------------------------------------------ a recording proxy


class RecordingProxy:
    """An HTTP proxy on 127.0.0.1 that records every byte a client sends it.

    Plain proxied requests are answered 502 (after recording them); CONNECT to a
    host named in ``tunnels`` is tunnelled to the loopback port given there, so
    a real-looking host name can stand for a server of the test's own.
    """

    def __init__(self, tunnels: dict[str, int] | None = None) -> None:
        self.tunnels = tunnels or {}
        self.received = bytearray()
        self.requests: list[str] = []
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                client: socket.socket = self.request
                client.settimeout(10)
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = client.recv(65536)
                    if not chunk:
                        break
                    head += chunk
                proxy.received += head
                first = head.split(b"\r\n", 1)[0].decode("latin-1")
                proxy.requests.append(first)
                parts = first.split()
                if len(parts) < 2 or parts[0] != "CONNECT":
                    client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                host = parts[1].rsplit(":", 1)[0]
                port = proxy.tunnels.get(host)
                if port is None:
                    client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                    return
                upstream = socket.create_connection(("127.0.0.1", port), timeout=10)
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                pipes = [client, upstream]
                try:
                    while True:
                        ready, _, _ = select.select(pipes, [], [], 10)
                        if not ready:
                            return
                        for sock in ready:
                            data = sock.recv(65536)
                            if not data:
                                return
                            if sock is client:
                                proxy.received += data
                                upstream.sendall(data)
                            else:
                                client.sendall(data)
                finally:
                    upstream.close()

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = serve_in_background(self.server)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        shut(self.server)


@pytest.fixture
def proxy_factory():
    made: list[RecordingProxy] = []

    def make(tunnels: dict[str, int] | None = None) -> RecordingProxy:
        proxy = RecordingProxy(tunnels)
        made.append(proxy)
        return proxy

    yield make
    for proxy in made:
        proxy.stop()


def proxy_env(proxy_url: str) -> dict[str, str]:
    """Every variable a proxy may be named by, and nothing exempt from it."""
    return {"http_proxy": proxy_url, "https_proxy": proxy_url, "HTTP_PROXY": proxy_url,
            "HTTPS_PROXY": proxy_url, "ALL_PROXY": proxy_url, "all_proxy": proxy_url,
            "no_proxy": "", "NO_PROXY": ""}


def drip(handler: BaseHTTPRequestHandler, data: bytes, every: float = 2.0) -> None:
    """Answer one byte at a time, ``every`` seconds apart (until the client goes)."""
    try:
        for byte in data:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(every)
    except OSError:
        pass
