"""Writes of dues: the ledger (ledger.py) and status reviews (review.py)."""
