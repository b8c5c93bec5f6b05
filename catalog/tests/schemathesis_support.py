"""Run schemathesis' engine (what ``schemathesis run`` runs) against the API on a test server.

``run_engine`` loads ``/api/schema/`` from the server (catalog/tests/api_server.py), runs the
engine's phases (examples, coverage, fuzzing, stateful through OpenAPI links) and counts what
each phase sent, per operation, and what the checks found.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

SCHEMA_PATH = "/api/schema/"


@dataclass
class RunFigures:
    """What runs did: checked cases per operation and phase, stateful steps, failures."""

    operations: list[str] = field(default_factory=list)
    cases: Counter = field(default_factory=Counter)  # operation label -> checked cases
    cases_by_phase: Counter = field(default_factory=Counter)
    checks_run: Counter = field(default_factory=Counter)  # check name -> times it ran
    stateful_links: int = 0  # links between operations the stateful phase could follow
    stateful_scenarios: int = 0
    stateful_steps: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total_cases(self) -> int:
        return sum(self.cases.values())

    def short_of(self, minimum: int) -> dict[str, int]:
        """Operations with fewer than ``minimum`` cases: label -> how many they had."""
        cases = self.cases
        return {label: cases[label] for label in self.operations if cases[label] < minimum}

    def fewest(self) -> tuple[str, int]:
        label = min(self.operations, key=lambda name: (self.cases[name], name))
        return label, self.cases[label]


def run_engine(config_data: dict, *, base_url: str, figures: RunFigures, only=None) -> None:
    """Run the engine on the schema at ``base_url`` (``only`` these operations, if given)."""
    import schemathesis
    from schemathesis import engine
    from schemathesis.engine import Status, events
    from schemathesis.engine.run import PhaseName

    config = schemathesis.Config.from_dict(config_data)
    schema = schemathesis.openapi.from_url(base_url + SCHEMA_PATH, config=config)
    if not figures.operations:
        figures.operations = [result.ok().label for result in schema.get_all_operations()]
    if only is not None:
        schema = schema.include(name=list(only))
    started = time.monotonic()
    for event in engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            if event.phase == PhaseName.STATEFUL_TESTING:
                figures.stateful_scenarios += 1
                figures.stateful_steps += sum(1 for checks in recorder.checks.values() if checks)
            for case_id, node in recorder.cases.items():
                # A case is a request whose answer was checked; probes that a check sent
                # (the same request without credentials, say) are part of their case.
                if recorder.checks.get(case_id):
                    figures.cases[node.value.operation.label] += 1
                    figures.cases_by_phase[event.phase.value] += 1
            for checks in recorder.checks.values():
                for check in checks:
                    figures.checks_run[check.name] += 1
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        figures.failures.append(
                            f"[{event.phase.value}] {check.name}: {failure.operation}: "
                            f"{failure.title}\n{failure.message}\n"
                            f"{check.failure_info.code_sample}"
                        )
                    elif check.status == Status.ERROR:
                        figures.errors.append(f"[{event.phase.value}] {check.name} errored")
        elif isinstance(event, events.PhaseStarted) and isinstance(
            event.payload, events.StatefulPhasePayload
        ):
            figures.stateful_links = max(figures.stateful_links, event.payload.transitions_total)
        elif isinstance(event, events.NonFatalError):
            figures.errors.append(f"[{event.phase}] {event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            figures.errors.append(f"fatal: {event.exception!r}")
    figures.seconds += time.monotonic() - started
