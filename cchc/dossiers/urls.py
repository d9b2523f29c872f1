from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tiep-nhan/", views.receive, name="receive"),
    path("tiep-nhan/giay-to/", views.receive_checklist, name="receive_checklist"),
    path("so-theo-doi/", views.register, name="register"),
    path("thong-ke/", views.stats, name="stats"),
    path("cap-nhat-han/", views.recompute, name="recompute"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/thao-tac/", views.act, name="act"),
    path("<str:code>/giay-to/", views.document_add, name="document_add"),
    path("<str:code>/giay-to/tai-su-dung/", views.document_reuse, name="document_reuse"),
    path("<str:code>/giay-to/<int:pk>/so-hoa/", views.document_digitise, name="document_digitise"),
    path("<str:code>/giay-to/<int:pk>/tai-ve/", views.document_download, name="document_download"),
    path("<str:code>/ket-qua/", views.result_attach, name="result_attach"),
    path("<str:code>/mau-<str:number>/", views.form_print, name="form"),
    path("<str:code>/mau-<str:number>.docx", views.form_docx, name="form_docx"),
]
