"""Dues: fee schedules (statute data), invoices, payments, credit notes; review flags and runs.

Fields and constraints only: the fee rules are in `rules/fees.py`, the review rules in
`rules/review.py`, writes in `domain/ledger.py` and `domain/review.py`. The tables keep the
names they had when dues lived in the members app (`members_*`), so moving the code moved
no data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urbis.members.models import Organisation


class FeeSchedule(models.Model):
    """A fee schedule of Annex 3 with its effective date; `tables` holds its bands."""

    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    effective_from = models.DateField(db_index=True)
    currency = models.CharField(max_length=3, default="USD")
    source = models.TextField(blank=True)
    example = models.BooleanField(
        default=False, help_text="An illustrative schedule, not statute text."
    )
    choices = models.JSONField(
        default=list, blank=True, help_text="How the data closes defects of the printed text."
    )
    tables = models.JSONField(default=dict, help_text="Validated by rules.fees on every save.")
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "members_feeschedule"  # the table since before dues was its own app
        ordering = ["effective_from", "code"]

    def __str__(self) -> str:
        return f"{self.title} (from {self.effective_from})"


class Invoice(models.Model):
    """The membership fee of one member for one fiscal year (Art. 19: 1 Jan-31 Dec)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invoices"
    )
    fiscal_year = models.PositiveSmallIntegerField(db_index=True)
    number = models.CharField(max_length=30, unique=True)
    issued_on = models.DateField()
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    schedule = models.ForeignKey(
        FeeSchedule, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    explanation = models.TextField(blank=True)
    wording = models.TextField(
        blank=True, help_text="The fee explained in the member's words, as the invoice prints it."
    )
    illustrative = models.BooleanField(
        default=False, help_text="Demo history, not a real ledger entry."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "members_invoice"  # the table since before dues was its own app
        ordering = ["-fiscal_year", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="one_invoice_per_member_year"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoice_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.organisation} FY{self.fiscal_year}"


class Payment(models.Model):
    """Money received from a member, allocated to an invoice (or on account, invoice empty)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="payments"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    received_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    reference = models.CharField(max_length=80, blank=True)
    method = models.CharField(max_length=30, blank=True)
    receipt_number = models.CharField(max_length=30, blank=True)
    illustrative = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "members_payment"  # the table since before dues was its own app
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="unique_payment_reference"
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="unique_payment_receipt_number",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "received_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.amount} {self.currency} on {self.received_on}"


class CreditNote(models.Model):
    """A reduction of an invoice (waiver, correction), never a deletion."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField(max_length=30, unique=True)
    issued_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "members_creditnote"  # the table since before dues was its own app
        ordering = ["issued_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} on {self.invoice.number}"


class ReviewFlag(models.Model):
    """A manual reason for the status review, e.g. the entity no longer exists."""

    class Code(models.TextChoices):
        CEASED_TO_EXIST = "ceased_to_exist", "Entity no longer exists"
        UNREACHABLE = "unreachable", "No communication with the secretariat"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="review_flags"
    )
    code = models.CharField(max_length=20, choices=Code.choices)
    noted_on = models.DateField()
    note = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    illustrative = models.BooleanField(default=False)

    class Meta:
        db_table = "members_reviewflag"  # the table since before dues was its own app
        ordering = ["organisation_id", "noted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "noted_on"], name="unique_review_flag"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_code_display()} ({self.noted_on})"


class StatusReview(models.Model):
    """An applied status review: what was decided, by which decision, from which preview."""

    as_of = models.DateField()
    decision_ref = models.CharField(max_length=200)
    decided_on = models.DateField()
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    proposals = models.JSONField(default=list)

    class Meta:
        db_table = "members_statusreview"  # the table since before dues was its own app
        ordering = ["-applied_at"]

    def __str__(self) -> str:
        return f"Review as of {self.as_of} ({self.decision_ref})"


class DocumentSequence(models.Model):
    """The last number given to a kind of document (invoice, credit note, receipt) in a
    fiscal year. The next number is taken under this row's lock in the transaction that
    writes the document, so numbers have no gaps and no duplicates under concurrent issue:
    a transaction that fails rolls its number back with it."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")
        RECEIPT = "receipt", _("Receipt")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    fiscal_year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "fiscal_year"], name="unique_document_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.fiscal_year}: {self.last}"
