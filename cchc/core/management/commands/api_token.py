from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cchc.core import services
from cchc.core.audit import acting_as
from cchc.core.models import ApiToken


class Command(BaseCommand):
    help = "Khóa API: cchc api-token create|list|revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Tạo khóa cho một người dùng (in ra một lần duy nhất).")
        create.add_argument("username")
        create.add_argument("--name", default="")
        lst = sub.add_parser("list")
        lst.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="Thu hồi khóa theo đầu mã (cột 'đầu mã' trong list).")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **opts):
        with acting_as(None, "command:api-token"):
            if action == "create":
                user = get_user_model().objects.filter(username=opts["username"]).first()
                if user is None:
                    raise CommandError(f"Không có người dùng '{opts['username']}'.")
                try:
                    _, key = services.api_token_create(user=user, name=opts["name"])
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
                self.stdout.write(key)
                self.stderr.write("Lưu khóa này ngay: hệ thống chỉ giữ bản băm, không hiển thị lại.")
            elif action == "list":
                qs = ApiToken.objects.select_related("user")
                if opts.get("username"):
                    qs = qs.filter(user__username=opts["username"])
                for t in qs:
                    state = "thu hồi" if t.revoked_at else "hiệu lực"
                    used = t.last_used_at.isoformat(timespec="minutes") if t.last_used_at else "-"
                    self.stdout.write(
                        f"{t.key_prefix}  {t.user.username:<12} {state:<9} dùng: {used}  {t.name}"
                    )
            else:
                tokens = list(ApiToken.objects.active().filter(key_prefix__startswith=opts["prefix"]))
                if len(tokens) != 1:
                    raise CommandError(
                        "Không tìm thấy khóa đang hiệu lực với đầu mã này."
                        if not tokens
                        else "Đầu mã khớp nhiều khóa; nhập dài hơn."
                    )
                services.api_token_revoke(token=tokens[0])
                self.stdout.write(self.style.SUCCESS(f"Đã thu hồi khóa {tokens[0].key_prefix}…"))
