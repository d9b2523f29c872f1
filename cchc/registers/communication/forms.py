from __future__ import annotations

from django import forms

from cchc.org.models import Department

from ..common.forms import FilterForm, VersionedForm, date_field
from .models import Channel, Topic


class ItemForm(VersionedForm):
    channel = forms.ChoiceField(label="Hình thức", choices=[("", "— Chọn —"), *Channel.choices])
    topic = forms.ChoiceField(label="Chủ đề", choices=Topic.choices, initial=Topic.GENERAL)
    title = forms.CharField(label="Tiêu đề", max_length=300)
    on = date_field("Ngày thực hiện")
    duration_minutes = forms.IntegerField(
        label="Thời lượng (phút)", min_value=1, required=False, help_text="Bắt buộc với tin phát thanh."
    )
    times = forms.IntegerField(label="Số lần phát, đăng", min_value=1, initial=1)
    audience = forms.IntegerField(label="Số người tham dự", min_value=0, required=False)
    quantity = forms.IntegerField(label="Số lượng (bản, chiếc)", min_value=0, required=False)
    place = forms.CharField(label="Địa điểm", max_length=200, required=False)
    department = forms.ModelChoiceField(
        label="Bộ phận thực hiện", queryset=Department.objects.none(), required=False, empty_label="—"
    )
    summary = forms.CharField(label="Tóm tắt", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(
        label="Nội dung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Nội dung tin, bài; hiện trên trang công khai nếu chọn đăng công khai.",
    )
    link = forms.URLField(
        label="Đường dẫn (nếu đã đăng ở nơi khác)", max_length=500, required=False, assume_scheme="https"
    )
    is_public = forms.BooleanField(label="Đăng trên trang công khai của xã", required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(commune=commune)


class ItemFilterForm(FilterForm):
    date_field = "on"
    channel = forms.ChoiceField(label="Hình thức", choices=[("", "Tất cả"), *Channel.choices], required=False)
    topic = forms.ChoiceField(label="Chủ đề", choices=[("", "Tất cả"), *Topic.choices], required=False)
    public = forms.ChoiceField(
        label="Công khai", choices=[("", "Tất cả"), ("1", "Đăng công khai"), ("0", "Không")], required=False
    )

    def filter(self, qs, data: dict):
        if data.get("channel"):
            qs = qs.filter(channel=data["channel"])
        if data.get("topic"):
            qs = qs.filter(topic=data["topic"])
        if data.get("public") in ("0", "1"):
            qs = qs.filter(is_public=data["public"] == "1")
        return qs
