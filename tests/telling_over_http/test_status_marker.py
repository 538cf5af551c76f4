"""`status` reads the data folder alone: "signed in" is a marker kept in step with the keyring's tokens.

Status opens neither the keyring nor a sealed column (bench/scale.py times it):
these pin that, and that the marker follows sign-in, sign-out, a refused
refresh and a keyring emptied behind the app's back.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from portal import commands
from portal.core import SIGNED_IN, Portal
from portal.errors import SecretStoreUnavailable
from portal.secrets import MemoryBackend
from portal.telling import commit_tell, plan_tell
from tests.conftest import ROOT
from tests.telling_over_http.conftest import SIGN_IN_ENDED, Gov, signed_in_portal


class RefusingBackend(MemoryBackend):
    """A keyring that fails every call once ``refuse`` is set: status must never reach it."""

    refuse = False

    def get(self, namespace: str, name: str) -> str | None:
        assert not self.refuse, f"the keyring was asked for {name}"
        return super().get(namespace, name)

    def set(self, namespace: str, name: str, value: str) -> None:
        assert not self.refuse, f"the keyring was asked to keep {name}"
        super().set(namespace, name, value)

    def delete(self, namespace: str, name: str) -> None:
        assert not self.refuse, f"the keyring was asked to delete {name}"
        super().delete(namespace, name)


def status_of(home: Path, url: str, backend) -> dict:
    """As main.py runs `status`: Portal(..., lazy_secrets=True)."""
    portal = Portal(home, url, secret_backend=backend, lazy_secrets=True)
    try:
        out = io.StringIO()
        assert commands.status(portal, True, out) == 0
        return json.loads(out.getvalue())
    finally:
        portal.close()


def test_status_never_opens_the_keyring(tmp_path: Path, gov: Gov) -> None:
    backend = RefusingBackend()
    portal = signed_in_portal(tmp_path / "home", gov.url, backend=backend)
    portal.close()
    backend.refuse = True
    data = status_of(tmp_path / "home", gov.url, backend)
    assert data["signed_in"] is True and len(data["deliveries"]) == 0


def test_status_after_sign_out_says_signed_out_without_the_keyring(tmp_path: Path, gov: Gov) -> None:
    backend = RefusingBackend()
    portal = signed_in_portal(tmp_path / "home", gov.url, backend=backend)
    portal.session.sign_out()
    portal.close()
    backend.refuse = True
    assert status_of(tmp_path / "home", gov.url, backend)["signed_in"] is False


def test_a_refused_refresh_clears_the_marker(portal: Portal, gov: Gov) -> None:
    gov.later(SIGN_IN_ENDED)
    assert portal.signed_in is True
    commit_tell(portal.store, plan_tell(portal.store.current_profile(), portal.cached_catalogue(),
                                        "change_of_contact", ["council"]))
    assert portal.courier.sync(until_idle=True, timeout=5).signed_out
    assert portal.store.get_setting(SIGNED_IN) is False and portal.signed_in is False


def test_a_folder_without_the_marker_asks_the_keyring_once(tmp_path: Path, gov: Gov) -> None:
    backend = RefusingBackend()
    portal = signed_in_portal(tmp_path / "home", gov.url, backend=backend)
    with portal.store.atomic() as db:  # as a data folder from before the marker
        db.execute("delete from settings where key = ?", [SIGNED_IN])
    portal.close()
    assert status_of(tmp_path / "home", gov.url, backend)["signed_in"] is True  # asked, and noted
    backend.refuse = True
    assert status_of(tmp_path / "home", gov.url, backend)["signed_in"] is True


def test_a_keyring_emptied_behind_the_apps_back_is_noticed_at_the_next_read(tmp_path: Path, gov: Gov) -> None:
    """The chosen trade-off: status trusts the marker until the tokens are next read (app start, next send)."""
    backend = MemoryBackend()
    portal = signed_in_portal(tmp_path / "home", gov.url, backend=backend)
    portal.close()
    backend.values.clear()  # another program emptied the keyring
    assert status_of(tmp_path / "home", gov.url, backend)["signed_in"] is True
    fresh = Portal(tmp_path / "home", gov.url, secret_backend=backend)
    assert fresh.session.signed_in is False  # what the app reads when it starts
    fresh.close()
    assert status_of(tmp_path / "home", gov.url, backend)["signed_in"] is False


def test_status_on_the_command_line_imports_no_keyring_crypto_sqlite_utils_or_requests(tmp_path: Path) -> None:
    home = tmp_path / "home"
    portal = Portal(home, "http://127.0.0.1:9", secret_backend=MemoryBackend())
    portal.store.set_setting(SIGNED_IN, False)
    portal.close()
    script = ("import sys, main; code = main.main(['--home', sys.argv[1], 'status', '--json']); "
              "heavy = ('keyring', 'cryptography', 'sqlite_utils', 'requests', 'babel', 'secretstorage', "
              "'portal.core', 'portal.secrets', 'portal.sealing', 'portal.session', 'portal.trust'); "
              "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script, str(home)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(done.stdout)["signed_in"] is False


def test_without_a_usable_keyring_every_other_command_fails_before_writing(tmp_path: Path) -> None:
    class NoKeyring(MemoryBackend):
        def get(self, namespace: str, name: str) -> str | None:
            raise SecretStoreUnavailable("no keyring")

    with pytest.raises(SecretStoreUnavailable):
        Portal(tmp_path / "home", "http://127.0.0.1:9", secret_backend=NoKeyring())
    assert not (tmp_path / "home").exists() or list((tmp_path / "home").iterdir()) == []


def test_status_json_built_by_sqlite_is_the_same_value_as_from_python(tmp_path: Path) -> None:
    """Every field, nulls, a unicode error, a queued time with a fraction of a second."""
    import uuid

    from portal.status import status_data, status_json_from_sql

    portal = Portal(tmp_path / "home", "http://127.0.0.1:9", secret_backend=MemoryBackend())
    try:
        conn = portal.store.conn
        conn.execute("insert into tells (id, event, created_at) values ('t', 'change_of_name', '2026-11-27T00:00:00Z')")
        states = ["queued", "delivered", "needs_attention", "superseded", "sending"]
        for i, state in enumerate(states * 3):
            conn.execute(
                "insert into deliveries (id, seq, tell_id, service, event, idempotency_key, body, fields, state, "
                "attempts, due_at, reference, last_error, created_at, delivered_at) "
                "values (?, ?, 't', ?, 'change_of_name', ?, x'00', '[]', ?, ?, ?, ?, ?, ?, ?)",
                [str(uuid.uuid4()), i + 1, f"svc{i}", str(uuid.uuid4()), state, i,
                 1795000000.999 + i if i % 2 else None, f"REF-{i}" if state == "delivered" else None,
                 'said "no" \u00e9\u2028\n' if i % 3 == 0 else None, "2026-11-27T10:00:00Z",
                 "2026-11-27T10:00:01Z" if state == "delivered" else None])
        assert json.loads(status_json_from_sql(portal)) == status_data(portal)
        # A row's summary follows every change to it (the triggers of m003_status_summary).
        conn.execute("update deliveries set state = 'delivered', reference = 'REF-NEW', attempts = 9 where seq = 1")
        conn.execute("update deliveries set state = 'queued', due_at = 1795000100 where seq = 2")
        assert json.loads(status_json_from_sql(portal)) == status_data(portal)
    finally:
        portal.close()


def queued_deliveries(home: Path, count: int) -> None:
    """A data folder holding ``count`` queued deliveries of one tell, signed out (status need not ask the
    keyring), everything checkpointed into portal.db."""
    import uuid

    portal = Portal(home, "http://127.0.0.1:9", secret_backend=MemoryBackend())
    try:
        conn = portal.store.conn
        conn.execute("insert into tells (id, event, created_at) values ('t', 'change_of_name', '2026-11-27T00:00:00Z')")
        conn.executemany(
            "insert into deliveries (id, seq, tell_id, service, event, idempotency_key, body, state, attempts, "
            "created_at) values (?, ?, 't', 'hmrc', 'change_of_name', ?, x'00', 'queued', 0, '2026-11-27T10:00:00Z')",
            [(str(uuid.uuid4()), i + 1, str(uuid.uuid4())) for i in range(count)])
        conn.commit()
        portal.store.set_setting(SIGNED_IN, False)  # the marker: status need not ask the keyring
        conn.execute("pragma wal_checkpoint(truncate)")
    finally:
        portal.close()


def test_status_json_into_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """`status --json | head`: the pipe closes before 2,000 deliveries are written; exit 0, nothing on stderr."""
    queued_deliveries(tmp_path / "home", 2000)
    child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--home", str(tmp_path / "home"), "--api",
                              "http://127.0.0.1:9", "status", "--json"], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        assert child.stdout.read(20).startswith(b"{")
        child.stdout.close()  # the reader has had enough
        _out, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == 0 and err == b"", err


def test_status_on_a_damaged_database_says_so_and_leaves_it_as_it_is(tmp_path: Path) -> None:
    """status does not read the whole file first (PRAGMA quick_check): a damaged page it reads says the same."""
    home = tmp_path / "home"
    queued_deliveries(home, 2000)
    path = home / "portal.db"
    data = bytearray(path.read_bytes())
    data[len(data) // 2:] = b"\xff" * (len(data) - len(data) // 2)  # the schema reads; the deliveries do not
    path.write_bytes(bytes(data))
    for extra in home.glob("portal.db-*"):
        extra.unlink()
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--home", str(home), "status", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "is damaged or is not a Tell Us Once database" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert path.read_bytes() == bytes(data)


def test_status_on_the_command_line_asks_the_keyring_once_for_a_folder_without_the_marker(
        tmp_path: Path, gov: Gov) -> None:
    from tests.conftest import has_session_bus

    if not has_session_bus():
        pytest.skip("needs the real keyring (scripts/with-keyring)")
    portal = Portal(tmp_path / "home", gov.url)  # the real keyring, as main.py opens it
    try:
        portal.session.sign_in("amira", "amira-demo-1")
        with portal.store.atomic() as db:  # as a data folder from before the marker
            db.execute("delete from settings where key = ?", [SIGNED_IN])
    finally:
        portal.close()
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--home", str(tmp_path / "home"), "--api", gov.url,
                           "status", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["signed_in"] is True
    again = Portal(tmp_path / "home", gov.url, lazy_secrets=True)
    try:
        assert again.store.get_setting(SIGNED_IN) is True  # asked once, and noted
    finally:
        again.close()
