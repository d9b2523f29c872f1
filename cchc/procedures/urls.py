from django.urls import path

from . import views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("<int:pk>/", views.procedure_detail, name="detail"),
    path("<int:pk>/sua/", views.procedure_edit, name="edit"),
    path("<int:pk>/bo-co-ra-soat/", views.review_clear, name="review_clear"),
    path("<int:pk>/cong-khai/", views.parts_review, name="parts_review"),
    path("<int:pk>/thanh-phan/<int:doc>/", views.document_update, name="document_update"),
    path("nhap/chi-tiet/", views.details_import, name="details_import"),
    path("can-ra-soat/", views.review_list, name="review"),
    path("nhap/", views.import_upload, name="import"),
    path("nhap/<int:pk>/", views.import_preview, name="import_preview"),
    path("nhap/<int:pk>/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("nhap/<int:pk>/huy/", views.import_discard, name="import_discard"),
    path("phan-cong/", views.rules, name="rules"),
    path("phan-cong/ap-dung/", views.rules_apply, name="rules_apply"),
    path("phan-cong/<int:pk>/xoa/", views.rule_delete, name="rule_delete"),
]
