"""The registers' figures in the catalogue (each register declares its own in its
package; importing them here registers them when the catalogue is discovered)."""

from .communication import figures as communication

# Register key → the figures its overview card shows.
HEADLINES = {
    "communication": communication.HEADLINE,
}
