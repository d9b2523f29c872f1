"""Read-only queries on the catalogue, shared by the staff pages, the API and the
public transparency pages (the `portal` app uses `published_catalogue`)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from cchc.core.permissions import scoped
from cchc.core.text import clean_text, filter_by_search, search_key
from cchc.org.models import Unit, User

from .models import DocumentGroup, Procedure


def search_procedures(queryset: QuerySet, query: str | None) -> QuerySet:
    """Keep procedures whose code, name or field contains every word of `query`,
    ignoring diacritics, tone-mark placement and case ("ho tich" = "Hộ tịch");
    the exact code first, then those containing the whole phrase."""
    query = clean_text(query or "")
    if not search_key(query):
        return queryset
    phrase = search_key(query)
    queryset = filter_by_search(queryset, query)
    return queryset.annotate(
        relevance=Case(
            When(code=query, then=Value(0)),
            When(search_key__contains=phrase, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("relevance", "field", "name")


def catalogue_for(user: User, commune: Unit | None = None) -> QuerySet:
    """Procedures the user may read, optionally of one commune."""
    queryset = scoped(Procedure.objects.select_related("department", "commune"), user)
    if commune is not None:
        queryset = queryset.filter(commune=commune)
    return queryset


def catalogue_fields(queryset: QuerySet) -> list[str]:
    """The distinct fields (lĩnh vực) present, for filter drop-downs."""
    return sorted(
        {f for f in queryset.order_by().values_list("field", flat=True).distinct() if f},
        key=search_key,
    )


def published_catalogue(commune: Unit, q: str | None = None, field: str | None = None) -> QuerySet:
    """The commune's published procedures for citizens (no personal data involved):
    optionally searched (diacritic-insensitive, best matches first) and limited to
    one field; by field and name otherwise."""
    queryset = (
        Procedure.objects.filter(commune=commune, is_published=True)
        .select_related("department")
        .order_by("field", "name")
    )
    if field:
        queryset = queryset.filter(field=clean_text(field))
    return search_procedures(queryset, q)


def document_groups(procedure: Procedure) -> list[DocumentGroup]:
    """The published list in order, grouped by heading ("Giấy tờ phải nộp",
    "Trường hợp ủy quyền …", "Lưu ý"), for the staff page, the public page and the
    counter's checklist (where the officer picks the case)."""
    return procedure.document_groups()
