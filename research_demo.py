"""`make demo`'s set-up: the mock serving where told, and a Portal on a fresh demo folder with the persona signed in.

Beside main.py because it joins both sides: the app's portal and the mock government (services.mock).
"""

from __future__ import annotations

import os
from pathlib import Path


def trust_in_process(cert_path: Path) -> None:
    """This process's HTTPS clients trust the mock's own certificate too (REQUESTS_CA_BUNDLE, CONTRACT section 6)."""
    import certifi

    bundle = cert_path.with_name("trusted-here.pem")
    previous = os.environ.get("REQUESTS_CA_BUNDLE") or certifi.where()
    if Path(previous) != bundle:
        bundle.write_bytes(Path(previous).read_bytes().rstrip() + b"\n" + cert_path.read_bytes())
    os.environ["REQUESTS_CA_BUNDLE"] = str(bundle)


class PreparedDemo:
    """The mock serving where told, and a Portal on a fresh demo folder with the persona signed in."""

    def __init__(self, data_folder: Path, persona: str, host: str, port: int, secret_backend=None,
                 tls: bool | None = None, trust=None) -> None:
        """``trust``: the origins, authority file and pin the command line named (portal.trust.TrustOptions)."""
        from portal.core import Portal
        from portal.demo import Demo, persona_password, reset_demo
        from services.mock.server import MockServer

        password = persona_password(persona)
        # Any host but loopback: HTTPS with the mock's own certificate, which this process then trusts.
        self.mock = MockServer(host=host, port=port, data_dir=data_folder / "demo" / "mock-gov", tls=tls).start()
        try:
            # Bound to every interface, the mock is still reached here through loopback.
            every = host in ("0.0.0.0", "::", "")
            scheme = "https" if self.mock.certificate else "http"
            self.api_url = f"{scheme}://127.0.0.1:{self.mock.port}" if every else self.mock.url
            if self.mock.certificate is not None:
                trust_in_process(self.mock.certificate.cert_path)
            self.portal = Portal(data_folder / "demo" / "app", self.api_url, secret_backend=secret_backend, trust=trust)
            self.reset = reset_demo(self.portal, persona, password, admin_key=self.mock.admin_key)
        except BaseException:
            self.mock.stop()
            raise
        self.facilitator_url = f"{self.api_url}/?key={self.mock.admin_key}"
        self.demo = Demo(persona, password, self.facilitator_url, admin_key=self.mock.admin_key)

    def close(self) -> None:
        self.demo.close()
        self.portal.close()
        self.mock.stop()
