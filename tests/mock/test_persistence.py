"""What survives a restart (records, keys, tokens) and what /admin/reset empties."""

from __future__ import annotations

import requests

from services.mock.server import MockServer
from tests.conftest import ADMIN, ADMIN_KEY
from tests.mock.support import inbox, notify, set_faults, sign_in, stored_count, valid_body


def test_restart_on_the_same_data_dir_keeps_records_keys_and_tokens(tmp_path):
    data_dir = tmp_path / "kept"
    with MockServer(data_dir=data_dir, admin_key=ADMIN_KEY) as first:
        tokens = sign_in(first.url)
        answer = notify(first.url, tokens["access_token"], "nhs", key="survives-1").json()
    with MockServer(data_dir=data_dir, admin_key=ADMIN_KEY) as second:
        records = inbox(second.url)["nhs"]
        assert [r["reference"] for r in records] == [answer["reference"]]
        # The access token still works, and the key still replays the first answer.
        replay = notify(second.url, tokens["access_token"], "nhs", key="survives-1")
        assert replay.status_code == 201
        assert replay.json() == answer
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert stored_count(second.url) == 1
        grant = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
        refreshed = requests.post(f"{second.url}/v1/auth/token", json=grant, timeout=10)
        assert refreshed.status_code == 200


def test_reset_can_keep_sign_ins_while_emptying_inboxes_keys_and_faults(url, token):
    notify(url, token, "hmrc", key="before-reset")
    set_faults(url, "dwp", down=True)
    response = requests.post(f"{url}/admin/reset?keep=tokens", headers=ADMIN, timeout=10)
    assert response.status_code == 200
    assert stored_count(url) == 0
    assert requests.get(f"{url}/admin/faults", headers=ADMIN, timeout=10).json()["dwp"]["down"] is False
    # The key is free again, so it stores a new record (with a new reference), not a replay.
    again = notify(url, token, "hmrc", valid_body("hmrc", event="change_of_contact"), key="before-reset")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers


def test_reset_empties_it_all_sign_ins_included(url, token):
    notify(url, token, "hmrc")
    assert requests.post(f"{url}/admin/reset", headers=ADMIN, timeout=10).json()["tokens_revoked"] is True
    assert stored_count(url) == 0
    assert notify(url, token).status_code == 401


def test_admin_inbox_lists_every_service_newest_first(url, token):
    first = notify(url, token, "council").json()["reference"]
    contact = valid_body("council", event="change_of_contact")
    second = notify(url, token, "council", contact).json()["reference"]
    records = inbox(url)
    assert list(records) == ["hmrc", "dwp", "dvla", "hmpo", "council", "nhs"]
    assert [r["reference"] for r in records["council"]] == [second, first]
    assert {"key", "body", "reference", "received_at", "status"} <= set(records["council"][0])
