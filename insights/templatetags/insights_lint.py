"""``{% offering_lint_panel offering %}``: the linter's findings for one offering, as a panel
on its change page (a fixed number of queries, ``insights.lint.lint_offering``)."""

from __future__ import annotations

from django import template

from insights.lint import error_count, lint_offering

register = template.Library()


@register.inclusion_tag("insights/lint_panel.html")
def offering_lint_panel(offering):
    findings = lint_offering(offering) if offering is not None and offering.pk else []
    errors = error_count(findings)
    return {"findings": findings, "errors": errors, "warnings": len(findings) - errors}
