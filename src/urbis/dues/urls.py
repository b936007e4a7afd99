"""Dues and review pages, included under /dues/ by the project's URLs."""

from django.urls import path

from urbis.dues import views

app_name = "dues"

urlpatterns = [
    path("invoices/", views.invoices, name="invoices"),
    path("arrears/", views.arrears_page, name="arrears"),
    path("invoices/issue/", views.invoices_issue_view, name="invoices-issue"),
    path("payments/import/", views.payments_import_view, name="payments-import"),
    path("payments/statement/", views.statement_page, name="statement"),
    path("invoices/<str:number>.pdf", views.invoice_pdf, name="invoice-pdf"),
    path("invoices/<str:number>/", views.invoice_page, name="invoice"),
    path("invoices/<str:number>/payment/", views.invoice_payment, name="invoice-payment"),
    path(
        "invoices/<str:number>/credit-note/", views.invoice_credit_note, name="invoice-credit-note"
    ),
    path("credit-notes/<str:number>.pdf", views.credit_note_pdf, name="credit-note-pdf"),
    path("receipts/<str:number>.pdf", views.receipt_pdf, name="receipt-pdf"),
    path("mine/", views.my_invoices, name="mine"),
    path("review/", views.review, name="review"),
    path("review/flag/", views.review_flag, name="review-flag"),
    path("review/confirm/", views.review_confirm, name="review-confirm"),
    path("review/approve/", views.review_approve, name="review-approve"),
    path("review/notify/", views.review_notify, name="review-notify"),
    path(
        "between-assemblies/",
        views.between_assemblies,
        name="between-assemblies",
    ),
    path("ledger/<slug:slug>/", views.ledger_page, name="ledger"),
    path("ledger/<slug:slug>/part/", views.ledger_fragment, name="ledger-part"),
    path("ledger/<slug:slug>/payment/", views.ledger_payment, name="ledger-payment"),
]
