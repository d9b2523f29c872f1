from django.conf import settings
from django.http import HttpRequest

from .nav import nav_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    items = nav_for(user) if user is not None else []
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.unread().count()
    return {"nav_items": items, "unread_notifications": unread, "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL}
