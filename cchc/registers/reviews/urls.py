from django.urls import path

from ..common.views import standard_views
from . import views

shared = standard_views("procedure_reviews")
urlpatterns = [
    path("", views.review_list, name="procedure_reviews_list"),
    path("them/", views.review_add, name="procedure_reviews_add"),
    path("<int:pk>/", views.review_detail, name="procedure_reviews_detail"),
    path("<int:pk>/sua/", views.review_edit, name="procedure_reviews_edit"),
    path("<int:pk>/ket-qua/", views.review_act, name="procedure_reviews_act"),
    path("<int:pk>/dinh-kem/", views.review_attach, name="procedure_reviews_attach"),
    path("nhap-excel/", shared["import"], name="procedure_reviews_import"),
    path("nhap-excel/<int:pk>/", shared["import_preview"], name="procedure_reviews_import_preview"),
    path("nhap-excel/<int:pk>/xac-nhan/", shared["import_confirm"], name="procedure_reviews_import_confirm"),
    path("nhap-excel/<int:pk>/huy/", shared["import_discard"], name="procedure_reviews_import_discard"),
]
