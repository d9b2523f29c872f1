from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("so-sanh/", views.comparison, name="comparison"),
    path("xa/<int:commune_id>/", views.commune_detail, name="commune"),
    path("cong-chuc/", views.officers, name="officers"),
]
