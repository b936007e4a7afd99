"""The smart-city prize: editions, categories, committees, applications, evaluators,
assignments, rubric, rounds, scores and awards.

Models hold fields and constraints only: writes go through `domain`, reads through
`queries`, eligibility and conflict rules live in `rules.py`, and the numbers
(assignment, calibration, agreement, ranking, awards) in the pure NumPy `scoring` package.
The models are grouped as `editions` (an edition, its categories, committees, rubric and
rounds), `applications`, `evaluation` (evaluators, conflicts, assignments, scores, bids)
and `awards`; import them from here.
"""

from urbis.prize.models.applications import (
    Application,
    SupportingDocument,
    document_path,
)
from urbis.prize.models.awards import (
    Award,
    AwardKind,
)
from urbis.prize.models.editions import (
    ApplicantKind,
    Committee,
    CommitteeMember,
    Criterion,
    Edition,
    PrizeCategory,
    Round,
)
from urbis.prize.models.evaluation import (
    Assignment,
    Bid,
    Conflict,
    Evaluator,
    Score,
)

__all__ = [
    "ApplicantKind",
    "Application",
    "Assignment",
    "Award",
    "AwardKind",
    "Bid",
    "Committee",
    "CommitteeMember",
    "Conflict",
    "Criterion",
    "Edition",
    "Evaluator",
    "PrizeCategory",
    "Round",
    "Score",
    "SupportingDocument",
    "document_path",
]
