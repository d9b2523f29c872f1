from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("tao/", views.report_create, name="create"),
    path("tinh-hinh-gui/", views.completeness, name="completeness"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/sua/", views.report_edit, name="edit"),
    path("<int:pk>/thao-tac/", views.report_action, name="action"),
    path("<int:pk>/bao-cao.docx", views.report_document, name="docx"),
    path("<int:pk>/so-lieu.xlsx", views.report_tables_xlsx, name="xlsx"),
    path("<int:pk>/phan/<int:section_pk>/", views.section_page, name="section"),
    path("<int:pk>/phan/<int:section_pk>/thao-tac/", views.section_action, name="section_action"),
    path("<int:pk>/phan/<int:section_pk>/giao/", views.section_assign, name="section_assign"),
    path(
        "<int:pk>/phan/<int:section_pk>/tep/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/phan/<int:section_pk>/tep/<int:attachment_pk>/xoa/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
