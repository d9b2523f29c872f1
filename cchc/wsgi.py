"""The WSGI application, for `cchc serve` (waitress) or any other WSGI server
(`cchc.wsgi:application`)."""

import os

from django.core.wsgi import get_wsgi_application

from cchc.cli import load_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
load_settings()
application = get_wsgi_application()
