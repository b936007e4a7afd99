"""The exact assignment: balance where swaps fail, fit maximised, infeasibility
explained; and the domain wiring of expertise, bids and waived conflicts."""

import itertools

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from tests.factories.prize import ApplicationFactory, EvaluatorFactory, make_edition
from urbis.common.actor import Actor
from urbis.prize import domain, rules
from urbis.prize.models import Assignment, Bid
from urbis.prize.scoring import assignment, flow

# 3 applications, 6 evaluators, 2 reviews each (1 = conflict).
SWAPS_FAIL = np.array(
    [
        [1, 1, 1, 0, 0, 1],
        [0, 0, 1, 0, 0, 0],
        [1, 0, 0, 0, 0, 1],
    ],
    dtype=bool,
)


def _check(grid, conflicts, reviews):
    assert grid.shape == (conflicts.shape[0], reviews)
    assert not conflicts[np.arange(grid.shape[0])[:, None], grid].any()
    assert all(len(set(row)) == reviews for row in grid.tolist())


def test_swaps_leave_an_imbalance_the_exact_method_removes():
    old = assignment.assign(SWAPS_FAIL, 2, seed=0)
    _check(old, SWAPS_FAIL, 2)
    assert assignment.loads(old, 6).tolist() == [1, 1, 0, 1, 2, 1]
    solution = assignment.assign_optimal(SWAPS_FAIL, 2)
    _check(solution.grid, SWAPS_FAIL, 2)
    assert solution.loads.tolist() == [1, 1, 1, 1, 1, 1]


def test_balance_holds_on_random_instances_with_uneven_totals():
    rng = np.random.default_rng(7)
    conflicts = rng.random((40, 9)) < 0.2
    solution = assignment.assign_optimal(conflicts, 3)
    _check(solution.grid, conflicts, 3)
    assert sorted(set(solution.loads.tolist())) == [13, 14]  # 120 reviews over 9


def test_fit_is_maximised():
    conflicts = np.zeros((2, 3), dtype=bool)
    fit = np.array([[0.0, 3.0, 2.0], [5.0, 0.0, -3.0]])
    solution = assignment.assign_optimal(conflicts, 1, fit)
    # Loads must be 1,1,0 in some order: app 0 -> evaluator 1, app 1 -> evaluator 0.
    assert solution.grid.ravel().tolist() == [1, 0]
    assert solution.fit == 8.0


def test_fit_never_breaks_the_balance():
    conflicts = np.zeros((4, 2), dtype=bool)
    fit = np.array([[9.0, 0.0]] * 4)
    solution = assignment.assign_optimal(conflicts, 1, fit)
    assert solution.loads.tolist() == [2, 2]
    assert solution.fit == 18.0


def test_application_with_too_few_free_evaluators_is_named():
    conflicts = np.array([[0, 1, 1], [0, 0, 0]], dtype=bool)
    with pytest.raises(assignment.AssignmentError) as exc:
        assignment.assign_optimal(conflicts, 2)
    assert str(exc.value) == "Application row 0 has 1 evaluator(s) free of conflict; it needs 2."
    assert exc.value.row == 0


def test_evaluator_who_cannot_reach_the_minimum_load_is_named():
    # 5 applications x 2 reviews over 4 evaluators: loads 2 or 3; evaluator 0 is free of
    # conflict with one application only.
    conflicts = np.zeros((5, 4), dtype=bool)
    conflicts[1:, 0] = True
    with pytest.raises(assignment.AssignmentError) as exc:
        assignment.assign_optimal(conflicts, 2)
    assert str(exc.value) == (
        "Evaluator column 0 is free of conflict with only 1 application(s); a balanced load "
        "(max - min <= 1) needs 2 to 3 each."
    )
    assert exc.value.evaluator == 0


