"""Statute rules of dues as pure functions (no ORM): fees (Annex 3) and the status review."""
