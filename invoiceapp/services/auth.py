"""Users: registration (with the demo wallet credit), credentials, revoked refresh tokens."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import read_session, run_in_transaction
from ..models import Account, AccountKind, RevokedToken, Role, TransferKind, User, utcnow
from . import ledger
from .errors import EmailTaken, InvalidCredentials, NotFound
from .offload import run_cpu_bound

_hasher = PasswordHasher()
_settings = {"demo_wallet": 100_000_000}


def configure(*, demo_wallet: int, time_cost: int, memory_kib: int) -> None:
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
    _settings["demo_wallet"] = demo_wallet


def hash_password(password: str) -> str:
    return run_cpu_bound(_hasher.hash, password)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return run_cpu_bound(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def register(email: str, password: str, name: str, role: Role) -> User:
    email = email.strip().lower()
    password_hash = hash_password(password)  # before the transaction: no locks held meanwhile

    def work(session: Session) -> User:
        if session.scalar(select(exists().where(User.email == email))):
            raise EmailTaken(details={"email": ["An account with this email already exists."]})
        user = User(email=email, name=name.strip(), role=role, password_hash=password_hash)
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise EmailTaken(
                details={"email": ["An account with this email already exists."]}
            ) from None
        wallet = Account(kind=AccountKind.WALLET, balance=0, user_id=user.id)
        session.add(wallet)
        session.flush()
        faucet = ledger.faucet(session)
        accounts = ledger.lock_accounts(session, [faucet.id, wallet.id])
        if _settings["demo_wallet"] > 0:
            ledger.transfer(
                session,
                accounts[faucet.id],
                accounts[wallet.id],
                _settings["demo_wallet"],
                TransferKind.DEMO_CREDIT,
                "Demo wallet credit",
            )
        return user

    return run_in_transaction(work)


_DUMMY_HASH: str | None = None


def authenticate(email: str, password: str) -> User:
    global _DUMMY_HASH
    with read_session() as session:
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        # Spend the same time as a real check so response times do not reveal which emails exist.
        _DUMMY_HASH = _DUMMY_HASH or hash_password("not a real password")
        _password_matches(_DUMMY_HASH, password)
        raise InvalidCredentials()
    if not _password_matches(user.password_hash, password):
        raise InvalidCredentials()
    return user


def get_user(user_id: int) -> User:
    with read_session() as session:
        user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found.")
    return user


def revoke_token(jti: str, expires_at: datetime) -> None:
    def work(session: Session) -> None:
        if session.get(RevokedToken, jti) is None:
            session.add(RevokedToken(jti=jti, expires_at=expires_at))

    run_in_transaction(work)


def is_token_revoked(jti: str) -> bool:
    with read_session() as session:
        return session.get(RevokedToken, jti) is not None


def purge_expired_revocations() -> int:
    return run_in_transaction(
        lambda session: (
            session.execute(delete(RevokedToken).where(RevokedToken.expires_at < utcnow())).rowcount
        )
    )
