from django.urls import path

from . import views

app_name = "serviceindex"
urlpatterns = [
    path("", views.index, name="index"),
    path("cac-xa/", views.province, name="province"),
    path("xa/<int:commune_id>/chi-tieu/<str:code>/ho-so/", views.drilldown, name="drilldown"),
]
