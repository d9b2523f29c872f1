from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    # Public (no log-in).
    path("", views.public_index, name="public_index"),
    path("gui/<slug:slug>/", views.public_submit, name="public_submit"),
    path("gui/<slug:slug>/da-gui/", views.public_done, name="public_done"),
    path("theo-doi/", views.public_follow, name="public_follow"),
    path("theo-doi/<str:code>/", views.public_status, name="public_status"),
    path("theo-doi/<str:code>/danh-gia/", views.public_rate, name="public_rate"),
    path("tra-loi/<slug:slug>/", views.public_answers, name="public_answers"),
    path("tra-loi/<slug:slug>/<int:pk>/", views.public_answer_detail, name="public_answer"),
    # Staff.
    path("quan-ly/", views.staff_list, name="list"),
    path("quan-ly/ghi-nhan/", views.staff_log, name="log"),
    path("quan-ly/thong-ke/", views.staff_stats, name="stats"),
    path("quan-ly/tep/<int:pk>/", views.attachment_download, name="attachment"),
    path("quan-ly/<str:code>/", views.staff_detail, name="detail"),
    path("quan-ly/<str:code>/thao-tac/", views.staff_act, name="act"),
]
