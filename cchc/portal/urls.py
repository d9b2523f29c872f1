from django.urls import path

from . import online, views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    # The QR code on form 01 links here with ?ma=<code> (see cchc.dossiers).
    path("tra-cuu/", views.lookup, name="lookup"),
    # The follow-up link (after the code + phone check): docs/online.md §5.
    path("theo-doi/<str:code>/", online.follow, name="follow"),
    path("theo-doi/<str:code>/bo-sung/", online.follow_supplement, name="follow_supplement"),
    path("theo-doi/<str:code>/rut-ho-so/", online.follow_withdraw, name="follow_withdraw"),
    path("theo-doi/<str:code>/ket-qua/", online.follow_result, name="follow_result"),
    path("<slug:slug>/", views.commune, name="commune"),
    path("<slug:slug>/tin-cchc/", views.news_list, name="news_list"),
    path("<slug:slug>/tin-cchc/<int:pk>/", views.news_detail, name="news_detail"),
    path("<slug:slug>/nop-truc-tuyen/", online.online_index, name="online_index"),
    path("<slug:slug>/nop-truc-tuyen/da-nop/", online.online_done, name="online_done"),
    path("<slug:slug>/nop-truc-tuyen/<int:pk>/", online.online_submit, name="online_submit"),
]
