from django.urls import path

from . import views
from .importing import views as import_views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("tao/", views.plan_create, name="plan_create"),
    path("nhiem-vu-cua-bo-phan/", views.my_tasks, name="my_tasks"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/trang-thai/", views.plan_transition, name="plan_transition"),
    path("<int:pk>/chuyen-nam-sau/", views.plan_rollover, name="plan_rollover"),
    path("<int:pk>/kiem-tra-nam/", views.plan_check, name="plan_check"),
    path("<int:pk>/ke-hoach.docx", views.plan_document, name="plan_document"),
    path("<int:pk>/phu-luc.xlsx", views.plan_appendix, name="plan_appendix"),
    path("<int:pk>/linh-vuc/them/", views.area_add, name="area_add"),
    path("<int:pk>/linh-vuc/<int:area_pk>/", views.area_edit, name="area_edit"),
    path("<int:pk>/linh-vuc/<int:area_pk>/them-nhiem-vu/", views.task_add, name="task_add"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/sua/", views.task_edit, name="task_edit"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/xoa/", views.task_delete, name="task_delete"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/di-chuyen/", views.task_move, name="task_move"),
    path("<int:pk>/minh-chung/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("nhap/", import_views.import_upload, name="import_upload"),
    path("nhap/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("<int:pk>/tep-goc/<int:import_pk>/", import_views.import_source, name="import_source"),
]
