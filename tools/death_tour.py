"""The tour's staging of the death screens: Amira reporting her father's death (the README's registration)."""

from __future__ import annotations

REFERENCE = "7K3P-9QX2-M4TD"
NUMBERS = {"nino": "YH402817B", "nhs_number": "4857773457", "driving_licence_number": "HADDA506020YH9AB"}
CHOSEN = ("hmrc", "dwp", "dvla", "council", "nhs")


def stage_death(app, name: str) -> None:
    """Put the app on one death screen, with what the steps before it would have left."""
    from portal.death import check_case, commit_death, plan_death, read_register

    portal = app.portal
    if name == "death_reference":
        app.go(name)
        app.root.get_screen(name).ids.reference.text = "7k3p 9qx2 m4td"
        return
    if name == "death_confirm" or not getattr(app, "death", None):
        app.death = {"reference": REFERENCE, "register": read_register(portal.session, REFERENCE).record}
    death = app.death
    if name == "death_documents":
        app.go(name)
        fields = app.root.get_screen(name).fields()
        for field, value in NUMBERS.items():
            fields[f"deceased.{field}"].text = value
        return
    death["numbers"] = NUMBERS
    if name == "death_relationship":
        app.go(name)
        for choice in app.root.get_screen(name).ids.choices.children:
            choice.state = "down" if choice.value == "child" else "normal"
        return
    if name in ("death_who", "death_check", "death_progress") and "case" not in death:
        death["case"], _errors = check_case(NUMBERS, REFERENCE, "child", None, death["register"])
    if name == "death_who":
        death["services"] = ["dwp", "council"]
    if name in ("death_check", "death_progress"):
        death["plan"] = plan_death(app.snapshot.profile, app.snapshot.catalogue, death["case"], list(CHOSEN))
    if name == "death_progress":
        ids = commit_death(portal.store, death["plan"])
        portal.courier.sync(until_idle=True, timeout=20)
        app.death = {"delivery_ids": ids}
        app.refresh(lambda: app.go(name))
        return
    app.go(name)
