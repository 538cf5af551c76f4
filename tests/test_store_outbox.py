"""The outbox rows the store writes, pinned down where the benchmarks made it faster.

bench/RESULTS.md lists the changes: the supersede check searches the pending
index, writers in one process queue on a lock, and status reads plain rows.
These tests hold what must not change with them.
"""

from __future__ import annotations

import json
import threading
import uuid

from portal.store import Delivery, DeliveryState, Store, utc_now


def queue(store: Store, services: list[str], event: str = "profile_shared", tell_id: str | None = None) -> list[str]:
    tell = {"id": tell_id or str(uuid.uuid4()), "event": event, "effective_date": None, "created_at": utc_now(),
            "language": "en"}
    rows = [{"id": str(uuid.uuid4()), "service": service, "event": event, "idempotency_key": str(uuid.uuid4()),
             "fields": json.dumps(["given_names"]), "consent_statement": "I agree", "consent_given_at": utc_now(),
             "state": "queued", "attempts": 0, "due_at": 0.0, "created_at": utc_now()} for service in services]
    store.add_tell(tell, rows, [b'{"event":"profile_shared"}'] * len(rows))
    return [row["id"] for row in rows]


def test_a_newer_tell_supersedes_only_queued_never_tried_deliveries_of_the_same_event(store: Store) -> None:
    first = queue(store, ["hmrc", "dwp", "nhs"])
    store.claim(first[1])  # dwp's has been tried: it must stay
    queue(store, ["hmrc", "dwp"], event="profile_shared")
    queue(store, ["nhs"], event="change_of_address")  # another event: nhs's first one stays
    states = {row.id: row.state for row in store.deliveries()}
    assert states[first[0]] == "superseded"
    assert states[first[1]] == "sending"
    assert states[first[2]] == "queued"
    assert store.delivery(first[0]).due_at is None


def test_delivered_records_reference_receipt_and_audit_together(store: Store) -> None:
    (delivery_id,) = queue(store, ["hmrc"])
    store.claim(delivery_id)
    store.finish_attempt(delivery_id, state="delivered", reference="HMRC-ABCDEFGH",
                         audit={"at": "2026-11-27T10:00:00Z", "outcome": "delivered", "http_status": 201,
                                "detail": "Received, reference HMRC-ABCDEFGH"},
                         receipt={"reference": "HMRC-ABCDEFGH", "received_at": "2026-11-27T10:00:01Z",
                                  "response": '{"reference": "HMRC-ABCDEFGH"}'})
    row = store.delivery(delivery_id)
    assert (row.state, row.reference, row.delivered_at, row.last_error, row.due_at) == (
        "delivered", "HMRC-ABCDEFGH", "2026-11-27T10:00:00Z", None, None)
    (audit,) = store.audit_rows()
    assert {k: audit[k] for k in ("delivery_id", "service", "event", "outcome", "http_status", "detail", "fields",
                                  "at")} == {
        "delivery_id": delivery_id, "service": "hmrc", "event": "profile_shared", "outcome": "delivered",
        "http_status": 201, "detail": "Received, reference HMRC-ABCDEFGH", "fields": '["given_names"]',
        "at": "2026-11-27T10:00:00Z"}
    (receipt,) = store.receipts()
    assert receipt == {"delivery_id": delivery_id, "service": "hmrc", "reference": "HMRC-ABCDEFGH",
                       "received_at": "2026-11-27T10:00:01Z", "response": '{"reference": "HMRC-ABCDEFGH"}'}


def test_a_retry_and_a_refusal_each_leave_an_audit_row_and_no_receipt(store: Store) -> None:
    retry, refused = queue(store, ["hmrc", "dwp"])
    for delivery_id in (retry, refused):
        store.claim(delivery_id)
    store.finish_attempt(retry, state="queued", due_at=1234.5, last_error="Busy. We will try again.",
                         audit={"at": utc_now(), "outcome": "will_retry", "http_status": 503, "detail": "Busy."})
    store.finish_attempt(refused, state="needs_attention", last_error="Enter a valid NINO",
                         audit={"at": utc_now(), "outcome": "needs_attention", "http_status": 422,
                                "detail": "Enter a valid NINO"})
    retried, refusal = store.delivery(retry), store.delivery(refused)
    assert (retried.state, retried.due_at, retried.last_error, retried.attempts) == (
        "queued", 1234.5, "Busy. We will try again.", 1)
    assert (refusal.state, refusal.due_at, refusal.last_error) == ("needs_attention", None, "Enter a valid NINO")
    assert [a["outcome"] for a in store.audit_rows()] == ["will_retry", "needs_attention"]
    assert store.receipts() == []


def test_finishing_an_unknown_delivery_writes_nothing(store: Store) -> None:
    store.finish_attempt("no-such-id", state="delivered", audit={"at": utc_now(), "outcome": "delivered"},
                         receipt={"reference": "X", "received_at": utc_now(), "response": "{}"})
    assert store.audit_rows() == [] and store.receipts() == []