def test_maximum_load_prevents_the_balance():
    # Three applications can go to evaluator 3 only... and evaluator 3 may take one.
    conflicts = np.array([[1, 1, 1, 0], [0, 0, 1, 0], [1, 1, 1, 0]], dtype=bool)
    with pytest.raises(assignment.AssignmentError) as exc:
        assignment.assign_optimal(conflicts, 1)
    assert "more than 1 review(s) (the maximum load)" in str(exc.value)


def test_minimum_load_prevents_the_balance():
    conflicts = np.array(
        [
            [0, 1, 1, 1, 1],
            [0, 1, 1, 1, 0],
            [1, 1, 1, 1, 0],
            [0, 1, 1, 1, 0],
            [1, 0, 0, 1, 1],
        ],
        dtype=bool,
    )
    with pytest.raises(assignment.AssignmentError) as exc:
        assignment.assign_optimal(conflicts, 1)
    assert "to reach 1 review(s) each (the minimum load)" in str(exc.value)


def test_fit_rule():
    assert rules.fit(expertise=["Mobility"], areas=["mobility ", "health"], bid=None) == 2.0
    assert rules.fit(expertise=["mobility"], areas=["health"], bid="eager") == 3.0
    assert rules.fit(expertise=[], areas=["health"], bid="not_willing") == -3.0
    assert rules.fit(expertise=["health"], areas=["health"], bid="willing") == 3.0


@pytest.mark.django_db
def test_generate_follows_bids_and_expertise_and_names_the_evaluator(staff_user):
    edition = make_edition(2026, reviews=1)
    tech = edition.categories.get(code="tech-innovacity")
    a1 = ApplicationFactory(edition=edition, category=tech, areas=["mobility"], country="FR")
    a2 = ApplicationFactory(edition=edition, category=tech, areas=["health"], country="FR")
    e1 = EvaluatorFactory(edition=edition, expertise=["Health"], country="KR")
    e2 = EvaluatorFactory(edition=edition, expertise=[], country="KR")
    Bid.objects.create(evaluator=e2, application=a1, level="eager")
    for app in (a1, a2):
        domain.application_triage(actor=Actor.for_user(staff_user), application=app, eligible=True)
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    assert domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1) == 2
    pairs = set(Assignment.objects.filter(round=r1).values_list("application", "evaluator"))
    assert pairs == {(a1.pk, e2.pk), (a2.pk, e1.pk)}


@pytest.mark.django_db
def test_unbalanced_error_names_the_evaluator(staff_user):
    edition = make_edition(2026, reviews=2)
    apps = [ApplicationFactory(edition=edition, country="KR")]
    apps += [ApplicationFactory(edition=edition, country="FR") for _ in range(4)]
    for app in apps:
        domain.application_triage(actor=Actor.for_user(staff_user), application=app, eligible=True)
    EvaluatorFactory(edition=edition, country="FR", name="Eve")
    for name in ("Ana", "Bo", "Cy"):
        EvaluatorFactory(edition=edition, country="DE", name=name)
    domain.conflicts_detect(actor=Actor.for_user(staff_user), edition=edition)
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    with pytest.raises(ValidationError) as exc:
        domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    assert exc.value.message_dict == {
        "evaluators": [
            "Eve is free of conflict with only 1 application(s); a balanced load "
            "(max - min <= 1) needs 2 to 3 each."
        ]
    }
    assert not Assignment.objects.filter(round=r1).exists()


