"""``manage.py lint_catalog --vendor SLUG`` prints the findings and exits 1 on any error-level
finding, 0 on warnings only or none, 2 for an unknown vendor."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pytest
from django.core.management import call_command, execute_from_command_line

from insights.tests.lint_builders import MISTAKES, clean_catalog

pytestmark = pytest.mark.django_db

CHANGES = {name: change for name, change, _codes in MISTAKES}


def run(*args) -> tuple[int, str]:
    """The command as a shell runs it: its exit status and what it printed."""
    out = io.StringIO()
    with redirect_stdout(out):
        try:
            execute_from_command_line(["manage.py", "lint_catalog", "--no-color", *args])
        except SystemExit as exit:
            return exit.code, out.getvalue()
    return 0, out.getvalue()


def test_a_clean_catalog_exits_0(vendor):
    clean_catalog(vendor)
    status, out = run("--vendor", vendor.slug)
    assert status == 0
    assert f"{vendor.name}: 0 error(s), 0 warning(s)." in out


def test_warnings_only_exit_0_and_are_printed_with_their_fix(vendor):
    catalog = clean_catalog(vendor)
    CHANGES["volume cliff"](catalog)
    status, out = run("--vendor", vendor.slug)
    assert status == 0
    assert f"Offering {catalog.offering.name}" in out
    assert "WARNING [volume_cliff] GB in rate 'Standard USD'" in out
    assert "Fix: Give the tier above 10 a flat amount" in out


def test_an_error_level_finding_exits_1(vendor, capsys):
    catalog = clean_catalog(vendor)
    CHANGES["contradicting upgrade paths"](catalog)
    status, out = run("--vendor", vendor.slug)
    assert status == 1
    assert "ERROR   [contradicting_paths] upgrade BASIC → LITE (Cloud northwind)" in out
    assert "1 error-level finding(s)" in capsys.readouterr().err


def test_json_lists_the_findings(vendor):
    catalog = clean_catalog(vendor)
    CHANGES["tiers with a gap"](catalog)
    out = io.StringIO()
    with pytest.raises(Exception) as excinfo:
        call_command("lint_catalog", vendor=vendor.slug, json=True, stdout=out)
    assert excinfo.value.returncode == 1
    (finding,) = json.loads(out.getvalue())
    assert finding["code"] == "tier_gap" and finding["severity"] == "error"


def test_an_unknown_vendor_exits_2_with_a_message(db, capsys):
    status, _out = run("--vendor", "nobody")
    assert status == 2
    assert "No vendor has the slug 'nobody'." in capsys.readouterr().err
