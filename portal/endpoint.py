"""The government endpoints' address as a person types it in Settings, made into a URL.

For a research session on a facilitator's laptop, people type ``192.168.1.20:8700``;
a URL with a scheme works too. Every problem comes back as (field, message) in
GOV.UK style, like the vocabulary's, so Settings shows it beside the box.

    >>> clean_endpoint(" 192.168.1.20:8700 ")
    ('https://192.168.1.20:8700', [])
    >>> clean_endpoint("localhost:8700")
    ('http://localhost:8700', [])
    >>> clean_endpoint("http://laptop.local:8700/")[1]
    [('endpoint', 'Use https:// for any computer but this one, like https://192.168.1.20:8700')]
    >>> clean_endpoint("192.168.1.20")[1]
    [('endpoint', 'Enter the port after a colon, like 192.168.1.20:8700')]

The facilitator page's own address carries the mock's facilitator key, which
the app's research mode needs (CONTRACT section 5); typed or pasted whole, it
gives both:

    >>> split_facilitator_key("https://192.168.1.20:8700/?key=Ab3-x_9Qz")
    ('https://192.168.1.20:8700', 'Ab3-x_9Qz')
    >>> split_facilitator_key("192.168.1.20:8700")
    ('192.168.1.20:8700', None)
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse

from exchange.vocabulary import Message

FIELD = "endpoint"
EMPTY = Message("Enter the address of the government endpoints, like 192.168.1.20:8700")
SPACES = Message("Enter the address without spaces, like 192.168.1.20:8700")
SCHEME = Message("The address must start with http:// or https://, or be just host:port, like 192.168.1.20:8700")
HOST = Message("Enter a computer name or IP address before the port, like 192.168.1.20:8700")
PORT_MISSING = Message("Enter the port after a colon, like 192.168.1.20:8700")
PORT = Message("The port must be a number from 1 to 65535, like 8700")
EXTRAS = Message("Leave out anything after the address, like ?, # or a user name")
PLAIN = Message("Use https:// for any computer but this one, like https://192.168.1.20:8700")
MESSAGES = (EMPTY, SPACES, SCHEME, HOST, PORT_MISSING, PORT, EXTRAS, PLAIN)

# A DNS name: labels of letters, digits and hyphens, not starting or ending with a hyphen.
HOST_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
                       r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")


def _fail(message: Message) -> tuple[str, list[tuple[str, str]]]:
    return "", [(FIELD, message)]


def _host_ok(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        try:
            return isinstance(ipaddress.ip_address(host[1:-1]), ipaddress.IPv6Address)
        except ValueError:
            return False
    if re.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    return bool(HOST_NAME.match(host))


FACILITATOR_KEY = re.compile(r"^(?P<address>[^?#]+?)/?\?(?:lang=[a-z]{2}&)?key=(?P<key>[A-Za-z0-9_-]{8,128})$")


def split_facilitator_key(text: str) -> tuple[str, str | None]:
    """(the address, the facilitator key) from the facilitator page's address; (text, None) otherwise."""
    if not isinstance(text, str):
        return text, None
    found = FACILITATOR_KEY.match(text.strip())
    if found is None:
        return text, None
    return found.group("address"), found.group("key")


class _Refused(ValueError):
    """One step of clean_endpoint found a problem: its message is what Settings shows."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


def clean_endpoint(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(the URL, []) or ("", [("endpoint", message)]).

    ``host:port`` becomes ``https://host:port`` (CONTRACT section 6: plain http
    only to this computer, so ``localhost:8700`` stays ``http://``; a research
    mock on the local network serves HTTPS with its own certificate, pinned by
    its fingerprint, portal/trust.py); ``http://`` to any other computer is
    refused; URLs are kept with an optional path (a gateway may serve the API
    under one) and no trailing slash. Without a scheme the port is required.
    """
    try:
        return _endpoint_url(text), []
    except _Refused as refused:
        return _fail(refused.message)


def _endpoint_url(text: str) -> str:
    """The steps of clean_endpoint, each raising _Refused with its own message."""
    text = _one_word(text)
    has_scheme = _has_scheme(text)
    parts = _split(text if has_scheme else f"http://{text}")
    host, port_text = _host_and_port(parts.netloc)
    path = parts.path.rstrip("/")
    if not has_scheme and port_text is None:
        raise _Refused(PORT_MISSING)
    if not has_scheme and path:
        raise _Refused(EXTRAS)
    scheme = _scheme(parts.scheme.lower() if has_scheme else None, host)
    port = f":{int(port_text)}" if port_text is not None else ""
    return f"{scheme}://{host.lower()}{port}{path}"


def _one_word(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise _Refused(EMPTY)
    text = text.strip()
    if any(char.isspace() for char in text):
        raise _Refused(SPACES)
    return text


def _has_scheme(text: str) -> bool:
    """Typed with http:// or https://; any other scheme is refused."""
    if "://" not in text:
        return False
    if text.split("://", 1)[0].lower() not in ("http", "https"):
        raise _Refused(SCHEME)
    return True


def _scheme(typed: str | None, host: str) -> str:
    """The scheme typed, or https unless the host is this computer; plain http only to this computer."""
    from portal.trust import is_loopback

    scheme = typed or ("http" if is_loopback(host) else "https")
    if scheme == "http" and not is_loopback(host):
        raise _Refused(PLAIN)
    return scheme


def _split(url: str) -> urllib.parse.SplitResult:
    """The URL's parts; nothing after the address (query, fragment, user name) is allowed."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # a bracketed host that is not an IPv6 address
        raise _Refused(HOST) from None
    if parts.query or parts.fragment or "?" in url or "#" in url or "@" in parts.netloc:
        raise _Refused(EXTRAS)
    return parts


def _host_and_port(netloc: str) -> tuple[str, str | None]:
    """(host, the port as typed or None); an IPv6 host keeps its brackets."""
    if netloc.startswith("["):
        host, _, rest = netloc.partition("]")
        host += "]"
        if rest and not rest.startswith(":"):
            raise _Refused(HOST)
        port_text = rest[1:] if rest.startswith(":") else None
    else:
        host, colon, port_text = netloc.partition(":")
        port_text = port_text if colon else None
    if not host or not _host_ok(host):
        raise _Refused(HOST)
    if port_text is not None and not (port_text.isascii() and port_text.isdigit() and 1 <= int(port_text) <= 65535):
        raise _Refused(PORT)
    return host, port_text
