"""The import pages' forms: the upload, and the preview's corrections (one form for
the plan's texts, one per area, one per task, by prefix), rendered by the server so
that the page works without JavaScript."""

from __future__ import annotations

from django import forms

from cchc.core.forms import DayField
from cchc.org.models import Department

from ..forms import BootstrapMixin, TaskForm, _textarea
from ..models import AreaKind, Comparison, Recurrence, TimeFrame


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="Tệp kế hoạch",
        help_text="Word (.docx), PDF có lớp chữ (.pdf) hoặc văn bản (.txt).",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
    )
    year = forms.IntegerField(
        label="Năm kế hoạch",
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="Để trống: lấy năm ghi trong văn bản.",
    )


class HeaderForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="Năm kế hoạch", min_value=2000, max_value=2100)
    title = forms.CharField(label="Trích yếu", max_length=300)
    number = forms.CharField(label="Số", max_length=20, required=False)
    symbol = forms.CharField(label="Ký hiệu", max_length=40)
    issued_on = DayField(label="Ngày ban hành", required=False)
    basis = forms.CharField(label="Phần mở đầu (căn cứ)", required=False, widget=_textarea(3))
    purpose = forms.CharField(label="I.1. Mục đích", required=False, widget=_textarea(4))
    requirements = forms.CharField(label="I.2. Yêu cầu", required=False, widget=_textarea(4))
    reporting = forms.CharField(label="III. Chế độ báo cáo", required=False, widget=_textarea(4))
    budget = forms.CharField(label="IV. Kinh phí", required=False, widget=_textarea(3))
    responsibilities = forms.CharField(label="V. Tổ chức thực hiện", required=False, widget=_textarea(5))
    closing = forms.CharField(label="Đoạn kết", required=False, widget=_textarea(2))
    recipients = forms.CharField(label="Nơi nhận (mỗi nơi một dòng)", required=False, widget=_textarea(4))
    signer_title = forms.CharField(label="Chức danh ký", max_length=60, required=False)
    signer_name = forms.CharField(label="Họ tên người ký", max_length=150, required=False)


class AreaImportForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại lĩnh vực", choices=AreaKind.choices)
    title = forms.CharField(label="Tên lĩnh vực", max_length=300)
    intro = forms.CharField(label="Nội dung chung", required=False, widget=_textarea(2))


class TaskImportForm(BootstrapMixin, forms.Form):
    keep = forms.BooleanField(label="Giữ nhiệm vụ này", required=False)
    title = forms.CharField(label="Tên nhiệm vụ", max_length=300)
    content = forms.CharField(label="Nội dung", required=False, widget=_textarea(3))
    lead = forms.ModelChoiceField(label="Đơn vị chủ trì", queryset=Department.objects.none(), required=False)
    coordinating = forms.ModelMultipleChoiceField(
        label="Đơn vị phối hợp",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    coordinating_other = forms.CharField(label="Phối hợp khác", max_length=300, required=False)
    time_frame = forms.ChoiceField(label="Kiểu thời gian", choices=TimeFrame.choices)
    start_date = DayField(label="Từ ngày", required=False)
    end_date = DayField(label="Đến ngày / hạn")
    recurrence = forms.ChoiceField(label="Chu kỳ", choices=[("", "—"), *Recurrence.choices], required=False)
    recurrence_day = forms.IntegerField(label="Hạn trong tháng", min_value=1, max_value=31, required=False)
    output = forms.CharField(label="Sản phẩm", max_length=300, required=False)
    budget = forms.DecimalField(
        label="Kinh phí (đồng)", min_value=0, max_digits=14, decimal_places=0, required=False
    )
    target_metric = forms.ChoiceField(label="Chỉ tiêu đo", choices=(), required=False)
    target_comparison = forms.ChoiceField(
        label="So sánh", choices=[("", "—"), *Comparison.choices], required=False
    )
    target_value = forms.DecimalField(label="Giá trị", max_digits=8, decimal_places=2, required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        # The same target metrics as the task form (one list to change when it changes).
        self.fields["target_metric"].choices = TaskForm.base_fields["target_metric"].choices
        departments = Department.objects.filter(commune=commune).order_by("order", "name")
        self.fields["lead"].queryset = departments
        self.fields["coordinating"].queryset = departments