def _brute_force_best(conflicts, reviews, fit):
    """The greatest total fit over every balanced, conflict-free assignment, by listing
    them all (tiny instances only)."""
    n, m = conflicts.shape
    capable = (~conflicts).any(axis=0)
    low, high = assignment.balanced_bounds(n * reviews, int(capable.sum()))
    options = [
        [c for c in itertools.combinations(range(m), reviews) if not conflicts[i, list(c)].any()]
        for i in range(n)
    ]
    best = None
    for choice in itertools.product(*options):
        load = np.bincount(np.ravel(choice), minlength=m)[capable]
        if load.min() >= low and load.max() <= high:
            total = sum(fit[i, list(c)].sum() for i, c in enumerate(choice))
            best = total if best is None else max(best, total)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_flow_reaches_the_brute_force_optimum_and_the_programme(seed):
    rng = np.random.default_rng(seed)
    n, m, reviews = int(rng.integers(3, 6)), int(rng.integers(3, 6)), int(rng.integers(1, 3))
    conflicts = rng.random((n, m)) < 0.25
    fit = rng.choice([-3.0, 0.0, 1.0, 2.0, 3.0, 5.0], size=(n, m))
    best = _brute_force_best(conflicts, reviews, fit)
    if best is None:
        with pytest.raises(assignment.AssignmentError):
            assignment.assign_optimal(conflicts, reviews, fit)
        with pytest.raises(assignment.AssignmentError):
            assignment.assign_optimal(conflicts, reviews, fit, method="programme")
        return
    by_flow = assignment.assign_optimal(conflicts, reviews, fit)
    by_programme = assignment.assign_optimal(conflicts, reviews, fit, method="programme")
    for solution in (by_flow, by_programme):
        _check(solution.grid, conflicts, reviews)
        used = solution.loads[(~conflicts).any(axis=0)]
        assert used.max() - used.min() <= 1
    assert by_flow.fit == by_programme.fit == best


def test_flow_and_programme_agree_on_a_larger_instance():
    rng = np.random.default_rng(3)
    conflicts = rng.random((300, 25)) < 0.15
    fit = np.where(rng.random((300, 25)) < 0.3, 2.0, 0.0)
    bids = rng.random((300, 25)) < 0.05
    fit[bids] += rng.choice([3.0, 1.0, -3.0], size=int(bids.sum()))
    by_flow = assignment.assign_optimal(conflicts, 4, fit)
    by_programme = assignment.assign_optimal(conflicts, 4, fit, method="programme")
    _check(by_flow.grid, conflicts, 4)
    assert sorted(set(by_flow.loads.tolist())) == [48]
    assert by_flow.fit == by_programme.fit


def test_a_fractional_fit_is_solved_as_a_programme():
    conflicts = np.zeros((2, 3), dtype=bool)
    fit = np.array([[0.0, 3.5, 2.0], [5.25, 0.0, -3.0]])
    solution = assignment.assign_optimal(conflicts, 1, fit)
    assert solution.grid.ravel().tolist() == [1, 0]
    assert solution.fit == 8.75


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="'exact' is not 'flow' or 'programme'"):
        assignment.assign_optimal(np.zeros((1, 1), dtype=bool), 1, method="exact")


def test_min_cost_max_flow_on_a_hand_solved_network():
    # 0 -> 1 -> 3 and 0 -> 2 -> 3, plus 1 -> 2. Capacities 2 except 1 -> 3 (1);
    # costs: 0->1 1, 0->2 4, 1->2 1, 1->3 5, 2->3 1. Max flow 3; least cost: one unit
    # 0-1-3 (6), one 0-1-2-3 (3), one 0-2-3 (5) = 14.
    tail = np.array([0, 0, 1, 1, 2])
    head = np.array([1, 2, 2, 3, 3])
    capacity = np.array([2, 2, 2, 1, 2])
    cost = np.array([1, 4, 1, 5, 1])
    moved = flow.min_cost_max_flow(4, tail, head, capacity, cost, 0, 3)
    assert moved.tolist() == [2, 1, 1, 1, 2]
    assert int((moved * cost).sum()) == 14


def test_min_cost_max_flow_refuses_negative_costs_and_antiparallel_arcs():
    with pytest.raises(ValueError, match="non-negative"):
        flow.min_cost_max_flow(2, np.array([0]), np.array([1]), np.array([1]), np.array([-1]), 0, 1)
    with pytest.raises(ValueError, match="join the same two nodes"):
        flow.min_cost_max_flow(
            2, np.array([0, 1]), np.array([1, 0]), np.array([1, 1]), np.array([0, 0]), 0, 1
        )
