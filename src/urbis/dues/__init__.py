"""Dues: fee schedules, invoices, payments, credit notes, and the membership status review."""
