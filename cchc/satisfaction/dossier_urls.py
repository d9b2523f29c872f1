"""The rating slip of a dossier, at the dossier's address (/ho-so/<code>/phieu-danh-gia/):
mounted under "ho-so/" in `cchc/urls.py`, next to the dossier pages."""

from django.urls import path

from . import views

app_name = "rating_slip"
urlpatterns = [
    path("<str:code>/phieu-danh-gia/", views.rating_slip, name="print"),
    path("<str:code>/phieu-danh-gia.docx", views.rating_slip_docx, name="docx"),
]
