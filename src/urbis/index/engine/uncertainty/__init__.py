"""Monte Carlo uncertainty analysis, batched.

The uncertain inputs are one set of factors (`factor_set`), shared with the Sobol analysis:
the normalisation, the aggregation and the imputation method (each a uniform factor on [0,
1) cut into one slice per alternative) and one weight factor per child at every level the
spec declares uncertain (`weight_levels`; the weight multiplied by 1 - ε + 2ε·u). Each run
draws every factor uniformly, and — for survey shares — redraws each city's share with the
sampling error of a survey of `respondents` residents (binomial variance p(1 - p)/m, normal
approximation, rounded to whole respondents and kept within [0, 1]).

Runs that share the same method choices are evaluated together, a few at a time, as (runs,
indicators, cities) arrays through `pipeline.evaluate`, optionally on several threads (NumPy
releases the GIL in its array operations). Every chunk of runs has its own random stream
derived from (seed, chunk number), so a seed reproduces the same results whatever the number
of threads.

The package: `factors` (what varies and how factor values become runs), `sampling` (the
survey sampling error), `runs` (the batched evaluation) and `analysis` (the summary).
"""

from urbis.index.engine.uncertainty.analysis import (
    UncertaintyResult,
    analyse,
    rating_probabilities,
)
from urbis.index.engine.uncertainty.factors import (
    ALL_AGGREGATIONS,
    ALL_IMPUTATIONS,
    ALL_NORMALISATIONS,
    Choices,
    Factor,
    UncertaintySpec,
    choices_from_unit,
    draw_choices,
    factor_set,
)
from urbis.index.engine.uncertainty.runs import BATCH_RUNS, Simulation, simulate

__all__ = [
    "ALL_AGGREGATIONS",
    "ALL_IMPUTATIONS",
    "ALL_NORMALISATIONS",
    "BATCH_RUNS",
    "Choices",
    "Factor",
    "Simulation",
    "UncertaintyResult",
    "UncertaintySpec",
    "analyse",
    "choices_from_unit",
    "draw_choices",
    "factor_set",
    "rating_probabilities",
    "simulate",
]
