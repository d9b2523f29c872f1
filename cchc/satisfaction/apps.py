from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    name = "cchc.satisfaction"
    label = "satisfaction"
    verbose_name = "Đánh giá sự hài lòng"
