"""The mock's own TLS certificate, for research sessions on a local network.

``own_certificate(data_dir, host)`` makes a self-signed certificate (an EC
P-256 key, with ``cryptography``) the first time, keeps it in
``DATA_DIR/tls/`` (the key 0600) and uses it again on every start while it
is valid for two more weeks and still names every address of this machine.
A phone or laptop trusts it by its SHA-256 fingerprint, which the
facilitator page shows as text and as a QR code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import ipaddress
import logging
import os
import pathlib
import socket
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography import x509

# cryptography is imported only where a certificate is made or read: a mock on
# loopback (the tests, the app's embedded one) never loads it for this.
log = logging.getLogger("services.mock")

VALID_DAYS = 365
RENEW_BEFORE = dt.timedelta(days=14)


@dataclass(frozen=True)
class OwnCertificate:
    cert_path: pathlib.Path
    key_path: pathlib.Path
    fingerprint: str          # SHA-256 of the DER certificate, "AB:CD:...", as browsers show it
    names: tuple[str, ...]    # the subject alternative names

    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


def fingerprint_of(certificate: x509.Certificate) -> str:
    from cryptography.hazmat.primitives import hashes

    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def _interface_addresses() -> set[str]:
    """This machine's IPv4 addresses, one per interface (Linux; elsewhere the host name's addresses only)."""
    found: set[str] = set()
    try:
        import fcntl
        import struct

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # never connected, never sends
            for _index, name in socket.if_nameindex():
                try:
                    packed = fcntl.ioctl(probe.fileno(), 0x8915,  # SIOCGIFADDR
                                         struct.pack("256s", name.encode()[:15]))
                except OSError:
                    continue  # an interface without an IPv4 address
                found.add(socket.inet_ntoa(packed[20:24]))
    except (ImportError, OSError):
        pass
    return found


@functools.lru_cache(maxsize=1)
def reachable_addresses() -> tuple[str, ...]:
    """This machine's addresses a phone on the network may use (no loopback, no link-local), once per process."""
    _dns, ips = machine_names("", with_fqdn=False)
    return tuple(ip for ip in ips
                 if not (ipaddress.ip_address(ip).is_loopback or ipaddress.ip_address(ip).is_link_local))


def machine_names(host: str, with_fqdn: bool = True) -> tuple[list[str], list[str]]:
    """(DNS names, IP addresses) by which a phone or laptop may reach this machine."""
    hostname = socket.gethostname()
    dns = {"localhost", hostname}
    with contextlib.suppress(OSError):
        dns.add(socket.getfqdn())
    ips = {"127.0.0.1", "::1"} | _interface_addresses()
    with contextlib.suppress(OSError):
        ips.update(info[4][0] for info in socket.getaddrinfo(hostname, None))
    try:
        address = ipaddress.ip_address(host)
        if not address.is_unspecified:
            ips.add(str(address))
    except ValueError:
        dns.add(host)
    ips = {ip.split("%")[0] for ip in ips}  # no IPv6 zone ids
    return sorted(name for name in dns if name), sorted(ips)


def _make(cert_path: pathlib.Path, key_path: pathlib.Path, dns: list[str], ips: list[str]) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"mock-gov on {socket.gethostname()}"[:64]),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tell Us Once mock (not a real department)")])
    now = dt.datetime.now(dt.UTC)
    alternative = [x509.DNSName(n) for n in dns] + [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ips]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
        # Its own authority as well, so a laptop can add it to its trusted authorities.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=False,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_bytes = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(cert_path.parent, 0o700)
    for path, data, mode in ((key_path, key_bytes, 0o600),
                             (cert_path, certificate.public_bytes(serialization.Encoding.PEM), 0o644)):
        temporary = path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)


def _names_of(certificate: x509.Certificate) -> tuple[set[str], set[str]]:
    from cryptography import x509

    try:
        alternative = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set(), set()
    return (set(alternative.get_values_for_type(x509.DNSName)),
            {str(ip) for ip in alternative.get_values_for_type(x509.IPAddress)})


def own_certificate(data_dir: pathlib.Path, host: str) -> OwnCertificate:
    """The certificate kept in ``data_dir/tls``, made (again) when missing, expiring or not naming this machine."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    folder = pathlib.Path(data_dir) / "tls"
    cert_path, key_path = folder / "mock-gov.crt", folder / "mock-gov.key"
    dns, ips = machine_names(host)
    certificate = None
    try:
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError):
        certificate = None
    if certificate is not None:
        have_dns, have_ips = _names_of(certificate)
        fresh = certificate.not_valid_after_utc - dt.datetime.now(dt.UTC) > RENEW_BEFORE
        if not fresh or not set(dns) <= have_dns or not set(ips) <= have_ips:
            log.info("making a new certificate: the old one %s", "expires soon" if not fresh
                     else "does not name every address of this machine")
            certificate = None
    if certificate is None:
        _make(cert_path, key_path, dns, ips)
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    have_dns, have_ips = _names_of(certificate)
    return OwnCertificate(cert_path, key_path, fingerprint_of(certificate), tuple(sorted(have_dns) + sorted(have_ips)))


def qr_svg(text: str, title: str) -> str:
    """``text`` as a QR code, an inline SVG element (no external asset, works offline)."""
    import segno

    return segno.make(text, error="m").svg_inline(scale=4, title=title, dark="#0b0c0c", light="#ffffff")
