"""`cchc serviceindex_load`: (re)load the item lists of the service index shipped in
cchc/serviceindex/data/ — after an upgrade that changes a file. Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from cchc.core.audit import acting_as
from cchc.serviceindex.loader import BadIndexFile, load_shipped
from cchc.serviceindex.models import IndexGroup, IndexItem, IndexVersion


class Command(BaseCommand):
    help = "Nạp (lại) các bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766) kèm theo phần mềm."

    def handle(self, *args, **options):
        try:
            with acting_as(None, "command:serviceindex_load"):
                versions = load_shipped(Version=IndexVersion, Group=IndexGroup, Item=IndexItem)
        except BadIndexFile as exc:
            raise CommandError(str(exc)) from None
        for v in versions:
            items = IndexItem.objects.filter(group__version=v).count()
            self.stdout.write(
                f"Bộ chỉ số {v.code} (áp dụng từ {v.effective_from:%d/%m/%Y}, tệp {v.data_file}): "
                f"{v.groups.count()} nhóm, {items} chỉ tiêu, tối đa {v.max_total} điểm."
            )
