"""Shared foundations: regions, people, audit trail, roles, rendering helpers."""
