"""Many clients at once: everything stored exactly once, never twice for one key."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.mock.support import inbox, notify, sign_in, valid_body

SERVICES = ("hmrc", "dwp", "dvla", "hmpo", "council", "nhs")


def test_200_notifications_from_20_threads_are_each_stored_exactly_once(url, token):
    jobs = [(SERVICES[i % len(SERVICES)], f"bulk-{i}-{uuid.uuid4()}") for i in range(200)]
    local = threading.local()

    def send(job):
        service, key = job
        if not hasattr(local, "session"):
            local.session = requests.Session()
        response = notify(url, token, service, key=key, session=local.session, timeout=60)
        return key, response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(send, jobs))
    assert [status for _, status, _ in results] == [201] * 200
    references = [answer["reference"] for _, _, answer in results]
    assert len(set(references)) == 200
    stored = [record for records in inbox(url).values() for record in records]
    assert sorted(r["key"] for r in stored) == sorted(key for _, key in jobs)
    assert sorted(r["reference"] for r in stored) == sorted(references)


def test_one_key_from_many_threads_at_once_is_stored_once(url):
    token = sign_in(url)["access_token"]
    body = valid_body("hmrc")
    barrier = threading.Barrier(16)

    def send(_):
        barrier.wait()
        return notify(url, token, "hmrc", body, key="same-key", timeout=60)

    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(send, range(16)))
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409}, statuses
    created = [r for r in responses if r.status_code == 201]
    assert created
    assert len({r.json()["reference"] for r in created}) == 1
    assert sum(1 for r in created if r.headers.get("Idempotent-Replayed") != "true") == 1
    assert all(r.json()["error"] == "request_in_progress" for r in responses if r.status_code == 409)
    assert len(inbox(url)["hmrc"]) == 1


def test_each_request_thread_closes_its_database_connection(url, token):
    import os
    import time

    def open_files() -> int:
        return len(os.listdir("/proc/self/fd"))

    session = requests.Session()
    notify(url, token, session=session)
    before = open_files()
    for _ in range(60):
        notify(url, token, session=session)
    time.sleep(0.2)
    assert open_files() <= before + 3
