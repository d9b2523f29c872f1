from django.urls import path

from ..common.views import standard_views
from . import views

shared = standard_views("training")
urlpatterns = [
    path("", views.course_list, name="training_list"),
    path("them/", views.course_add, name="training_add"),
    path("can-bo/", views.officials, name="training_officials"),
    path("can-bo/<int:user_pk>/", views.official_history, name="training_official"),
    path("nguoi-hoc/", views.person_history, name="training_person"),
    path("<int:pk>/", views.course_detail, name="training_detail"),
    path("<int:pk>/sua/", views.course_edit, name="training_edit"),
    path("<int:pk>/xoa/", views.course_delete, name="training_delete"),
    path("<int:pk>/dinh-kem/", views.course_attach, name="training_attach"),
    path("<int:pk>/nguoi-hoc/", views.attendance_add, name="training_attendance_add"),
    path("nguoi-hoc/<int:pk>/", views.attendance_edit, name="training_attendance_edit"),
    path("nguoi-hoc/<int:pk>/xoa/", views.attendance_delete, name="training_attendance_delete"),
    path("nguoi-hoc/<int:pk>/dinh-kem/", views.attendance_attach, name="training_attendance_attach"),
    path("nhap-excel/", shared["import"], name="training_import"),
    path("nhap-excel/<int:pk>/", shared["import_preview"], name="training_import_preview"),
    path("nhap-excel/<int:pk>/xac-nhan/", shared["import_confirm"], name="training_import_confirm"),
    path("nhap-excel/<int:pk>/huy/", shared["import_discard"], name="training_import_discard"),
]
