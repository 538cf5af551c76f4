"""Whom the citizen's side trusts (CONTRACT section 6): origins, plain http only to loopback, certificates.

The policy alone, with no HTTP library (``status`` imports the Portal and must stay
light): portal/transport.py applies it to every call. Trusted origins are the
``--api`` origin plus those the tester or citizen names: ``--trust-origin URL``
(repeatable, or ``PORTAL_TRUST_ORIGINS``: main.py reads the environment) and the
stored research setting ``trusted_origins`` (``save_trust_settings``, which the
Settings screen writes). An extra certificate authority file: ``--ca-file``
(``PORTAL_CA_FILE``). A pinned certificate for the API's host (a research mock's
own, shown on the facilitator page): ``--pin-certificate``
(``PORTAL_PIN_CERTIFICATE``) or the stored setting ``pinned_certificate``.

    >>> TrustPolicy("http://127.0.0.1:8700").refusal("http://127.0.0.1:8700/hmrc") is None
    True
    >>> str(TrustPolicy("http://127.0.0.1:8700").refusal("http://gov.example/v1/services"))
    'The address http://gov.example must use https. Plain http is only allowed to this computer (localhost).'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from exchange.vocabulary import N_, Message
from portal.errors import PortalError

if TYPE_CHECKING:
    import ssl

    from portal.store import Store

# Where the trust settings live: the command line (main.py, with its environment defaults), the stored setting.
SETTING_ORIGINS = "trusted_origins"
SETTING_PIN = "pinned_certificate"

ORIGIN_FORMAT = N_("Enter a trusted address like https://gov.example or https://192.168.1.20:8700")
PIN_FORMAT = N_("Enter the certificate fingerprint as 64 letters and digits from 0 to 9 and A to F, "
                "as the facilitator page shows it")


class TrustRefused(PortalError):
    """Section 6 refused a call before the citizen's data went anywhere; each kind says why in its template."""

    template = ""

    def __init__(self, **values: str) -> None:
        super().__init__(Message(self.template, **values))


class InsecureAddress(TrustRefused):
    """Plain http to a host that is not this computer."""

    template = N_("The address {address} must use https. Plain http is only allowed to this computer (localhost).")


class UntrustedOrigin(TrustRefused):
    """An origin neither configured nor trusted explicitly."""

    template = N_("{origin} is not a trusted address, so nothing was sent there.")


class CertificateNotTrusted(TrustRefused):
    """The server's certificate was not verified (or not the pinned one)."""

    template = N_("The certificate of {host} is not trusted, so nothing was sent.")


class RedirectRefused(TrustRefused):
    """A 3xx that is not a same-origin 307/308: never a success."""

    template = N_("{origin} answered with a redirect to {target}. It was not followed, so nothing was sent there.")

    def __init__(self, status: int, **values: str) -> None:
        super().__init__(**values)
        self.status = status


# ------------------------------------------------------------------ addresses


def is_loopback(host: str | None) -> bool:
    """localhost, 127.0.0.0/8 or ::1 (also as an IPv4-mapped address)."""
    if not host:
        return False
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost":
        return True
    import ipaddress  # here: `status` imports this module and never needs it

    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def origin_of(url: str) -> str:
    """scheme://host[:port], lower-case, the default port left out; ValueError if it is not a web URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    port = parts.port  # ValueError when it is not a number
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def clean_origin(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A trusted origin as a tester types it: (origin, []) or ("", [("trusted_origins", message)])."""
    try:
        origin = origin_of(text)
        parts = urlsplit(text.strip())
    except ValueError:
        return "", [(SETTING_ORIGINS, Message(ORIGIN_FORMAT))]
    if parts.username or parts.password or parts.query or parts.fragment or parts.path.strip("/"):
        return "", [(SETTING_ORIGINS, Message(ORIGIN_FORMAT))]
    if origin.startswith("http://") and not is_loopback(urlsplit(origin).hostname):
        return "", [(SETTING_ORIGINS, Message(InsecureAddress.template, address=origin))]
    return origin, []


def clean_fingerprint(text: str | None) -> tuple[str | None, list[tuple[str, str]]]:
    """A SHA-256 fingerprint as shown (AB:CD:... or plain hex) -> 64 lower-case hex digits."""
    if text is None or not text.strip():
        return None, []
    compact = re.sub(r"[\s:]", "", text.strip()).lower()
    if compact.startswith("sha256/") or compact.startswith("sha256="):
        compact = compact[7:]
    if not re.fullmatch(r"[0-9a-f]{64}", compact):
        return None, [(SETTING_PIN, Message(PIN_FORMAT))]
    return compact, []


