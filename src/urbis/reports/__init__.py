"""The activity report of a General Assembly, assembled read-only from every other app."""
