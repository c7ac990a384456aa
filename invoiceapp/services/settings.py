"""The domain's settings: one object, made from the app's Config by create_app() (or by a test),
read by the services. Nothing here reads the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Settings:
    demo_wallet: int = 100_000_000  # DEMO_WALLET_PAISE
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    acceptance_days: int = 3
    grace_days: int = 7
    late_penalty_bps: int = 1200
    default_after_days: int = 60
    auction_min_seconds: int = 300
    auction_extension_seconds: int = 120
    auto_invest_share: int = 70  # percent of a listing's target on offer to auto-invest

    @classmethod
    def from_config(cls, config: Mapping) -> Settings:
        names = {"demo_wallet": "DEMO_WALLET_PAISE"}
        values = {}
        for item in fields(cls):
            key = names.get(item.name, item.name.upper())
            if key in config:
                values[item.name] = config[key]
        return cls(**values)


_current = Settings()


def configure(settings: Settings) -> None:
    global _current
    _current = settings


def get() -> Settings:
    return _current


def override(**changes) -> Settings:
    """Replace some settings (tests); returns the previous ones so they can be restored."""
    previous = _current
    configure(replace(previous, **changes))
    return previous
