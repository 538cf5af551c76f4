"""Child process: 'Who to tell' for each persona and each event, and 'Who to tell about a death' with the
persona as the person who died, on the real screens, offline (the bundled catalogue), for
test_who_can_be_told.py.

    run_who_can_be_told.py RESULTS.json DATE_OF_DEATH
"""

import sys
import tempfile
from pathlib import Path

from app.portal_app import TellUsOnceApp
from exchange.personas import read_personas
from portal.core import Portal
from portal.death import check_case
from portal.secrets import MemoryBackend
from portal.telling import CHANGES
from tests.ui.harness import run

DATE_OF_DEATH = sys.argv[2]


def lists(screen) -> dict:
    """The services offered (ids, in order) and each one not told: its heading and the reason under it."""
    return {"offered": [c.value for c in screen.ids.told.children[::-1] if hasattr(c, "value")],
            "not_told": {card.children[-1].text: card.children[-2].text for card in screen.ids.not_told.children}}


def scenario(app, results):
    manager = app.root
    yield lambda: app.portal is not None and not app.busy
    refreshed: list[bool] = []
    for persona in read_personas():
        app.portal.store.save_profile(persona["person"])
        refreshed.clear()
        app.refresh(lambda: refreshed.append(True))
        yield lambda: bool(refreshed)
        shown = results[persona["username"]] = {}
        for event in CHANGES:
            app.draft = {"event": event, "address_saved": True}
            app.go("who_to_tell")
            shown[event] = lists(manager.get_screen("who_to_tell"))
        case, errors = check_case(app.snapshot.profile.person, "7K3P-9QX2-M4TD", "child", DATE_OF_DEATH, None)
        assert not errors, errors
        app.death = {"case": case}
        app.go("death_who")
        shown["death"] = lists(manager.get_screen("death_who"))


with tempfile.TemporaryDirectory() as folder:
    # Nothing answers on port 9: the app starts offline on the bundled catalogue, as the command line does.
    portal = Portal(Path(folder) / "home", "http://127.0.0.1:9", secret_backend=MemoryBackend())
    app = TellUsOnceApp(portal=portal, start_courier=False)
    run(app, scenario, limit=30)
