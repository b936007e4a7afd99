"""Conflicts and assignment, vectorised.

Rules §6 (conflicts) and §5 (each application gets the target number of reviews, the load
is spread evenly over the evaluators).

`assign_optimal` is the assignment the prize uses: an exact optimum that maximises the
evaluators' fit subject to the conflicts, the reviews per application and a load balance
of max - min <= 1, solved as a minimum-cost flow (`flow.py`) for an integral fit and as a
linear programme (HiGHS through `scipy.optimize`) otherwise. `assign` is the earlier
round-robin with swaps, kept as the baseline the benchmark compares against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse

from urbis.prize.scoring import flow

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


class AssignmentError(ValueError):
    """The assignment asked for cannot be made (too few evaluators free of conflict)."""

    def __init__(self, message: str, row: int | None = None, evaluator: int | None = None) -> None:
        super().__init__(message)
        self.row = row
        self.evaluator = evaluator


@dataclass(frozen=True)
class Solution:
    grid: IntArray  # (applications x reviews) evaluator indices
    fit: float  # the total fit of the assigned pairs
    loads: IntArray  # reviews per evaluator


def balanced_bounds(total: int, evaluators: int) -> tuple[int, int]:
    """The only loads with max - min <= 1 that add up to `total`: floor and ceiling of
    the mean."""
    low, rest = divmod(total, evaluators)
    return low, low + (1 if rest else 0)


def assign_optimal(
    conflicts: BoolArray,
    reviews: int,
    fit: FloatArray | None = None,
    *,
    method: str = "flow",
) -> Solution:
    """The assignment of greatest total fit with `reviews` distinct evaluators per
    application, no conflicted pair, and loads of max - min <= 1 among the evaluators who
    can take any application (those in conflict with every application take none).

    Exact: applications with the same conflicts and the same fit row are interchangeable,
    so the solver counts how many of each class go to each evaluator (a transportation
    problem): as a minimum-cost maximum flow when the fit is integral (`method="flow"`,
    the rules' fit always is), else, or with `method="programme"`, as a linear programme
    solved by HiGHS through `scipy.optimize`. Both reach the same greatest total fit; when
    several assignments share it, they may pick different ones. A class's counts are then
    dealt out cyclically over its applications, which keeps each application's
    evaluators distinct because no evaluator takes more of a class than it has members.
    When no balanced assignment exists, AssignmentError says which constraint prevents it.
    """
    if method not in {"flow", "programme"}:
        raise ValueError(f"method: {method!r} is not 'flow' or 'programme'.")
    conflicts = np.asarray(conflicts, dtype=bool)
    n, m = conflicts.shape
    if reviews < 1:
        raise AssignmentError("The number of reviews per application must be at least 1.")
    free_per_app = (~conflicts).sum(axis=1)
    short = np.flatnonzero(free_per_app < reviews)
    if short.size:
        i = int(short[0])
        raise AssignmentError(
            f"Application row {i} has {int(free_per_app[i])} evaluator(s) free of conflict; "
            f"it needs {reviews}.",
            row=i,
        )
    if n == 0:
        return Solution(np.zeros((0, reviews), dtype=np.int64), 0.0, np.zeros(m, np.int64))
    fit_matrix = np.zeros((n, m)) if fit is None else np.asarray(fit, dtype=float)
    capable = np.flatnonzero((~conflicts).any(axis=0))
    low, high = balanced_bounds(n * reviews, capable.size)
    free_per_ev = (~conflicts[:, capable]).sum(axis=0)
    weak = np.flatnonzero(free_per_ev < low)
    if weak.size:
        j = int(capable[weak[0]])
        raise AssignmentError(
            f"Evaluator column {j} is free of conflict with only {int(free_per_ev[weak[0]])} "
            f"application(s); a balanced load (max - min <= 1) needs {low} to {high} each.",
            evaluator=j,
        )
    # Classes of interchangeable applications.
    allowed = ~conflicts[:, capable]
    rows = np.ascontiguousarray(np.where(allowed, fit_matrix[:, capable], -np.inf))
    # Each row as one opaque byte string: equal rows are equal strings, and sorting the
    # strings is several times faster than `np.unique(..., axis=0)`'s field-by-field order.
    whole = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    unique_rows, member_of, sizes = np.unique(whole, return_inverse=True, return_counts=True)
    classes = unique_rows.view(rows.dtype).reshape(-1, rows.shape[1])
    member_of = member_of.ravel()
    cls, col = np.nonzero(np.isfinite(classes))
    n_cls, k = classes.shape[0], capable.size
    gain = classes[cls, col]
    if method == "flow" and np.array_equal(gain, np.rint(gain)):
        x = _flow_counts(cls, col, gain.astype(np.int64), sizes, n_cls, k, reviews, low, high)
    else:
        x = _programme_counts(cls, col, gain, sizes, n_cls, k, reviews, low, high)
    grid = np.empty((n, reviews), dtype=np.int64)
    members = np.argsort(member_of, kind="stable")
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    bounds = np.searchsorted(cls, np.arange(n_cls + 1))  # cls is sorted (row-major)
    for c in range(n_cls):
        apps = members[starts[c] : starts[c] + sizes[c]]
        chosen = np.arange(bounds[c], bounds[c + 1])
        sequence = np.repeat(capable[col[chosen]], x[chosen])
        slot = np.arange(sequence.size)
        grid[apps[slot % sizes[c]], slot // sizes[c]] = sequence
    total_fit = float(fit_matrix[np.arange(n)[:, None], grid].sum())
    return Solution(grid, total_fit, loads(grid, m))


def _flow_counts(
    cls: IntArray,
    col: IntArray,
    gain: IntArray,
    sizes: IntArray,
    n_cls: int,
    k: int,
    reviews: int,
    low: int,
    high: int,
) -> IntArray:
    """How many applications of each class go to each evaluator, as a minimum-cost maximum
    flow (integer fit): source -> class (its reviews) -> evaluator (at most the class's
    size, so an application's evaluators can be distinct) -> sink. Each evaluator reaches
    the sink through an arc of capacity `low` and, for the one review above it, through a
    shared node whose arc to the sink carries only the reviews left over once every
    evaluator has `low`: a flow that carries every review therefore gives every evaluator
    `low` or `high`. Costs are the fit subtracted from the greatest fit (non-negative; every
    review crosses exactly one class-evaluator arc, so the least cost is the greatest fit)."""
    total = int(sizes.sum()) * reviews
    source, spare, sink = 0, 1 + n_cls + k, 2 + n_cls + k
    evs = 1 + n_cls + np.arange(k)
    tail = np.concatenate([np.zeros(n_cls, np.int64), 1 + cls, evs, evs, [spare]])
    head = np.concatenate(
        [1 + np.arange(n_cls), 1 + n_cls + col, np.full(k, sink), np.full(k, spare), [sink]]
    )
    capacity = np.concatenate(
        [sizes * reviews, sizes[cls], np.full(k, low), np.full(k, high - low), [total - k * low]]
    ).astype(np.int64)
    best = int(gain.max()) if gain.size else 0
    cost = np.concatenate([np.zeros(n_cls), best - gain, np.zeros(2 * k + 1)]).astype(np.int64)
    used = capacity > 0
    moved = np.zeros(capacity.size, dtype=np.int64)
    moved[used] = flow.min_cost_max_flow(
        sink + 1, tail[used], head[used], capacity[used], cost[used], source, sink
    )
    if int(moved[:n_cls].sum()) < total:
        a_cls, a_ev, need = _class_matrices(cls, col, sizes, n_cls, k, reviews)
        raise AssignmentError(_why_unbalanced(a_cls, a_ev, need, sizes[cls], low, high))
    return moved[n_cls : n_cls + cls.size]


def _class_matrices(
    cls: IntArray, col: IntArray, sizes: IntArray, n_cls: int, k: int, reviews: int
) -> tuple[sparse.csr_matrix, sparse.csr_matrix, FloatArray]:
    var = np.arange(cls.size)
    a_cls = sparse.csr_matrix((np.ones(cls.size), (cls, var)), shape=(n_cls, cls.size))
    a_ev = sparse.csr_matrix((np.ones(cls.size), (col, var)), shape=(k, cls.size))
    return a_cls, a_ev, sizes.astype(float) * reviews


def _programme_counts(
    cls: IntArray,
    col: IntArray,
    gain: FloatArray,
    sizes: IntArray,
    n_cls: int,
    k: int,
    reviews: int,
    low: int,
    high: int,
) -> IntArray:
    """The same counts as a linear programme (HiGHS), for a fit that is not integral."""
    a_cls, a_ev, need = _class_matrices(cls, col, sizes, n_cls, k, reviews)
    n_vars = cls.size
    # The constraint matrix is that of a transportation problem (totally unimodular) and
    # the bounds are integers, so the simplex's vertex solution is integral; its
    # integrality is checked, and the integer programme is the fallback.
    cost = -gain
    lp = optimize.linprog(
        cost,
        A_ub=sparse.vstack([a_ev, -a_ev]).tocsr(),
        b_ub=np.concatenate([np.full(k, float(high)), np.full(k, -float(low))]),
        A_eq=a_cls,
        b_eq=need,
        bounds=np.column_stack([np.zeros(n_vars), sizes[cls].astype(float)]),
        method="highs-ds",
    )
    if lp.status == 2:
        raise AssignmentError(_why_unbalanced(a_cls, a_ev, need, sizes[cls], low, high))
    if lp.status != 0 or lp.x is None or np.abs(lp.x - np.rint(lp.x)).max() > 1e-6:
        result = optimize.milp(
            cost,
            constraints=[
                optimize.LinearConstraint(a_cls, need, need),
                optimize.LinearConstraint(a_ev, np.full(k, low), np.full(k, high)),
            ],
            integrality=np.ones(n_vars),
            bounds=optimize.Bounds(np.zeros(n_vars), sizes[cls].astype(float)),
        )
        if result.status != 0 or result.x is None:
            raise AssignmentError(_why_unbalanced(a_cls, a_ev, need, sizes[cls], low, high))
        lp = result
    return np.rint(lp.x).astype(np.int64)


def _why_unbalanced(
    a_cls: sparse.csr_matrix,
    a_ev: sparse.csr_matrix,
    need: FloatArray,
    upper: npt.NDArray[np.int64],
    low: int,
    high: int,
) -> str:
    """Which side of the balance the conflicts break: the minimum load (some evaluators
    cannot all reach it) or the maximum (some applications crowd onto too few
    evaluators)."""
    n_vars = a_cls.shape[1]
    k = a_ev.shape[0]

    def feasible(ev_low: float, ev_high: float) -> bool:
        res = optimize.milp(
            np.zeros(n_vars),
            constraints=[
                optimize.LinearConstraint(a_cls, need, need),
                optimize.LinearConstraint(a_ev, np.full(k, ev_low), np.full(k, ev_high)),
            ],
            bounds=optimize.Bounds(np.zeros(n_vars), upper.astype(float)),
        )
        return bool(res.status == 0)

    if not feasible(0, high):
        return (
            "No balanced assignment exists: the conflicts leave some applications so few "
            f"evaluators that one of them would need more than {high} review(s) "
            "(the maximum load)."
        )
    if not feasible(low, np.inf):
        return (
            "No balanced assignment exists: the conflicts leave some evaluators too few "
            f"applications to reach {low} review(s) each (the minimum load)."
        )
    return (
        "No balanced assignment exists: the conflicts allow loads of "
        f"at least {low} for every evaluator, or at most {high}, but not both in one assignment."
    )


def _codes(app_values: list[str], ev_values: list[str]) -> tuple[IntArray, IntArray]:
    """Integer codes shared by both sides; the empty value gets -1 (never equal)."""
    vocab: dict[str, int] = {}
    for v in (*app_values, *ev_values):
        if v:
            vocab.setdefault(v, len(vocab))
    app = np.fromiter((vocab.get(v, -1) if v else -1 for v in app_values), np.int64)
    ev = np.fromiter((vocab.get(v, -2) if v else -2 for v in ev_values), np.int64)
    return app, ev


def conflict_mask(app_ties: dict[str, list[str]], ev_ties: dict[str, list[str]]) -> BoolArray:
    """Rules §6: an (applications x evaluators) mask, True where they share a city, an
    organisation or a country. `*_ties` map a tie name ('city', 'organisation',
    'country') to one normalised value per row ('' when unknown)."""
    n = len(next(iter(app_ties.values()))) if app_ties else 0
    m = len(next(iter(ev_ties.values()))) if ev_ties else 0
    mask = np.zeros((n, m), dtype=bool)
    for tie in app_ties.keys() & ev_ties.keys():
        a, e = _codes(app_ties[tie], ev_ties[tie])
        mask |= a[:, None] == e[None, :]
    return mask


def assign(conflicts: BoolArray, reviews: int, *, seed: int = 0) -> IntArray:
    """Assign `reviews` distinct evaluators to each application, never a conflicted one,
    with loads that differ by at most one among the evaluators who can take any.

    `conflicts` is (applications x evaluators). Returns an (applications x reviews) array
    of evaluator indices. Evaluators in conflict with every application take none. The
    start is a round-robin over a seeded permutation of the others (balanced by
    construction, distinct within a row while reviews <= evaluators); each conflicted cell
    is then repaired by swapping it with a cell of another row, which keeps every load
    unchanged. Only when no swap exists does the cell move to the least-loaded free
    evaluator (the balance may then exceed one). Raises AssignmentError when an
    application has fewer free evaluators than reviews.
    """
    n, m = conflicts.shape
    if reviews < 1:
        raise AssignmentError("The number of reviews per application must be at least 1.")
    short = np.flatnonzero((~conflicts).sum(axis=1) < reviews)
    if short.size:
        raise AssignmentError(
            f"Application row {int(short[0])} has fewer than {reviews} evaluators free of "
            "conflict.",
            row=int(short[0]),
        )
    if n == 0:
        return np.zeros((0, reviews), dtype=np.int64)
    available = np.flatnonzero(~conflicts.all(axis=0))
    rng = np.random.default_rng(seed)
    perm = available[rng.permutation(available.size)]
    slots = np.arange(n * reviews, dtype=np.int64)
    grid = perm[slots % perm.size].reshape(n, reviews).astype(np.int64)
    member = np.zeros((n, m), dtype=bool)
    rows = np.repeat(np.arange(n), reviews)
    member[rows, grid.ravel()] = True

    bad_rows, bad_cols = np.nonzero(conflicts[np.arange(n)[:, None], grid])
    flat = grid.ravel()  # a view: writes go to grid
    sample = rng.integers(0, n * reviews, size=(64, min(256, n * reviews)))
    for k, (i, j) in enumerate(zip(bad_rows.tolist(), bad_cols.tolist(), strict=True)):
        e = int(grid[i, j])
        if not conflicts[i, e]:
            continue  # already repaired through an earlier swap
        # Conflicts are sparse: a few random slots almost always hold a valid swap, so
        # try a sample before scanning every slot.
        t = _swap_slot(conflicts, member, flat, rows, i, e, sample[k % sample.shape[0]])
        if t < 0:
            t = _swap_slot(conflicts, member, flat, rows, i, e, None)
        if t >= 0:
            i2, j2 = divmod(t, reviews)
            e2 = int(grid[i2, j2])
            grid[i, j], grid[i2, j2] = e2, e
            member[i, e], member[i, e2] = False, True
            member[i2, e2], member[i2, e] = False, True
            continue
        load = np.bincount(flat, minlength=m)
        free = np.flatnonzero(~conflicts[i] & ~member[i])
        e2 = int(free[np.argmin(load[free])])
        grid[i, j] = e2
        member[i, e], member[i, e2] = False, True
    return grid


def _swap_slot(
    conflicts: BoolArray,
    member: BoolArray,
    flat: IntArray,
    rows: IntArray,
    i: int,
    e: int,
    subset: IntArray | None,
) -> int:
    """A slot whose evaluator may take row i's place of evaluator e and vice versa
    (first one in `subset`, or in all slots), or -1."""
    slots = subset if subset is not None else np.arange(flat.size)
    other, other_rows = flat[slots], rows[slots]
    ok = (
        ~conflicts[i, other]
        & ~member[i, other]
        & ~conflicts[other_rows, e]
        & ~member[other_rows, e]
    )
    hit = np.flatnonzero(ok)
    return int(slots[hit[0]]) if hit.size else -1


def loads(grid: IntArray, evaluators: int) -> IntArray:
    """How many reviews each evaluator carries."""
    return np.bincount(grid.ravel(), minlength=evaluators).astype(np.int64)
