"""Pages of the prize, grouped by who uses them: `public`, `applicants` (and triage),
`evaluators` and `staff`. `urls.py` names them from here."""

from urbis.prize.views.applicants import (
    apply,
    document,
    my_applications,
    triage,
    triage_decide,
)
from urbis.prize.views.evaluators import (
    bids,
    my_reviews,
    review,
)
from urbis.prize.views.public import (
    CERTIFICATE_CSS,
    certificate,
    index,
    results,
)
from urbis.prize.views.staff import (
    MANAGE_ACTIONS,
    conflicts,
    manage,
    round_close,
    round_view,
    run_sheet,
)

__all__ = [
    "CERTIFICATE_CSS",
    "MANAGE_ACTIONS",
    "apply",
    "bids",
    "certificate",
    "conflicts",
    "document",
    "index",
    "manage",
    "my_applications",
    "my_reviews",
    "results",
    "review",
    "round_close",
    "round_view",
    "run_sheet",
    "triage",
    "triage_decide",
]
