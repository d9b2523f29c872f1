"""One shape for every state machine of the product (dossiers, petitions, plans,
periodic reports, PAR-index assessments).

A workflow is a table of `Move`s: an action name, its Vietnamese label, the
statuses it may start from, the status it leads to, and the capabilities that may
take it. What a "capability" is belongs to each domain — a side of the one-stop
flow (`counter` / `department`), a permission codename, "edit" / "approve" — and is
resolved by the domain's own `capabilities(user, record)` function; the table
only says which ones suffice.

The domain's service then follows one pattern (see `petitions/services.py`):

    move = WORKFLOW.check(action, record.status, capabilities(user, record))
    ...one handler per action validates and changes the record...
    record.status = WORKFLOW.target(move, record.status, resume=...)
    <Event>.objects.create(action=move.action, from_status=..., to_status=..., actor=user, note=...)

An illegal move raises `IllegalMove`, a `Conflict`: the API answers 409 and pages
show the message (`cchc.core.api.install_error_handlers`,
`cchc.core.middleware.ConflictMiddleware`). Every "not possible in the record's
current state" error of the product derives from `Conflict`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

# Special targets: stay in the current status (e.g. an apology letter), or go back to
# the status before a pause (e.g. a supplement received). The domain says which
# status "resume" means, from its event history.
SAME = "__same__"
RESUME = "__resume__"


class Conflict(Exception):
    """The operation is not possible in the record's current state (HTTP 409).
    The message is Vietnamese and shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class IllegalMove(Conflict):
    """The move table does not allow this action from the current status."""


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    # Capabilities any one of which allows the move (empty: anyone who may write
    # the record). Resolved by the domain's `capabilities(user, record)`.
    allowed: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.sources:
            raise ValueError(f"Move {self.action!r} has no source status.")
        object.__setattr__(self, "sources", tuple(str(s) for s in self.sources))
        object.__setattr__(self, "allowed", frozenset(self.allowed))

    def starts_from(self, status: str) -> bool:
        return str(status) in self.sources

    def permits(self, capabilities: Iterable[str]) -> bool:
        return not self.allowed or bool(self.allowed & set(capabilities))


class Workflow:
    """The move table of one kind of record.

    `status_label` turns a status value into its Vietnamese label for messages;
    `denied_message` (optional) words the refusal when the user lacks a capability;
    `noun` (optional) names the record in messages ("hồ sơ": "Không thể … khi hồ sơ
    đang ở trạng thái …").
    """

    def __init__(
        self,
        moves: Iterable[Move],
        *,
        status_label: Callable[[str], str],
        denied_message: Callable[[Move], str] | None = None,
        noun: str = "",
    ) -> None:
        self.moves: dict[str, Move] = {}
        for move in moves:
            if move.action in self.moves:
                raise ValueError(f"Duplicate move {move.action!r}.")
            self.moves[move.action] = move
        self.status_label = status_label
        self.noun = noun
        self.denied_message = denied_message or (
            lambda move: f"Bạn không có quyền thực hiện thao tác “{move.label}”."
        )

    def __contains__(self, action: str) -> bool:
        return action in self.moves

    def __iter__(self):
        return iter(self.moves.values())

    def get(self, action: str) -> Move:
        """The move named `action`; `IllegalMove` for an action the table does not know."""
        try:
            return self.moves[action]
        except KeyError:
            raise IllegalMove(f"Thao tác “{action}” không tồn tại.") from None

    def check(self, action: str, status: str, capabilities: Iterable[str] | None = None) -> Move:
        """The move if it may be taken from `status` by someone with `capabilities`
        (None: do not check capabilities — commands and the domain's own checks).
        Raises `IllegalMove` (409) or `PermissionDenied` (403)."""
        move = self.get(action)
        if not move.starts_from(status):
            subject = f"{self.noun} " if self.noun else ""
            raise IllegalMove(
                f"Không thể “{move.label.lower()}” khi {subject}đang ở trạng thái “{self.status_label(status)}”."
            )
        if capabilities is not None and not move.permits(capabilities):
            raise PermissionDenied(self.denied_message(move))
        return move

    def available(self, status: str, capabilities: Iterable[str]) -> list[Move]:
        """The moves someone with `capabilities` may take from `status` (for buttons;
        the service checks again)."""
        caps = set(capabilities)
        return [m for m in self.moves.values() if m.starts_from(status) and m.permits(caps)]

    def target(self, move: Move, status: str, *, resume: Callable[[], str] | None = None) -> str:
        """The status after `move` from `status` (`SAME` and `RESUME` resolved)."""
        if move.target == SAME:
            return status
        if move.target == RESUME:
            if resume is None:
                raise ValueError(f"Move {move.action!r} resumes, but no resume status was given.")
            return resume()
        return move.target

    def statuses(self) -> set[str]:
        """Every status named by the table (sources and concrete targets)."""
        out: set[str] = set()
        for move in self.moves.values():
            out.update(move.sources)
            if move.target not in (SAME, RESUME):
                out.add(move.target)
        return out
