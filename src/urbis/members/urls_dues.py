"""Dues and review pages, included under /members/dues/ by members/urls.py."""

from django.urls import path

from urbis.members import views_dues

urlpatterns = [
    path("dues/invoices/", views_dues.invoices, name="dues-invoices"),
    path("dues/invoices/issue/", views_dues.invoices_issue_view, name="dues-invoices-issue"),
    path("dues/payments/import/", views_dues.payments_import_view, name="dues-payments-import"),
    path("dues/invoices/<str:number>.pdf", views_dues.invoice_pdf, name="dues-invoice-pdf"),
    path("dues/mine/", views_dues.my_invoices, name="dues-mine"),
    path("dues/review/", views_dues.review, name="dues-review"),
    path("dues/review/flag/", views_dues.review_flag, name="dues-review-flag"),
    path("dues/review/approve/", views_dues.review_approve, name="dues-review-approve"),
    path(
        "dues/between-assemblies/",
        views_dues.between_assemblies,
        name="dues-between-assemblies",
    ),
    path("dues/ledger/<slug:slug>/", views_dues.ledger_page, name="dues-ledger"),
    path("dues/ledger/<slug:slug>/part/", views_dues.ledger_fragment, name="dues-ledger-part"),
]
