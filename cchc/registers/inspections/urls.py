from django.urls import path

from ..common.views import standard_views
from . import views

shared = standard_views("inspections")
urlpatterns = [
    path("", views.inspection_list, name="inspections_list"),
    path("them/", views.inspection_add, name="inspections_add"),
    path("ke-hoach/<int:year>/", views.plan_page, name="inspections_plan"),
    path("kien-nghi/", views.recommendation_list, name="inspections_recommendations"),
    path("kien-nghi/<int:pk>/", views.recommendation_detail, name="inspections_recommendation"),
    path(
        "kien-nghi/<int:pk>/dinh-kem/", views.recommendation_attach, name="inspections_recommendation_attach"
    ),
    path("<int:pk>/", views.inspection_detail, name="inspections_detail"),
    path("<int:pk>/sua/", views.inspection_edit, name="inspections_edit"),
    path("<int:pk>/ket-qua/", views.inspection_act, name="inspections_act"),
    path("<int:pk>/xoa/", views.inspection_delete, name="inspections_delete"),
    path("<int:pk>/kien-nghi/", views.recommendation_add, name="inspections_recommendation_add"),
    path("<int:pk>/dinh-kem/", views.inspection_attach, name="inspections_attach"),
    path("nhap-excel/", shared["import"], name="inspections_import"),
    path("nhap-excel/<int:pk>/", shared["import_preview"], name="inspections_import_preview"),
    path("nhap-excel/<int:pk>/xac-nhan/", shared["import_confirm"], name="inspections_import_confirm"),
    path("nhap-excel/<int:pk>/huy/", shared["import_discard"], name="inspections_import_discard"),
]
