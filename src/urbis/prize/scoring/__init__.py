"""The prize's numbers as pure NumPy functions: no ORM, no Django.

- `assignment`: conflict masks and the exact, load-balanced assignment of evaluators.
- `flow`: minimum-cost maximum flow (primal-dual on SciPy's graph routines), its solver.
- `aggregate`: weighted totals, mean/median/trimmed/calibrated aggregation.
- `agreement`: Krippendorff's alpha (interval) per criterion, missing ratings allowed.
- `ranking`: the tie-break chain, advancement (top-k or threshold) per category.
- `awards`: allocation of Gold/Silver/Bronze and the other awards from a ranking.
"""
