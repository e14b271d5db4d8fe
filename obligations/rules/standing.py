"""A State's standing under the Convention, found by replaying its depositary actions in order.

The same replay checks a timeline (raising Conflict on the first impossible action) and
answers what the State was on a date: signatory, party, declarant under art. 76/77.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from obligations.errors import Conflict
from obligations.rules.dates import first_of_month_after_period
from obligations.rules.facts import (
    BINDING_INSTRUMENTS,
    SIGNATURES,
    Action,
    ActionKind,
)

COMMUNICATION_ARTICLES = (76, 77)


def denunciation_takes_effect(notified: date) -> date:
    """Art. 89(2): first day of the month following twelve months after the notification."""
    return first_of_month_after_period(notified, 12)


@dataclass(frozen=True)
class DeclarationSpell:
    """A declaration under one article, in effect from `start` until `end` (exclusive) if any."""

    state: str
    article: int
    start: date
    end: date | None
    declaration: Action
    withdrawal: Action | None = None

    def in_effect_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass
class Standing:
    """What a State's actions, up to a date, amount to."""

    signature: Action | None = None
    instrument: Action | None = None
    denunciation: Action | None = None
    spells: list[DeclarationSpell] = field(default_factory=list)
    # After a denunciation takes effect: the instrument it ended, and the date it did.
    former_instrument: Action | None = None
    ended: date | None = None

    @property
    def party(self) -> bool:
        return self.instrument is not None

    @property
    def bound_by(self) -> Action | None:
        """The instrument behind the State's reporting obligations, current or ended."""
        return self.instrument or self.former_instrument

    @property
    def obligations_end(self) -> date | None:
        """Art. 89(3): no obligation falling due on or after this date arises."""
        if self.instrument is not None and self.denunciation is not None:
            return denunciation_takes_effect(self.denunciation.date)
        return self.ended if self.instrument is None else None

    def declaration_in_effect(self, article: int) -> DeclarationSpell | None:
        for spell in self.spells:
            if spell.article == article and spell.end is None:
                return spell
        return None


def _close_open_spells(
    standing: Standing, end: date, withdrawal: Action | None, articles: Iterable[int]
) -> None:
    for article in articles:
        spell = standing.declaration_in_effect(article)
        if spell is not None:
            index = standing.spells.index(spell)
            standing.spells[index] = DeclarationSpell(
                spell.state, article, spell.start, end, spell.declaration, withdrawal
            )


def replay(actions: Iterable[Action], as_of: date | None = None) -> Standing:
    """Replay a State's actions dated on or before `as_of`; raise Conflict on an impossible one."""
    standing = Standing()
    ordered = sorted(actions, key=lambda a: a.replay_key)
    for action in ordered:
        if as_of is not None and action.date > as_of:
            break
        # A denunciation that has taken effect ends party status before the next action.
        if standing.denunciation is not None:
            effect = denunciation_takes_effect(standing.denunciation.date)
            if effect <= action.date:
                _end_party(standing, effect)
        _apply(standing, action)
    if standing.denunciation is not None:
        effect = denunciation_takes_effect(standing.denunciation.date)
        if as_of is None or effect <= as_of:
            _end_party(standing, effect)
    return standing


def _end_party(standing: Standing, effect: date) -> None:
    _close_open_spells(standing, effect, None, COMMUNICATION_ARTICLES)
    standing.former_instrument = standing.instrument
    standing.ended = effect
    standing.instrument = None
    standing.denunciation = None


def _apply(standing: Standing, action: Action) -> None:
    when = action.date.isoformat()
    kind = action.action
    if kind in SIGNATURES:
        if standing.party:
            raise Conflict(f"{action.state} cannot sign on {when}: it is already a party")
        if standing.signature is not None:
            raise Conflict(
                f"{action.state} cannot sign on {when}: "
                f"it already signed on {standing.signature.date.isoformat()}"
            )
        standing.signature = action
    elif kind in BINDING_INSTRUMENTS:
        if standing.instrument is not None:
            raise Conflict(
                f"{action.state} cannot deposit a {kind.value} on {when}: it is already a party "
                f"by {standing.instrument.action.value} of "
                f"{standing.instrument.date.isoformat()}"
            )
        if kind is ActionKind.RATIFICATION and standing.signature is None:
            raise Conflict(
                f"{action.state} cannot ratify on {when} without a prior signature; "
                "record an accession instead"
            )
        standing.instrument = action
    elif kind is ActionKind.DECLARATION:
        if not standing.party:
            raise Conflict(
                f"{action.state} cannot make a declaration on {when}: it is not a State party"
            )
        for article in action.articles:
            spell = standing.declaration_in_effect(article)
            if spell is not None:
                raise Conflict(
                    f"{action.state} already has an article {article} declaration in effect "
                    f"since {spell.start.isoformat()}"
                )
            standing.spells.append(
                DeclarationSpell(action.state, article, action.date, None, action)
            )
    elif kind is ActionKind.WITHDRAWAL:
        for article in action.articles:
            if standing.declaration_in_effect(article) is None:
                raise Conflict(
                    f"{action.state} cannot withdraw on {when}: "
                    f"no article {article} declaration is in effect"
                )
        _close_open_spells(standing, action.date, action, action.articles)
    elif kind is ActionKind.DENUNCIATION:
        if not standing.party:
            raise Conflict(f"{action.state} cannot denounce on {when}: it is not a State party")
        if standing.denunciation is not None:
            raise Conflict(
                f"{action.state} already notified a denunciation on "
                f"{standing.denunciation.date.isoformat()}"
            )
        standing.denunciation = action
