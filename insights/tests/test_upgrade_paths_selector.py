"""The upgrade-path selector: items ranked by upgrade depth, loops, dead ends and paths to
inactive or draft items marked, what each user may see, two queries at any size."""

from __future__ import annotations

import pytest

from catalog.tests.factories import ItemPathFactory
from insights.paths import product_paths
from insights.tests.paths_data import UP, add_rungs, build_ladder, module_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ladder(django_db_setup, django_db_blocker):
    with module_rows(django_db_blocker):
        yield build_ladder()


@pytest.fixture
def graph(ladder):
    return product_paths(ladder.product, user=ladder.vendor_user)


def by_mpn(graph):
    return {node.mpn: node for node in graph.nodes}


def edge(graph, ladder, source, target):
    (found,) = [
        e for e in graph.edges if (e.source, e.target) == (ladder.pk(source), ladder.pk(target))
    ]
    return found


def test_items_rank_by_the_longest_climb_of_upgrades_and_reversed_downgrades(graph):
    ranks = {mpn: node.rank for mpn, node in by_mpn(graph).items()}
    assert ranks == {
        "BASIC": 0,
        "STD": 1,
        "PRO": 2,
        "NEXT": 2,
        "ENT": 3,
        "LOOP-A": 0,
        "LOOP-B": 0,
        "LONELY": 0,
    }


def test_a_loop_of_upgrades_is_one_cycle_with_its_items_and_paths_marked(graph, ladder):
    assert graph.cycles == [[ladder.pk("LOOP-A"), ladder.pk("LOOP-B")]]
    nodes = by_mpn(graph)
    assert "cycle" in nodes["LOOP-A"].marks and "cycle" in nodes["LOOP-B"].marks
    assert "cycle" in edge(graph, ladder, "LOOP-A", "LOOP-B").marks
    assert "cycle" in edge(graph, ladder, "LOOP-B", "LOOP-A").marks


def test_an_upgrade_answered_by_a_downgrade_is_no_cycle(graph, ladder):
    assert "cycle" not in by_mpn(graph)["STD"].marks
    assert edge(graph, ladder, "PRO", "STD").marks == []


def test_a_downgrade_that_contradicts_an_upgrade_chain_is_a_cycle(ladder):
    # BASIC → STD → PRO by upgrades, and BASIC "downgrades" to PRO: PRO sits below BASIC.
    contradiction = ItemPathFactory(
        source=ladder.items["BASIC"], target=ladder.items["PRO"], kind="downgrade"
    )
    graph = product_paths(ladder.product, user=ladder.vendor_user)
    assert [ladder.pk("BASIC"), ladder.pk("PRO"), ladder.pk("STD")] in graph.cycles
    assert "cycle" in next(e for e in graph.edges if e.pk == contradiction.pk).marks


def test_an_item_a_path_leads_to_and_none_leaves_is_a_dead_end(graph):
    dead_ends = {node.mpn for node in graph.nodes if "dead_end" in node.marks}
    assert dead_ends == {"ENT", "NEXT"}  # LONELY has no path at all: not a dead end


def test_paths_to_end_of_sale_and_draft_items_are_marked(graph, ladder):
    assert edge(graph, ladder, "PRO", "ENT").marks == ["to_inactive"]
    assert edge(graph, ladder, "STD", "NEXT").marks == ["to_draft"]
    nodes = by_mpn(graph)
    assert nodes["ENT"].marks == ["dead_end", "inactive"]
    assert nodes["NEXT"].marks == ["dead_end", "draft"]
    assert graph.marks_used == ["cycle", "dead_end", "inactive", "draft", "to_inactive", "to_draft"]


def test_items_above_others_sit_in_their_rank_by_the_items_below_them(graph):
    rung = [node.mpn for node in graph.ranks[2]]
    assert rung == ["PRO", "NEXT"] or rung == ["NEXT", "PRO"]
    assert [node.position for node in graph.ranks[2]] == [0, 1]


def test_a_distributor_sees_no_draft_item_and_no_path_to_one(ladder):
    graph = product_paths(ladder.product, user=ladder.distributor_user)
    assert "NEXT" not in by_mpn(graph)
    assert all(ladder.pk("NEXT") not in (e.source, e.target) for e in graph.edges)
    assert "to_draft" not in graph.marks_used
    assert by_mpn(graph)["ENT"].marks == ["dead_end", "inactive"]  # end of sale: shown


def test_another_vendors_staff_see_an_empty_graph(ladder):
    graph = product_paths(ladder.product, user=ladder.other_vendor_user)
    assert graph.nodes == [] and graph.edges == [] and graph.cycles == []


def test_the_rows_list_each_items_upgrades_and_downgrades(graph):
    rows = {row.node.mpn: row for row in graph.rows()}
    assert [target.mpn for target, _edge in rows["STD"].upgrades] == ["NEXT", "PRO"]
    assert [target.mpn for target, _edge in rows["STD"].downgrades] == ["BASIC"]


@pytest.mark.parametrize("rungs", [2, 40])
def test_the_graph_costs_a_fixed_number_of_queries_at_any_size(
    ladder, rungs, django_assert_max_num_queries
):
    add_rungs(ladder.product, rungs)
    ItemPathFactory(source=ladder.items["LONELY"], target=ladder.items["BASIC"], kind=UP)
    user = ladder.distributor_user
    user.__dict__.pop("_catalog_membership", None)
    with django_assert_max_num_queries(3):  # membership, items, paths
        graph = product_paths(ladder.product, user=user)
    assert len(graph.nodes) == 7 + rungs
    assert graph.rank_count == max(5, rungs)  # LONELY now under BASIC
