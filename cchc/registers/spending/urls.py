from django.urls import path

from ..common.views import standard_views
from . import views

shared = standard_views("spending")
urlpatterns = [
    path("", views.expense_list, name="spending_list"),
    path("them/", views.expense_add, name="spending_add"),
    path("ke-hoach/<int:pk>/", views.plan_summary, name="spending_plan"),
    path("<int:pk>/", views.expense_detail, name="spending_detail"),
    path("<int:pk>/sua/", views.expense_edit, name="spending_edit"),
    path("<int:pk>/xoa/", views.expense_delete, name="spending_delete"),
    path("<int:pk>/dinh-kem/", views.expense_attach, name="spending_attach"),
    path("nhap-excel/", shared["import"], name="spending_import"),
    path("nhap-excel/<int:pk>/", shared["import_preview"], name="spending_import_preview"),
    path("nhap-excel/<int:pk>/xac-nhan/", shared["import_confirm"], name="spending_import_confirm"),
    path("nhap-excel/<int:pk>/huy/", shared["import_discard"], name="spending_import_discard"),
]
