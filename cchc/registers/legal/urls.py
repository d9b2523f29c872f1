from django.urls import path

from ..common.views import standard_views
from . import views

shared = standard_views("legal")
urlpatterns = [
    path("", views.document_list, name="legal_list"),
    path("them/", views.document_add, name="legal_add"),
    path("he-thong-hoa/", views.systematisation_page, name="legal_systematisation"),
    path("ra-soat/", views.round_list, name="legal_rounds"),
    path("ra-soat/them/", views.round_add, name="legal_round_add"),
    path("ra-soat/<int:pk>/", views.round_detail, name="legal_round"),
    path("ra-soat/<int:pk>/sua/", views.round_edit, name="legal_round_edit"),
    path("ra-soat/<int:pk>/ket-qua/", views.finding_add, name="legal_finding_add"),
    path("ra-soat/<int:pk>/dinh-kem/", views.round_attach, name="legal_round_attach"),
    path("ket-qua-ra-soat/<int:pk>/", views.finding_edit, name="legal_finding"),
    path("<int:pk>/", views.document_detail, name="legal_detail"),
    path("<int:pk>/sua/", views.document_edit, name="legal_edit"),
    path("<int:pk>/tinh-trang/", views.document_act, name="legal_act"),
    path("<int:pk>/dinh-kem/", views.document_attach, name="legal_attach"),
    path("nhap-excel/", shared["import"], name="legal_import"),
    path("nhap-excel/<int:pk>/", shared["import_preview"], name="legal_import_preview"),
    path("nhap-excel/<int:pk>/xac-nhan/", shared["import_confirm"], name="legal_import_confirm"),
    path("nhap-excel/<int:pk>/huy/", shared["import_discard"], name="legal_import_discard"),
]
