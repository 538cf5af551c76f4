"""HTTPS with the mock's own certificate (what `make demo HOST=0.0.0.0` serves), tested on loopback with --tls."""

from __future__ import annotations

import hashlib
import re
import signal
import socket
import ssl
import stat
import subprocess
import sys

import requests
from cryptography import x509

from services.mock.server import MockServer
from tests.conftest import ADMIN_KEY, ROOT


def _served_fingerprint(port: int) -> str:
    der = ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate(("127.0.0.1", port), timeout=5))
    return hashlib.sha256(der).digest().hex(":").upper()


def test_the_certificate_is_made_once_kept_and_used_again(tmp_path):
    with MockServer(data_dir=tmp_path, admin_key=ADMIN_KEY, tls=True) as first:
        assert first.url.startswith("https://127.0.0.1:")
        fingerprint = first.certificate.fingerprint
        assert _served_fingerprint(first.port) == fingerprint
        assert requests.get(first.url + "/v1/services", verify=str(first.certificate.cert_path),
                            timeout=10).status_code == 200
    key_file = tmp_path / "tls" / "mock-gov.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "tls").stat().st_mode) == 0o700
    with MockServer(data_dir=tmp_path, admin_key=ADMIN_KEY, tls=True) as second:
        assert second.certificate.fingerprint == fingerprint  # a phone that trusted it still does
        assert _served_fingerprint(second.port) == fingerprint


def test_it_names_this_machine_and_verifies_by_name_and_by_address(tmp_path):
    with MockServer(data_dir=tmp_path, admin_key=ADMIN_KEY, tls=True) as mock:
        certificate = x509.load_pem_x509_certificate(mock.certificate.cert_path.read_bytes())
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert {"localhost", socket.gethostname()} <= set(names.get_values_for_type(x509.DNSName))
        assert "127.0.0.1" in {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
        context = ssl.create_default_context(cafile=str(mock.certificate.cert_path))  # hostname checked too
        for name in ("127.0.0.1", "localhost"):
            with socket.create_connection(("127.0.0.1", mock.port), timeout=5) as raw, \
                    context.wrap_socket(raw, server_hostname=name) as tls:
                assert tls.version() in ("TLSv1.2", "TLSv1.3")
        # Nobody else trusts it: the usual authorities refuse it.
        outsider = requests.Session()
        outsider.trust_env = False
        try:
            outsider.get(mock.url + "/v1/services", timeout=10)
            raise AssertionError("an unknown certificate was accepted")
        except requests.exceptions.SSLError:
            pass


def test_plain_http_to_the_https_port_is_refused_and_others_are_still_served(tmp_path):
    with MockServer(data_dir=tmp_path, admin_key=ADMIN_KEY, tls=True) as mock:
        plain = mock.url.replace("https://", "http://")
        try:
            answer = requests.get(plain + "/v1/services", timeout=5)
            assert answer.status_code != 200
        except requests.exceptions.ConnectionError:
            pass
        assert requests.get(mock.url + "/v1/services", verify=str(mock.certificate.cert_path),
                            timeout=5).status_code == 200


def test_the_facilitator_page_shows_the_fingerprint_as_text_and_as_a_qr_code(tmp_path):
    with MockServer(data_dir=tmp_path, admin_key=ADMIN_KEY, tls=True) as mock:
        verify = str(mock.certificate.cert_path)
        page = requests.get(mock.facilitator_url, verify=verify, timeout=10).text
        assert f'<code id="fingerprint">{mock.certificate.fingerprint}</code>' in page
        qr = re.search(r'<dd class="qr">(<svg.*?</svg>)</dd>', page, re.S)
        assert qr and "<path" in qr.group(1)
        assert "href" not in qr.group(1) and "url(" not in qr.group(1)  # nothing fetched from anywhere
        import segno

        expected = segno.make(mock.certificate.fingerprint, error="m")
        assert expected.svg_inline(scale=4, title="x", dark="#0b0c0c", light="#ffffff").split("</title>")[1] \
            == qr.group(1).split("</title>")[1]  # the code is the fingerprint, nothing else
        # Without the key: neither the fingerprint's section nor the key.
        form = requests.get(mock.url + "/", verify=verify, timeout=10).text
        assert "fingerprint" not in form and ADMIN_KEY not in form


def test_the_command_line_serves_https_with_tls_and_prints_the_fingerprint(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "services.mock", "--host", "127.0.0.1", "--port", "0", "--tls",
         "--admin-key", ADMIN_KEY, "--data", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = process.stdout.readline()
        second = process.stdout.readline()
        found = re.search(r"at (https://127\.0\.0\.1:(\d+)) — facilitator page at \1/\?key=" + ADMIN_KEY, first)
        assert found, first
        fingerprint = re.search(r"fingerprint ([0-9A-F:]{95})", second)
        assert fingerprint, second
        assert _served_fingerprint(int(found.group(2))) == fingerprint.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
