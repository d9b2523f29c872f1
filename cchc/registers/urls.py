from django.urls import include, path

from . import views
from .common import views as common

app_name = "registers"
urlpatterns = [
    path("", views.index, name="index"),
    path("tep/<int:pk>/", common.attachment_download, name="attachment_download"),
    path("tep/<int:pk>/xoa/", common.attachment_remove, name="attachment_remove"),
    path("ra-soat-tthc/", include("cchc.registers.reviews.urls")),
    path("dao-tao/", include("cchc.registers.training.urls")),
    path("tuyen-truyen/", include("cchc.registers.communication.urls")),
]