def display_fingerprint(hex_digits: str) -> str:
    return ":".join(hex_digits[i:i + 2] for i in range(0, len(hex_digits), 2)).upper()


# ------------------------------------------------------------------ the policy


@dataclass(frozen=True)
class TrustOptions:
    """What the tester or citizen said to trust beyond ``--api``: the command line's values."""

    origins: tuple[str, ...] = ()
    ca_file: str | None = None
    pin: str | None = None


@dataclass
class TrustPolicy:
    """The origins this client may send to, and how their certificates are checked."""

    api_url: str
    extra_origins: Iterable[str] = ()
    ca_file: str | None = None
    pin: str | None = None  # 64 hex digits: the API host's certificate must be this one
    origins: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        trusted = set()
        for text in (self.api_url, *self.extra_origins):
            try:
                trusted.add(origin_of(text))
            except ValueError:
                continue  # an origin that is not one trusts nothing
        self.origins = frozenset(trusted)
        self.pin, _ = clean_fingerprint(self.pin) if self.pin else (None, [])
        try:
            self.api_origin = origin_of(self.api_url)
        except ValueError:
            self.api_origin = ""

    def refusal(self, url: str) -> TrustRefused | None:
        """Why ``url`` may not be sent to, or None when it may."""
        try:
            origin = origin_of(url)
        except ValueError:
            return UntrustedOrigin(origin=url)
        if origin.startswith("http://") and not is_loopback(urlsplit(origin).hostname):
            return InsecureAddress(address=origin)
        if origin not in self.origins:
            return UntrustedOrigin(origin=origin)
        return None

    def check(self, url: str) -> None:
        refused = self.refusal(url)
        if refused is not None:
            raise refused

    def pinned_for(self, url: str) -> str | None:
        if not self.pin:
            return None
        try:
            return self.pin if origin_of(url) == self.api_origin and url.lower().startswith("https:") else None
        except ValueError:
            return None

    def ssl_context(self) -> ssl.SSLContext:
        """The system's authorities (OpenSSL honours SSL_CERT_FILE), certifi's, and the tester's files."""
        import ssl

        import certifi

        context = ssl.create_default_context()
        files = [certifi.where(), os.environ.get("SSL_CERT_FILE"), os.environ.get("REQUESTS_CA_BUNDLE"),
                 self.ca_file]
        for path in dict.fromkeys(f for f in files if f):
            try:
                if os.path.isdir(path):
                    context.load_verify_locations(capath=path)
                else:
                    context.load_verify_locations(cafile=path)
            except (OSError, ssl.SSLError) as error:
                if path == self.ca_file:
                    raise PortalError(Message(
                        "The certificate authority file {path} could not be read. Check its name and that "
                        "it holds PEM certificates.", path=str(path))) from error
        return context


# ------------------------------------------------------------------ the stored research setting


def stored_trust(store: Store) -> tuple[tuple[str, ...], str | None]:
    """(trusted origins, pinned fingerprint) as the Settings screen saved them."""
    origins = store.get_setting(SETTING_ORIGINS) or []
    pin = store.get_setting(SETTING_PIN)
    return tuple(o for o in origins if isinstance(o, str)), pin if isinstance(pin, str) else None


def save_trust_settings(store: Store, origins: Iterable[str] | str = (), pin: str | None = None
                        ) -> list[tuple[str, str]]:
    """The research setting: extra trusted origins and a pinned fingerprint, checked, then saved.

    ``origins`` is a list or the text of a box (separated by spaces, commas or
    new lines). Returns every problem as (field, message) and saves nothing
    unless all is well; the Portal applies it from its next call (``Portal.reload_trust``).
    """
    if isinstance(origins, str):
        origins = [o for o in re.split(r"[\s,]+", origins) if o]
    cleaned: list[str] = []
    errors: list[tuple[str, str]] = []
    for text in origins:
        origin, problems = clean_origin(text)
        errors += problems
        if origin and origin not in cleaned:
            cleaned.append(origin)
    fingerprint, problems = clean_fingerprint(pin)
    errors += problems
    if errors:
        return errors
    store.set_setting(SETTING_ORIGINS, cleaned)
    store.set_setting(SETTING_PIN, fingerprint)
    return []
