"""Every register's models, so that Django finds them in this app (each register
keeps its own in its package)."""

from .common.models import Attachment, RegisterRecord, SheetImport  # noqa: F401
from .communication.models import CommunicationItem  # noqa: F401
from .inspections.models import (  # noqa: F401
    Inspection,
    InspectionPlan,
    Recommendation,
    RecommendationEvent,
)
from .legal.models import Finding, LegalDocument, LegalDocumentEvent, ReviewRound  # noqa: F401
from .reviews.models import ProcedureReview, ProcedureReviewEvent  # noqa: F401
from .spending.models import Expense  # noqa: F401
from .training.models import Attendance, Course  # noqa: F401
