"""The registers, in menu order (importing a register's spec registers it)."""

from .communication.spec import SPEC as COMMUNICATION
from .reviews.spec import SPEC as PROCEDURE_REVIEWS
from .training.spec import SPEC as TRAINING

ALL = [PROCEDURE_REVIEWS, TRAINING, COMMUNICATION]
