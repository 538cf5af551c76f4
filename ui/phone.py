"""Android's screen density, told to Kivy before Kivy reads it (imported by screens/__init__.py).

Kivy 2.3 takes Metrics.density from DisplayMetrics.scaledDensity, which is the density already
multiplied by the system text size, and then multiplies every sp by that text size again: at 130 %
text, sp came out 169 % and every dp 130 % too big. Kivy reads KIVY_METRICS_DENSITY once, when
kivy.metrics is first imported, so the true density goes there first; Kivy's fontscale (the
system's fontScale) then counts the text size once.
"""

from __future__ import annotations

import logging
import os
import sys

from portal.android import on_android

log = logging.getLogger(__name__)


def use_true_density() -> None:
    if not on_android() or "KIVY_METRICS_DENSITY" in os.environ or "kivy.metrics" in sys.modules:
        return
    try:
        from jnius import autoclass  # type: ignore[import-not-found]

        activity = autoclass("org.kivy.android.PythonActivity").mActivity
        os.environ["KIVY_METRICS_DENSITY"] = repr(float(activity.getResources().getDisplayMetrics().density))
    except Exception as error:  # Kivy's own reading stays: too big, never unusable
        log.warning("screen density not read: %s", type(error).__name__)
