"""The registers' figures in the catalogue (each register declares its own in its
package; importing them here registers them when the catalogue is discovered)."""

from .communication import figures as communication
from .inspections import figures as inspections
from .legal import figures as legal
from .reviews import figures as procedure_reviews
from .spending import figures as spending
from .training import figures as training

# Register key → the figures its overview card shows.
HEADLINES = {
    "legal": legal.HEADLINE,
    "inspections": inspections.HEADLINE,
    "procedure_reviews": procedure_reviews.HEADLINE,
    "training": training.HEADLINE,
    "communication": communication.HEADLINE,
    "spending": spending.HEADLINE,
}
