"""Users: registration (with the demo wallet credit), credentials, suspension, and the
revocation of tokens at logout."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import db
from ..models import Account, AccountKind, RevokedToken, Role, TransferKind, User, utcnow
from . import audit, ledger, settings
from .changes import SessionRevoked, UserSuspended, changes
from .errors import AccountSuspended, EmailTaken, InvalidCredentials, NotFound, ValidationFailed
from .offload import run_cpu_bound


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def _current_hasher() -> PasswordHasher:
    current = settings.get()
    return _hasher(current.argon2_time_cost, current.argon2_memory_kib)


def hash_password(password: str) -> str:
    return run_cpu_bound(_current_hasher().hash, password)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return run_cpu_bound(_current_hasher().verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _email_taken() -> EmailTaken:
    return EmailTaken(details={"email": ["An account with this email already exists."]})


def register(email: str, password: str, name: str, role: Role) -> User:
    """A new account; buyers, sellers and investors get the demo wallet credit."""
    email = email.strip().lower()
    password_hash = hash_password(password)  # before the transaction: no locks held meanwhile

    def work(session: Session) -> User:
        if session.scalar(select(exists().where(User.email == email))):
            raise _email_taken()
        user = User(email=email, name=name.strip(), role=role, password_hash=password_hash)
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise _email_taken() from None
        _open_accounts(session, user)
        audit.record(session, "register", "user", user.id, {"role": role.value}, actor_id=user.id)
        return user

    return db.transaction(work)


def _open_accounts(session: Session, user: User) -> None:
    wallet = Account(kind=AccountKind.WALLET, balance=0, user_id=user.id)
    session.add(wallet)
    if user.role == Role.INVESTOR:
        session.add(Account(kind=AccountKind.HOLD, balance=0, user_id=user.id))
    session.flush()
    credit = settings.get().demo_wallet
    if user.role != Role.OPERATOR and credit > 0:
        faucet = ledger.system_account(session, AccountKind.FAUCET)
        accounts = ledger.lock_accounts(session, [faucet.id, wallet.id])
        ledger.transfer(
            session,
            accounts[faucet.id],
            accounts[wallet.id],
            credit,
            TransferKind.DEMO_CREDIT,
            "Demo wallet credit",
        )


_DUMMY_HASH: str | None = None


def authenticate(email: str, password: str) -> User:
    global _DUMMY_HASH
    user = db.read(
        lambda session: session.scalar(select(User).where(User.email == email.strip().lower()))
    )
    if user is None:
        # Spend the same time as a real check so response times do not reveal which emails exist.
        _DUMMY_HASH = _DUMMY_HASH or hash_password("not a real password")
        _password_matches(_DUMMY_HASH, password)
        raise InvalidCredentials()
    if not _password_matches(user.password_hash, password):
        raise InvalidCredentials()
    if user.suspended_at is not None:
        raise AccountSuspended()
    return user


def get_user(user_id: int) -> User:
    user = db.read(lambda session: session.get(User, user_id))
    if user is None:
        raise NotFound("User not found.")
    return user


def update_preferences(user_id: int, email_notifications: bool) -> User:
    def work(session: Session) -> User:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("User not found.")
        user.email_notifications = email_notifications
        return user

    return db.transaction(work)


def set_suspended(user_id: int, suspended: bool) -> User:
    """An operator suspends (or lifts the suspension of) an account: its tokens are refused
    and its sockets dropped on every worker once this commits."""

    def work(session: Session) -> User:
        user = session.get(User, user_id, with_for_update=True)
        if user is None:
            raise NotFound("User not found.")
        if user.role == Role.OPERATOR:
            raise ValidationFailed("Operators cannot be suspended here.")
        user.suspended_at = utcnow() if suspended else None
        audit.record(session, "suspend" if suspended else "unsuspend", "user", user.id)
        changes(session).add(UserSuspended(user.id))
        return user

    return db.transaction(work)


def end_session(user_id: int, session_jti: str, expires_at: datetime) -> None:
    """Logout: revoke a login session (its refresh token's jti) until the token expires; its
    access tokens name it, so they are refused too."""

    def work(session: Session) -> None:
        if session.get(RevokedToken, session_jti) is None:
            session.add(RevokedToken(jti=session_jti, expires_at=expires_at))
        changes(session).add(SessionRevoked(user_id, session_jti))

    db.transaction(work)


def record_lockout(email: str, limit: str) -> None:
    """Audit a login refused by the rate limits (someone may be guessing a password)."""
    db.transaction(
        lambda session: audit.record(
            session, "login_rate_limited", "user", None, {"email": email, "limit": limit}
        )
    )


# Checked on every request whose verdict is not cached (tokens.py), one statement for any number
# of tokens, built once: each asked user, beside those of the asked sessions that were revoked
# (few or none: a session's id is unique, so which user it belongs to does not matter here).
_REFUSALS = (
    select(User.id, User.suspended_at, RevokedToken.jti)
    .outerjoin(RevokedToken, RevokedToken.jti.in_(bindparam("jtis", expanding=True)))
    .where(User.id.in_(bindparam("users", expanding=True)))
)


def refusals(keys: list[tuple[int, str]]) -> dict[tuple[int, str], str | None]:
    """Why tokens of these (user, login session) pairs must be refused now, or None for each:
    the account is gone or suspended, or the session was revoked."""

    def work(session: Session) -> dict[tuple[int, str], str | None]:
        params = {"users": sorted({u for u, _ in keys}), "jtis": sorted({j for _, j in keys})}
        found, revoked = {}, set()
        for user_id, suspended_at, jti in session.connection().execute(_REFUSALS, params):
            found[user_id] = suspended_at
            if jti is not None:
                revoked.add(jti)
        return {key: _refusal(key, found, revoked) for key in keys}

    return db.read(work)


def _refusal(key: tuple[int, str], found: dict, revoked: set[str]) -> str | None:
    user_id, jti = key
    if user_id not in found:
        return "Unknown user."
    if found[user_id] is not None:
        return "This account is suspended."
    if jti in revoked:
        return "The token has been revoked."
    return None


def purge_expired_revocations(session: Session) -> int:
    return session.execute(delete(RevokedToken).where(RevokedToken.expires_at < utcnow())).rowcount


def create_operator(email: str, password: str, name: str) -> User:
    return register(email, password, name, Role.OPERATOR)


def find_users(text: str, role: Role | None, limit: int) -> list[User]:
    """Operators look people up by the start of their name or email."""
    pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    def work(session: Session) -> list[User]:
        query = select(User).where(
            User.name.ilike(pattern, escape="\\") | User.email.ilike(pattern, escape="\\")
        )
        if role is not None:
            query = query.where(User.role == role)
        return list(session.scalars(query.order_by(User.name, User.id).limit(limit)))

    return db.read(work)
