"""Conflicts and assignment, vectorised.

Rules §6 (conflicts) and §5 (each application gets the target number of reviews, the load
is spread evenly over the evaluators).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class AssignmentError(ValueError):
    """The assignment asked for cannot be made (too few evaluators free of conflict)."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


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
