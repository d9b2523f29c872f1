"""The registers, in menu order (importing a register's spec registers it)."""

from .communication.spec import SPEC as COMMUNICATION

ALL = [COMMUNICATION]
