"""The experiment behind the commit "store: in-process writers queue on a lock".

Eight threads, one per service, claim and finish 1,200 deliveries through
Store, the courier's two transactions per delivery, with 1 ms standing in for
the HTTP call. No mock, no network: only the store's write path under
contention. Run from the project root:

    .venv/bin/python -m bench.profiles.store_write_contention
"""

from __future__ import annotations

import pathlib
import tempfile
import threading
import time
import uuid

from portal.sealing import Sealer
from portal.store import DeliveryState, Store, utc_now

SERVICES, PER_SERVICE = 8, 150


def main() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(pathlib.Path(tmp), Sealer(b"k" * 32))
        rows = [{"id": str(uuid.uuid4()), "service": f"s{sv}", "event": "profile_shared",
                 "idempotency_key": str(uuid.uuid4()), "fields": "[]", "consent_statement": "x",
                 "consent_given_at": utc_now(), "state": "queued", "attempts": 1, "due_at": 0.0,
                 "created_at": utc_now()}
                for _ in range(PER_SERVICE) for sv in range(SERVICES)]
        tell = {"id": "t", "event": "profile_shared", "effective_date": None, "created_at": utc_now(),
                "language": "en"}
        store.add_tell(tell, rows, [b"{}" * 200] * len(rows))

        def work(service: str) -> None:
            while (head := store.head_of(service)) is not None:
                row = store.claim(head.id)
                store.open_body(row)
                time.sleep(0.001)  # the HTTP call
                store.finish_attempt(row.id, state=DeliveryState.DELIVERED, reference="R",
                                     audit={"at": utc_now(), "outcome": "delivered", "http_status": 201, "detail": "x"},
                                     receipt={"reference": "R", "received_at": utc_now(), "response": "{}"})

        threads = [threading.Thread(target=work, args=(f"s{sv}",)) for sv in range(SERVICES)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        wall = time.perf_counter() - start
        store.close()
    print(f"{len(rows)} deliveries by {SERVICES} threads: {wall:.2f} s = {len(rows) / wall:.0f}/s")
    return wall


if __name__ == "__main__":
    main()
