from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    # The QR code on form 01 links here with ?ma=<code> (see cchc.dossiers).
    path("tra-cuu/", views.lookup, name="lookup"),
    path("<slug:slug>/", views.commune, name="commune"),
    path("<slug:slug>/tin-cchc/", views.news_list, name="news_list"),
    path("<slug:slug>/tin-cchc/<int:pk>/", views.news_detail, name="news_detail"),
]
