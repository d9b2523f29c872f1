"""The registers, in menu order (importing a register's spec registers it)."""

from .communication.spec import SPEC as COMMUNICATION
from .inspections.spec import SPEC as INSPECTIONS
from .legal.spec import SPEC as LEGAL
from .reviews.spec import SPEC as PROCEDURE_REVIEWS
from .spending.spec import SPEC as SPENDING
from .training.spec import SPEC as TRAINING

ALL = [LEGAL, INSPECTIONS, PROCEDURE_REVIEWS, TRAINING, COMMUNICATION, SPENDING]
