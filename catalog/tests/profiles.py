"""How many cases the generating test families try: one profile for the whole run.

``TEST_PROFILE=dev`` (the default, for the README's command while you work) tries a share of
the cases; ``TEST_PROFILE=ci`` (set by ``.ci/run``) tries the full counts. Every family
still prints what it tried (``catalog.tests.generated.report``) and fails on 0.

Hypothesis has the same two profiles, registered in the root ``conftest.py``; tests that set
their own ``max_examples`` pass it through ``cases``.
"""

from __future__ import annotations

import os

PROFILES = {"dev": 0.25, "ci": 1.0}  # the share of the full counts each profile tries
PROFILE = os.environ.get("TEST_PROFILE", "dev")
if PROFILE not in PROFILES:
    raise RuntimeError(f"TEST_PROFILE must be one of {sorted(PROFILES)}, not {PROFILE!r}")


def cases(full: int, *, least: int = 5) -> int:
    """``full`` cases on the ci profile; a share of them, at least ``least``, on dev."""
    return max(min(least, full), round(full * PROFILES[PROFILE]))
