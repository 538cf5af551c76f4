"""Home: the profile at a glance with verified marks, the outbox at a glance, online or offline."""

from __future__ import annotations

from kivy.factory import Factory

from exchange.vocabulary import FIELDS, LABELS
from portal.display import display_value
from portal.i18n import translator
from ui.base import BaseScreen
from ui.i18n import _, date
from ui.screen_rules import outbox_counts

AT_A_GLANCE = FIELDS  # every field, long numbers masked


class HomeScreen(BaseScreen):
    def update(self, snapshot) -> None:
        profile = snapshot.profile
        self.ids.greeting.text = (_("Hello, {name}").format(name=profile.person.get("given_names", "")) if profile
                                  else _("Your account"))
        shown = (profile.version, tuple(profile.verified), translator.language) if profile else None
        if shown != getattr(self, "_shown", False):
            self._shown = shown
            self.show_profile(profile)
        counts = outbox_counts(snapshot.deliveries)
        self.ids.delivered.number = str(counts.delivered)
        self.ids.waiting.number = str(counts.waiting)
        self.ids.attention.number = str(counts.needs_attention)
        self.ids.version.text = (_("Version {version}, saved {date}").format(
            version=profile.version, date=date(profile.saved_at)) if profile else "")

    def show_profile(self, profile) -> None:
        rows = self.ids.profile_rows
        rows.clear_widgets()
        if profile is None:
            rows.add_widget(Factory.Body(text=_("You have not entered your details yet.")))
        else:
            for name in AT_A_GLANCE:
                if name in profile.person:
                    rows.add_widget(Factory.DetailRow(label=_(LABELS[name]),
                                                      value=display_value(name, profile.person[name]),
                                                      verified=name in profile.verified))


SCREEN = HomeScreen
