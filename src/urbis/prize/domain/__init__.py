"""Writes for the prize. Each function runs in one transaction and leaves an audit record.

The writes are grouped by concern: `editions` (an edition's settings), `applications`
(drafts, submission, triage), `evaluators` (appointment, expertise and bids, conflicts),
`rounds` (opening, assignment, closing), `reviews` (scores) and `awards` (allocation and
publishing). Import them from here.

Each takes a required `actor: Actor` that the edge has already authorised against the rules
of `prize/permissions.py`; the domain keeps only its own invariants (an evaluator declares,
bids and scores in their own name; the secretariat may draft after the call closes).
"""

from urbis.prize.domain.applications import (
    APPLICATION_FIELDS,
    application_save_draft,
    application_submit,
    application_triage,
)
from urbis.prize.domain.awards import (
    award_grant,
    awards_allocate,
    call_publish,
    results_publish,
    results_withdraw,
)
from urbis.prize.domain.editions import (
    edition_set_aggregation,
    edition_set_agreement_level,
    edition_settings_set,
)
from urbis.prize.domain.evaluators import (
    bids_save,
    conflict_declare,
    conflict_waive,
    conflicts_detect,
    evaluator_add,
)
from urbis.prize.domain.reviews import (
    review_save_draft,
    review_submit,
)
from urbis.prize.domain.rounds import (
    RoundClosed,
    assignments_generate,
    round_close,
    round_open,
)

__all__ = [
    "APPLICATION_FIELDS",
    "RoundClosed",
    "application_save_draft",
    "application_submit",
    "application_triage",
    "assignments_generate",
    "award_grant",
    "awards_allocate",
    "bids_save",
    "call_publish",
    "conflict_declare",
    "conflict_waive",
    "conflicts_detect",
    "edition_set_aggregation",
    "edition_set_agreement_level",
    "edition_settings_set",
    "evaluator_add",
    "results_publish",
    "results_withdraw",
    "review_save_draft",
    "review_submit",
    "round_close",
    "round_open",
]
