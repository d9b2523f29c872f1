"""Figures of the communication register (docs/registers.md, "Tuyên truyền CCHC").

Every figure counts the items of the scope's communes whose date of
implementation (`on`) falls in the window, both ends included; filters: `channel`,
`topic`. A count is 0 when nothing was recorded (the register is the record: an
empty register means nothing was done, not that nothing is known).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum

from cchc.core.figures import Figure, Scope, register

from .models import Channel, CommunicationItem

SOURCE = (
    "Kế hoạch CCHC của xã (mục II.1c: đổi mới, đa dạng hóa hình thức tuyên truyền; mục V.6: Đài truyền thanh "
    "tăng thời lượng phát sóng); Nghị quyết 76/NQ-CP năm 2021 (Chương trình tổng thể CCHC 2021–2030); "
    "docs/registers.md"
)
FILTERS = frozenset({"channel", "topic"})


@dataclass(frozen=True)
class CommunicationCounts:
    items: int
    news: int
    radio: int
    radio_broadcasts: int
    radio_minutes: int
    conferences: int
    conference_audience: int
    visual: int
    printed: int
    social: int
    public: int


def records(scope: Scope) -> QuerySet[CommunicationItem]:
    qs = CommunicationItem.objects.filter(
        commune_id__in=scope.commune_ids, on__gte=scope.date_from, on__lte=scope.date_to
    )
    if scope.get("channel"):
        qs = qs.filter(channel=scope.get("channel"))
    if scope.get("topic"):
        qs = qs.filter(topic=scope.get("topic"))
    return qs


def _aggregates():
    radio = Q(channel=Channel.RADIO)
    return {
        "items": Count("id"),
        "news": Count("id", filter=Q(channel=Channel.NEWS)),
        "radio": Count("id", filter=radio),
        "radio_broadcasts": Sum("times", filter=radio),
        "radio_minutes": Sum(F("duration_minutes") * F("times"), filter=radio),
        "conferences": Count("id", filter=Q(channel=Channel.CONFERENCE)),
        "conference_audience": Sum("audience", filter=Q(channel=Channel.CONFERENCE)),
        "visual": Count("id", filter=Q(channel=Channel.VISUAL)),
        "printed": Count("id", filter=Q(channel=Channel.PRINT)),
        "social": Count("id", filter=Q(channel=Channel.SOCIAL)),
        "public": Count("id", filter=Q(is_public=True)),
    }


def _bundle(values: dict) -> CommunicationCounts:
    return CommunicationCounts(**{k: int(values.get(k) or 0) for k in _aggregates()})


def communication_counts(scope: Scope) -> CommunicationCounts:
    return _bundle(records(scope).aggregate(**_aggregates()))


def _by_commune(scope: Scope) -> dict[int, CommunicationCounts]:
    rows = {r["commune_id"]: r for r in records(scope).values("commune_id").annotate(**_aggregates())}
    return {cid: _bundle(rows.get(cid, {})) for cid in scope.commune_ids}


communication_counts.by_commune = _by_commune


def _figure(
    key: str, label: str, unit: str, definition: str, attr: str, channel: str | None = None
) -> Figure:
    def pick(counts: CommunicationCounts) -> int:
        return getattr(counts, attr)

    def rows(scope: Scope):
        qs = records(scope)
        return qs.filter(channel=channel) if channel else qs

    return Figure(
        key=key,
        label=label,
        unit=unit,
        definition=definition,
        source=SOURCE,
        provider=communication_counts,
        pick=pick,
        filters=FILTERS,
        records=rows,
    )


ITEMS = _figure(
    "communication.items",
    "Số tin, bài, hoạt động tuyên truyền CCHC",
    "lượt",
    "Số dòng của sổ theo dõi tuyên truyền CCHC có ngày thực hiện trong kỳ, mọi hình thức.",
    "items",
)
NEWS = _figure(
    "communication.news",
    "Số tin, bài về CCHC trên trang thông tin điện tử",
    "tin, bài",
    "Số tin, bài hình thức “trang thông tin điện tử” có ngày đăng trong kỳ.",
    "news",
    Channel.NEWS,
)
RADIO = _figure(
    "communication.radio",
    "Số tin, bài phát thanh về CCHC",
    "tin, bài",
    "Số tin, bài hình thức “phát thanh” có ngày phát trong kỳ (một tin phát nhiều lần tính một).",
    "radio",
    Channel.RADIO,
)
RADIO_BROADCASTS = _figure(
    "communication.radio_broadcasts",
    "Số lần phát thanh về CCHC",
    "lần",
    "Tổng số lần phát của các tin, bài phát thanh có ngày phát trong kỳ.",
    "radio_broadcasts",
    Channel.RADIO,
)
RADIO_MINUTES = _figure(
    "communication.radio_minutes",
    "Thời lượng phát thanh về CCHC",
    "phút",
    "Tổng thời lượng × số lần phát của các tin, bài phát thanh có ngày phát trong kỳ.",
    "radio_minutes",
    Channel.RADIO,
)
CONFERENCES = _figure(
    "communication.conferences",
    "Số hội nghị, tọa đàm, tập huấn tuyên truyền CCHC",
    "cuộc",
    "Số hoạt động hình thức “hội nghị, tọa đàm, tập huấn” tổ chức trong kỳ.",
    "conferences",
    Channel.CONFERENCE,
)
CONFERENCE_AUDIENCE = _figure(
    "communication.conference_audience",
    "Số lượt người dự hội nghị, tọa đàm tuyên truyền CCHC",
    "lượt người",
    "Tổng số người tham dự ghi trong sổ của các hội nghị, tọa đàm, tập huấn tổ chức trong kỳ.",
    "conference_audience",
    Channel.CONFERENCE,
)
VISUAL = _figure(
    "communication.visual",
    "Số đợt pano, áp phích, băng rôn tuyên truyền CCHC",
    "đợt",
    "Số dòng hình thức “pano, áp phích, băng rôn” có ngày thực hiện trong kỳ.",
    "visual",
    Channel.VISUAL,
)
PRINTED = _figure(
    "communication.printed",
    "Số đợt phát hành tờ rơi, tài liệu tuyên truyền CCHC",
    "đợt",
    "Số dòng hình thức “tờ rơi, tài liệu” có ngày thực hiện trong kỳ.",
    "printed",
    Channel.PRINT,
)
SOCIAL = _figure(
    "communication.social",
    "Số tin, bài tuyên truyền CCHC trên mạng xã hội",
    "tin, bài",
    "Số dòng hình thức “mạng xã hội, nhóm Zalo” có ngày đăng trong kỳ.",
    "social",
    Channel.SOCIAL,
)

FIGURES = [
    ITEMS,
    NEWS,
    RADIO,
    RADIO_BROADCASTS,
    RADIO_MINUTES,
    CONFERENCES,
    CONFERENCE_AUDIENCE,
    VISUAL,
    PRINTED,
    SOCIAL,
]
register(*FIGURES)

# Shown on the registers' overview page.
HEADLINE = [ITEMS, NEWS, RADIO_MINUTES, CONFERENCES]
