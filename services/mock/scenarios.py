"""Demo scenarios: named presets of the faults (CONTRACT section 5) a facilitator picks with one click.

A scenario is applied by clearing every fault and then switching on its
own; which scenario is on is worked out from the faults themselves, so a
fault changed by hand through ``PUT /admin/faults/{service}`` shows as
"custom" rather than leaving a stale name on the projector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from exchange.vocabulary import N_
from services.mock.faults import Fault, Faults

HMRC_REJECTION = ("We could not match these details to our records. "
                  "Check your details, or call HMRC to tell us about this change.")
CUSTOM = "custom"


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    description: str
    # Faults for every service (``"*"``) and per service, merged over the healthy default.
    everywhere: dict[str, Any] = field(default_factory=dict)
    per_service: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Services that already recorded the first persona's registered death (CONTRACT section 8).
    death_reported_to: tuple[str, ...] = ()

    def faults_for(self, service: str) -> Fault:
        return Fault(**{**self.everywhere, **self.per_service.get(service, {})})


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("healthy", N_("All healthy"), N_("Every department answers at once.")),
    Scenario("dvla_down", N_("DVLA down"), N_("The DVLA refuses every notification (503, try again in 1 s)."),
             per_service={"dvla": {"down": True}}),
    Scenario("slow_3s", N_("Everything slow (3 s)"), N_("Every department takes 3 seconds to answer."),
             everywhere={"latency_ms": 3000}),
    Scenario("hmrc_rejects", N_("HMRC rejects"), N_("HMRC turns every notification down with a message."),
             per_service={"hmrc": {"reject_with": HMRC_REJECTION}}),
    Scenario("flaky_30", N_("Flaky network (30% failures)"), N_("3 calls in 10 fail (503, try again in 1 s)."),
             everywhere={"error_rate": 0.3, "retry_after": 1}),
    Scenario("dwp_death_reported", N_("A death already reported to DWP"),
             N_("DWP already holds the death of Amira's father: telling it again gets "
                "the first reference back."),
             death_reported_to=("dwp",)),
)
BY_NAME: dict[str, Scenario] = {scenario.name: scenario for scenario in SCENARIOS}


def apply(faults: Faults, scenario: Scenario, service_ids: list[str]) -> None:
    """Every service healthy, then this scenario's faults on."""
    faults.clear()
    for service in service_ids:
        wanted = scenario.faults_for(service)
        if wanted != Fault():
            faults.merge(service, {name: getattr(wanted, name) for name in Fault.__dataclass_fields__})


def current(faults: Faults, service_ids: list[str], deaths_seeded: frozenset[str] = frozenset()) -> str:
    """The scenario the faults (and the deaths a scenario seeded) match now, or ``custom``."""
    now = {service: faults.get(service) for service in service_ids}
    for scenario in SCENARIOS:
        if frozenset(scenario.death_reported_to) != deaths_seeded:
            continue
        if all(now[service] == scenario.faults_for(service) for service in service_ids):
            return scenario.name
    return CUSTOM


def describe(name: str) -> dict[str, str]:
    scenario = BY_NAME.get(name)
    if scenario is None:
        return {"name": CUSTOM, "label": N_("Custom faults"),
                "description": N_("Faults set by hand (see each department).")}
    return {"name": scenario.name, "label": scenario.label, "description": scenario.description}


def listing() -> list[dict[str, str]]:
    return [describe(scenario.name) for scenario in SCENARIOS]
