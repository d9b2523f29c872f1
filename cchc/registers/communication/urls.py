from django.urls import path

from ..common.views import standard_views
from . import views

shared = standard_views("communication")
urlpatterns = [
    path("", views.item_list, name="communication_list"),
    path("them/", views.item_add, name="communication_add"),
    path("<int:pk>/", views.item_detail, name="communication_detail"),
    path("<int:pk>/sua/", views.item_edit, name="communication_edit"),
    path("<int:pk>/xoa/", views.item_delete, name="communication_delete"),
    path("<int:pk>/dinh-kem/", views.item_attach, name="communication_attach"),
    path("nhap-excel/", shared["import"], name="communication_import"),
    path("nhap-excel/<int:pk>/", shared["import_preview"], name="communication_import_preview"),
    path("nhap-excel/<int:pk>/xac-nhan/", shared["import_confirm"], name="communication_import_confirm"),
    path("nhap-excel/<int:pk>/huy/", shared["import_discard"], name="communication_import_discard"),
]
