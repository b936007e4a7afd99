"""Writes of dues: the ledger (ledger.py) and status reviews (review.py)."""

from urbis.dues.domain.review import review_apply, review_apply_for_decision

__all__ = ["review_apply", "review_apply_for_decision"]
