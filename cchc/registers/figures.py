"""The registers' figures in the catalogue (each register declares its own in its
package; importing them here registers them when the catalogue is discovered)."""

from .communication import figures as communication
from .reviews import figures as procedure_reviews
from .training import figures as training

# Register key → the figures its overview card shows.
HEADLINES = {
    "procedure_reviews": procedure_reviews.HEADLINE,
    "training": training.HEADLINE,
    "communication": communication.HEADLINE,
}
