"""Reads of dues: fees and the ledger (ledger.py), the status review preview (review.py)."""