def test_writers_on_many_threads_all_land_in_order_per_service(store: Store) -> None:
    services = ["a", "b", "c", "d"]
    for _ in range(10):
        queue(store, services)
        with store.atomic() as db:  # as if tried once already, so the next tell's supersede rule leaves them
            db.execute("update deliveries set attempts = 1 where state = 'queued'")
    ids = {service: [row.id for row in store.deliveries(service)] for service in services}
    assert all(len(v) == 10 for v in ids.values())
    errors: list[BaseException] = []

    def drain(service: str) -> None:
        try:
            while (head := store.head_of(service)) is not None:
                row = store.claim(head.id)
                store.finish_attempt(row.id, state="delivered", reference=f"R-{row.seq}",
                                     audit={"at": utc_now(), "outcome": "delivered", "http_status": 201,
                                            "detail": "ok"},
                                     receipt={"reference": f"R-{row.seq}", "received_at": utc_now(),
                                              "response": "{}"})
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=drain, args=(service,)) for service in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    delivered = [row for row in store.deliveries() if row.state == "delivered"]
    assert store.count_pending() == 0
    assert len(store.audit_rows()) == len(delivered) == len(store.receipts())
    for service in ids:  # each service's audit follows its queue's order
        seqs = [store.delivery(a["delivery_id"]).seq for a in store.audit_rows() if a["service"] == service]
        assert seqs == sorted(seqs)


def test_the_store_reads_typed_rows_whose_state_is_a_delivery_state(store: Store) -> None:
    (delivery_id,) = queue(store, ["hmrc"])
    (listed,) = store.deliveries()
    full = store.delivery(delivery_id)
    assert isinstance(listed, Delivery) and listed.state is DeliveryState.QUEUED
    assert listed == full._replace(idempotency_key="", body=b"")  # a list leaves out only the key and the body
    assert store.delivery_summaries() == [listed._replace(fields=None, consent_statement=None, consent_given_at=None)]
    assert full.body and full.idempotency_key and listed.field_names == ["given_names"]
    # The column keeps the words it always held: no migration, and older copies of the app read it.
    assert store.conn.execute("select state from deliveries").fetchone() == ("queued",)
    assert store.heads() == [listed] and store.head_of("hmrc") == listed and store.claim(delivery_id).body == full.body


def test_an_odd_answer_from_a_service_is_stored_as_json_text(store: Store) -> None:
    (delivery_id,) = queue(store, ["hmrc"])
    store.claim(delivery_id)
    store.finish_attempt(delivery_id, state="delivered", reference=None,
                         audit={"at": utc_now(), "outcome": "delivered", "http_status": 201, "detail": "Received"},
                         receipt={"reference": {"not": "a string"}, "received_at": ["odd"], "response": "{}"})
    (receipt,) = store.receipts()
    assert (receipt["reference"], receipt["received_at"]) == ('{"not": "a string"}', '["odd"]')


def test_a_second_receipt_for_one_delivery_replaces_the_first(store: Store) -> None:
    (delivery_id,) = queue(store, ["hmrc"])
    for reference in ("HMRC-11111111", "HMRC-22222222"):
        store.finish_attempt(delivery_id, state="delivered", reference=reference,
                             audit={"at": utc_now(), "outcome": "delivered", "http_status": 201, "detail": "ok"},
                             receipt={"reference": reference, "received_at": utc_now(), "response": "{}"})
    assert [r["reference"] for r in store.receipts()] == ["HMRC-22222222"]
    assert len(store.audit_rows()) == 2


def test_only_the_couriers_own_commits_skip_the_fsync(store: Store, monkeypatch) -> None:
    """A claim, an outcome and a release commit with synchronous = NORMAL (a resend with the same key
    recovers them after a power cut); a tell, the details and settings still wait for the disk (FULL)."""
    seen: list[tuple[str, int]] = []
    real_transaction = Store.transaction

    def noting(self):
        seen.append(("begin", self.conn.execute("PRAGMA synchronous").fetchone()[0]))
        return real_transaction(self)

    monkeypatch.setattr(Store, "transaction", noting)
    (delivery_id,) = queue(store, ["hmrc"])
    assert seen.pop() == ("begin", 2)  # the tell: FULL
    store.claim(delivery_id)
    assert seen.pop() == ("begin", 1)  # NORMAL
    store.finish_attempt(delivery_id, state="queued", due_at=0.0, last_error="busy",
                         audit={"at": utc_now(), "outcome": "will_retry", "http_status": 503, "detail": "busy"})
    assert seen.pop() == ("begin", 1)
    store.claim(delivery_id)
    seen.clear()
    store.release(delivery_id, "The service could not be reached.")
    assert seen.pop() == ("begin", 1)
    store.set_setting("online", True)
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # the connection is FULL again
    assert store.delivery(delivery_id).state == "queued"
