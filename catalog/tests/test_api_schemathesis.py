"""Schemathesis against /api/schema/ on a test server, with a real token (issue #6).

Every operation, the checks below, at least ``MIN_CASES`` checked cases per operation and a
stateful run through the OpenAPI links schemathesis infers from the schema: zero failures.
Generation is deterministic (fixed seed, derandomized, no example database, no cache), so CI
sends the same requests every time.

On the ``ci`` profile (``catalog.tests.profiles``) the run is the engine's full one
(examples, coverage, fuzzing, stateful): the coverage phase enumerates boundary and invalid
values of every parameter and body field; operations it reaches fewer than ``MIN_CASES``
times (an id in the path is only so many values) are then fuzzed up to the minimum. The
``dev`` profile skips the coverage phase and fuzzes a quarter of the cases.
"""

from __future__ import annotations

import pytest

from catalog.tests.api_server import ApiServer
from catalog.tests.generated import report
from catalog.tests.profiles import PROFILE, cases
from catalog.tests.schemathesis_support import RunFigures, run_engine

pytestmark = pytest.mark.django_db

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "ignored_auth",
    "use_after_free",
)
MIN_CASES = cases(100)
FUZZ_EXAMPLES = cases(10)  # per operation in the first run, on top of the coverage phase
COVERAGE_PHASE = PROFILE == "ci"
SEED = 6
CLIENT_TIMEOUT = 60  # seconds: a slow hour of this machine is not a failure


def base_config(token: str) -> dict:
    return {
        "seed": SEED,
        "headers": {"Authorization": f"Token {token}"},
        "request-timeout": CLIENT_TIMEOUT,
        "workers": 1,
        "cache": {"enabled": False},
        "generation": {
            "max-examples": FUZZ_EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "phases": {"coverage": {"enabled": COVERAGE_PHASE}},
    }


def top_up_config(token: str, short: dict[str, int]) -> dict:
    """Fuzzing only, for the operations still short of ``MIN_CASES``: twice what they lack.

    Not every generated example becomes a request: with closed request bodies
    (``additionalProperties: false``) the generator discards some, so asking for exactly
    what is missing (plus a few) left some PATCH operations short of the minimum.
    """
    config = base_config(token)
    config["phases"] |= {
        "examples": {"enabled": False},
        "coverage": {"enabled": False},
        "stateful": {"enabled": False},
        # Ids drawn from the schema, not only from earlier answers: a DELETE would otherwise
        # run out of ids to try long before the minimum.
        "fuzzing": {"extra-data-sources": {"responses": False}},
    }
    config["operations"] = [
        {"include-name": label, "generation": {"max-examples": 2 * (MIN_CASES - count) + 5}}
        for label, count in short.items()
    ]
    return config


def describe(figures: RunFigures, server: ApiServer) -> str:
    fewest, fewest_count = figures.fewest()
    lines = [
        f"operations: {len(figures.operations)}",
        f"cases: {figures.total_cases} ({dict(figures.cases_by_phase)}), "
        f"fewest per operation: {fewest_count} ({fewest})",
        f"stateful: {figures.stateful_links} links, {figures.stateful_scenarios} scenarios, "
        f"{figures.stateful_steps} steps",
        f"checks run: {dict(figures.checks_run)}",
        f"requests answered: {server.requests} in {figures.seconds:.1f}s",
    ]
    return "\n".join(lines)


def test_schemathesis_finds_no_failure(demo_tokens, quiet_request_log, capsys):
    token = demo_tokens["northwind"]
    figures = RunFigures()
    with ApiServer() as server:
        run_engine(base_config(token), base_url=server.url, figures=figures)
        if short := figures.short_of(MIN_CASES):
            run_engine(
                top_up_config(token, short), base_url=server.url, figures=figures, only=short
            )

    with capsys.disabled():
        print(f"\nschemathesis against {len(figures.operations)} operations")
        print(describe(figures, server))
    report("schemathesis operations", len(figures.operations))
    report("schemathesis cases", figures.total_cases)
    report("schemathesis cases of the operation with fewest", figures.fewest()[1])
    report("schemathesis stateful steps", figures.stateful_steps)

    failures = "\n\n".join(figures.failures[:20])
    crashes = "\n\n".join(server.server_errors[:5])
    assert not figures.failures, f"{len(figures.failures)} failures:\n{failures}\n{crashes}"
    assert not server.server_errors, crashes
    assert not figures.errors, "\n\n".join(figures.errors[:10])
    assert figures.operations, "the schema has no operations"
    short = figures.short_of(MIN_CASES)
    assert not short, f"operations with fewer than {MIN_CASES} cases: {short}"
    assert figures.stateful_links > 0, "no OpenAPI links between operations"
    assert figures.stateful_steps > 0, "the stateful phase sent nothing"
    assert all(figures.checks_run[name] > 0 for name in CHECKS), figures.checks_run
