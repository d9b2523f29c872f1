"""Every register's models, so that Django finds them in this app (each register
keeps its own in its package)."""

from .common.models import Attachment, RegisterRecord, SheetImport  # noqa: F401
from .communication.models import CommunicationItem  # noqa: F401
from .reviews.models import ProcedureReview, ProcedureReviewEvent  # noqa: F401
from .training.models import Attendance, Course  # noqa: F401
