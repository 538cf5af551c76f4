"""Child process: the accessibility tree of every screen, built in-process (no D-Bus), against the Tab order.

For each screen of ui.screen_rules.SCREENS (Amira signed in; check and progress after a real tell), the
bridge's ``describe`` is compared with what the screen shows: every control named, the focusable nodes in
exactly the order Tab follows (ui.keyboard.focusables), and the focused widget as the tree's focus.

    run_accessibility_tree.py RESULTS.json
"""


from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from tests.ui.harness import amira_and_mock, home_ready, run
from ui.accessibility import describe
from ui.keyboard import focusables
from ui.screen_rules import SCREENS

Window.size = (1280, 800)
CONTROLS = {"BUTTON", "LINK", "CHECK_BOX", "RADIO_BUTTON", "TEXT_INPUT", "PASSWORD_INPUT"}


def scenario(app, results):
    manager = app.root
    yield home_ready(app)
    screens = {}
    for name in SCREENS:
        if name == "check":
            app.draft = {"event": "change_of_address", "effective_date": None}
            app.go("who_to_tell")
            yield 0.3
            for box in manager.get_screen("who_to_tell").ids.told.children:
                if hasattr(box, "value"):
                    box.state = "down"
            manager.get_screen("who_to_tell").continue_()
            yield lambda: manager.current == "check"
        elif name.startswith("death_"):  # staged as the tour stages them: the steps before left a report
            from tools.death_tour import stage_death

            stage_death(app, name)
            yield lambda name=name: manager.current == name
        else:
            app.go(name)
        yield 0.6
        yield lambda: not app.busy
        screen = manager.current_screen
        order = focusables(screen)
        if order:
            order[min(1, len(order) - 1)].focus = True
            yield 0.1
        order = focusables(screen)  # (again: a screen may finish building after the first look)
        snapshot = describe(Window, app.title)
        by_id = {item.id: item for item in snapshot.items}
        tab = [w.uid for w in order]
        tree = []
        for item in snapshot.items:
            if "FOCUS" in item.actions:
                tree.append(snapshot.widgets[item.id].uid)
        focused = next((w for w in order if w.focus), None)
        names = {w.uid: f"{type(w).__name__}:{getattr(w, 'text', '')[:20]}" for w in screen.walk(restrict=True)}
        first_difference = next((i for i, (a, b) in enumerate(zip(tab, tree, strict=False)) if a != b),
                                min(len(tab), len(tree)))
        screens[name] = {
            "nodes": len(snapshot.items),
            "unnamed_controls": [i.role for i in snapshot.items if i.role in CONTROLS and not i.name],
            "roles": sorted({i.role for i in snapshot.items}),
            "tab_order_matches": tab == tree,
            "tab": len(tab), "tree": len(tree),
            "differ_at": [names.get(u) for u in tab[first_difference:first_difference + 2]]
            + ["|"] + [names.get(u) for u in tree[first_difference:first_difference + 2]],
            "focus_matches": focused is not None and snapshot.widgets[snapshot.focus].uid == focused.uid,
            "unique_ids": len({i.id for i in snapshot.items}) == len(snapshot.items),
            "headings": [(i.name, i.level) for i in snapshot.items if i.role == "HEADING"],
            "bounds_ok": all(i.bounds[2] >= i.bounds[0] and i.bounds[3] >= i.bounds[1] for i in by_id.values()),
        }
    results["screens"] = screens


with amira_and_mock() as (portal, mock):
    run(TellUsOnceApp(portal=portal, start_courier=False), scenario, limit=60)
