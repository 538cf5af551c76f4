"""portal/display.py and portal/history.py: how values are shown and who has my data, tested without a window."""

from __future__ import annotations

from pathlib import Path

from portal.core import Portal
from portal.display import display_value, mask
from portal.history import export_receipts, receipt_rows, tell_of
from portal.prefill import GovernmentDetails, accept_prefill, prefill_differences, read_government_details
from portal.secrets import MemoryBackend
from portal.store import DB_NAME
from portal.telling import commit_tell, plan_tell
from tests.conftest import AMIRA

OFFLINE = "http://127.0.0.1:9"


def test_mask_keeps_only_the_last_four() -> None:
    assert mask("AB123456C") == "•••••456C"
    assert mask("123") == "•••"
    assert display_value("nino", "AB123456C") == "•••••456C"
    assert display_value("nino", "AB123456C", reveal=True) == "AB123456C"
    assert display_value("date_of_birth", "1990-04-17") == "17 April 1990"
    assert display_value("address", {"line1": "1 High St", "line2": "Flat 2", "town": "Leeds",
                                      "postcode": "LS1 1AA"}) == "1 High St, Flat 2, Leeds, LS1 1AA"


def test_read_held_sets_aside_what_breaks_the_vocabulary() -> None:
    held = read_government_details({"given_names": " Amira ", "nino": "not one", "email": "a@EXAMPLE.com",
                      "verified": ["given_names", "nino"]})
    assert held.offered == {"given_names": "Amira", "email": "a@example.com"}
    assert held.vouched == {"given_names"}
    assert held.unusable == ("nino",)


def test_prefill_is_accepted_field_by_field(store) -> None:
    store.save_profile({"given_names": "Amira", "family_name": "Khan", "email": "old@example.com"})
    held = GovernmentDetails({"given_names": "Amira", "family_name": "Haddad", "email": "new@example.com",
                 "nino": "AB123456C"}, frozenset({"family_name", "nino", "given_names"}))
    differences = prefill_differences(store.current_profile().person, held)
    assert [d.field for d in differences] == ["family_name", "nino", "email"]
    assert [d.verified for d in differences] == [True, True, False]

    version = accept_prefill(store, held, ["family_name", "nino"])
    profile = store.current_profile()
    assert version == profile.version == 2
    assert profile.person["family_name"] == "Haddad" and profile.person["email"] == "old@example.com"
    assert set(profile.verified) == {"given_names", "family_name", "nino"}
    assert accept_prefill(store, held, ["family_name"]) is None  # nothing new: no new version


def test_receipts_export_and_resend_details(home: Path, tmp_path: Path) -> None:
    portal = Portal(home, OFFLINE, secret_backend=MemoryBackend())
    try:
        portal.store.save_profile(AMIRA)
        plan = plan_tell(portal.store.current_profile(), portal.cached_catalogue(), "change_of_address",
                         ["hmrc", "council"])
        ids = commit_tell(portal.store, plan)
        rows = receipt_rows(portal)
        assert {r.service for r in rows} == {"hmrc", "council"}
        assert [r.service for r in receipt_rows(portal, "council")] == ["council"]
        assert "nino" in next(r for r in rows if r.service == "hmrc").fields
        assert tell_of(portal.store, ids[0])["event"] == "change_of_address"
        path = export_receipts(portal, tmp_path / "exports")
        assert path.exists() and AMIRA["nino"] not in path.read_text()
    finally:
        portal.close()


def test_delete_everything_leaves_no_database_and_no_secrets(home: Path) -> None:
    backend = MemoryBackend()
    portal = Portal(home, OFFLINE, secret_backend=backend)
    portal.store.save_profile(AMIRA)
    portal.secrets.set("refresh_token", "r")  # as a sign-in leaves it
    assert backend.values
    portal.delete_everything()
    assert not (home / DB_NAME).exists()
    assert not list(home.glob(DB_NAME + "*"))
    assert backend.values == {}
