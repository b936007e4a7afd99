"""Factories for dues: invoices, payments, credit notes, review flags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from tests.factories.members import OrganisationFactory
from urbis.dues.models import CreditNote, Invoice, Payment, ReviewFlag


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    organisation = factory.SubFactory(OrganisationFactory)
    fiscal_year = 2022
    number = factory.LazyAttribute(lambda i: f"{i.fiscal_year}-{i.organisation.pk:06d}")
    issued_on = factory.LazyAttribute(lambda i: dt.date(i.fiscal_year, 1, 15))
    due_on = factory.LazyAttribute(lambda i: dt.date(i.fiscal_year, 3, 31))
    amount = Decimal("1000.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    organisation = factory.SubFactory(OrganisationFactory)
    received_on = dt.date(2022, 3, 1)
    amount = Decimal("1000.00")
    reference = factory.Sequence(lambda n: f"PAY-{n:05d}")


class CreditNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditNote

    invoice = factory.SubFactory(InvoiceFactory)
    number = factory.Sequence(lambda n: f"CN-{n:05d}")
    issued_on = dt.date(2022, 6, 1)
    amount = Decimal("100.00")
    reason = "Correction"


class ReviewFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewFlag

    organisation = factory.SubFactory(OrganisationFactory)
    code = ReviewFlag.Code.CEASED_TO_EXIST
    noted_on = dt.date(2023, 3, 1)


# The memorandum of the 6th GA, Annex 1 (seed report): suspensions of local governments
# (name -> country) and terminations of corporations (name -> reason), as printed.
INACTIVE = "No participation in WeGO activities and membership payment for {}."
SUSPENDED = {
    name: ("NG" if i < 7 else "SD")
    for i, name in enumerate(
        [
            "Donga", "Gassol", "Karim-Lamido", "Kurmi-Baissa", "Pupule Yorro", "Sardauna-Gembu",
            "Takum", "East Nile Locality", "Elkhawi Locality", "Gadarif City", "Gadarif State",
            "Gazira State", "Hasahisa Locality", "Kassala State", "North Kordofan State",
            "River Nile State", "Sennar State", "Shaikan Locality", "South Gezeera Locality",
            "Umelgoura Locality", "White Nile State", "Khartoum State",
        ]
    )
}  # fmt: skip
TERMINATED = {
    "Fantom Foundation": "These two entities do not exist anymore.",
    "LifeBlocs": "These two entities do not exist anymore.",
    "Danfoss": INACTIVE.format("4 years"),
    "SEADS": "Expressed withdrawal interest, withdrawal letter pending to be received.",
    **{n: INACTIVE.format("3 years") for n in [
        "GACHain Technology", "GEOMEXSOFT", "KBSYS", "SIIM", "UMAY", "WiniTech", "Winnertech"]},
    **{n: INACTIVE.format("2 years") for n in [
        "Haezoom Inc.", "Iconloop", "InsightAir", "Manageon", "Scanetchain", "Sycros", "TG",
        "USIS", "XnTree"]},
}  # fmt: skip
