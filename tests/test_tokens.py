"""Token verdicts that are not cached are read together when they are wanted together."""

from __future__ import annotations

import threading
import time
import uuid
from types import SimpleNamespace

import pytest

from invoiceapp import tokens
from invoiceapp.realtime.bus import RedisBus, Retention
from invoiceapp.services import auth
from invoiceapp.services.errors import ServiceUnavailable
from tests.realtime.conftest import REDIS_URL, require_redis


def claims(user_id: int, session: str) -> dict:
    return {"sub": str(user_id), "type": "access", "role": "investor", "rti": session}


def want_while_a_read_is_in_flight(monkeypatch, first: dict, others: dict[str, dict], fail=False):
    """`first` starts a read that is held until every one of `others` has queued behind it;
    then what each got, and the keys of every read made."""
    reads, started, release = [], threading.Event(), threading.Event()
    real = auth.refusals

    def refusals(keys):
        reads.append(sorted(keys))
        if len(reads) == 1:
            started.set()
            release.wait(10)
        if fail and len(reads) == 2:
            raise ServiceUnavailable()
        return real(keys)

    monkeypatch.setattr(auth, "refusals", refusals)
    tokens._cache.clear()
    got = {}

    def want(name: str, token_claims: dict) -> None:
        try:
            got[name] = tokens.refusal(token_claims)
        except ServiceUnavailable as exc:
            got[name] = exc

    threads = [threading.Thread(target=want, args=("first", first))]
    threads[0].start()
    assert started.wait(10)
    threads += [threading.Thread(target=want, args=item) for item in others.items()]
    for thread in threads[1:]:
        thread.start()
    deadline = time.monotonic() + 10
    while len(tokens._reads._queue) < len(others) and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(10)
    return got, reads


def test_verdicts_wanted_during_a_read_are_read_together_and_each_is_right(
    app, client, factory, monkeypatch
):
    fine, suspended, gone = (factory.user("investor") for _ in range(3))
    auth.set_suspended(suspended.id, True)
    logout = client.post(
        "/api/auth/logout", headers={"Authorization": f"Bearer {gone.refresh_token}"}
    )
    assert logout.status_code == 204

    got, reads = want_while_a_read_is_in_flight(
        monkeypatch,
        claims(fine.id, fine.session),
        {
            "suspended": claims(suspended.id, suspended.session),
            "revoked": claims(gone.id, gone.session),
            "unknown": claims(999_999, "no-such-session"),
            "fine again": claims(fine.id, fine.session),
            "fine, once more": claims(fine.id, fine.session),
            "fine, another session": claims(fine.id, "another-session"),
        },
    )
    assert got == {
        "first": None,
        "suspended": "This account is suspended.",
        "revoked": "The token has been revoked.",
        "unknown": "Unknown user.",
        "fine again": None,
        "fine, once more": None,
        "fine, another session": None,
    }
    assert [len(keys) for keys in reads] == [1, 5]  # one read for the six queued (five keys)
    assert tokens._cache[(fine.id, fine.session)][1] is None  # and they are cached


def test_a_failed_read_fails_each_of_its_requests_and_the_next_read_still_happens(
    app, factory, monkeypatch
):
    one, two = factory.user("investor"), factory.user("investor")
    got, reads = want_while_a_read_is_in_flight(
        monkeypatch,
        claims(one.id, one.session),
        {"two": claims(two.id, two.session)},
        fail=True,
    )
    assert got["first"] is None and isinstance(got["two"], ServiceUnavailable)
    assert tokens._reads._queue == [] and not tokens._reads._busy
    assert tokens.refusal(claims(two.id, two.session)) is None  # a later request reads again
    assert [len(keys) for keys in reads] == [1, 1, 1]


@pytest.fixture(autouse=True)
def fresh_reads():
    yield
    tokens._cache.clear()


def test_a_revocation_on_its_way_to_this_worker_is_not_answered_from_the_cache(
    app, client, factory
):
    """Workers share a Redis bus. A logout made on another worker reaches this one through
    it a moment later; meanwhile a verdict cached here says the session is fine. Until this
    worker's listener has applied every revocation published, the database decides."""
    require_redis()
    bus = RedisBus(REDIS_URL, f"test-revocations-{uuid.uuid4().hex}", Retention())
    tokens.trust_cache_unless(bus.revocations_pending)
    try:
        gone = factory.user("investor")
        key = (gone.id, gone.session)
        client.post("/api/auth/logout", headers={"Authorization": f"Bearer {gone.refresh_token}"})
        tokens._keep(key, None)  # what this worker cached before the logout reached it
        assert not bus.revocations_pending()
        assert tokens.refusal(claims(*key)) is None  # nothing says otherwise: the cache is used

        bus.control({"kind": "revoke", "session": gone.session}, revocation=True)  # the logout
        tokens._keep(key, None)
        assert bus.revocations_pending()
        assert tokens.refusal(claims(*key)) == "The token has been revoked."

        # This worker's listener applies what comes after it subscribed: a revocation made
        # then is pending until the listener has applied it, and only then.
        started, applied = threading.Event(), []
        receiver = SimpleNamespace(
            on_start=lambda last: started.set(),
            on_events=lambda events: None,
            on_control=lambda message: applied.append((message, bus.revocations_pending())),
        )
        threading.Thread(target=bus.listen, args=(receiver,), daemon=True).start()
        assert started.wait(5)
        deadline = time.monotonic() + 5  # it takes up the count once it has subscribed
        while bus.revocations_pending() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not bus.revocations_pending()
        bus.control({"kind": "revoke", "session": "another"}, revocation=True)
        deadline = time.monotonic() + 5
        while (not applied or bus.revocations_pending()) and time.monotonic() < deadline:
            time.sleep(0.01)
        [(message, pending_while_applying)] = applied
        assert message["session"] == "another" and pending_while_applying
        assert not bus.revocations_pending()
    finally:
        tokens.trust_cache_unless(lambda: False)
        bus.redis.delete(bus.revocations_key)


def test_whoever_asks_while_a_read_is_in_flight_gets_the_next_read_shared_with_the_others():
    """What the revocation check relies on: an answer never comes from a read that began
    before its caller asked (a logout answered in between would be missed)."""
    reads, started, release = [], threading.Event(), threading.Event()

    def read_many(keys):
        reads.append(sorted(keys, key=str))
        if len(reads) == 1:
            started.set()
            release.wait(10)
        return dict.fromkeys(keys, len(reads))  # which read answered

    together, got = tokens.Together(read_many), {}
    threads = [threading.Thread(target=lambda: got.setdefault("first", together.get(None)))]
    threads[0].start()
    assert started.wait(10)
    for name in ("second", "third", "fourth"):
        threads.append(
            threading.Thread(target=lambda n=name: got.setdefault(n, together.get(None)))
        )
        threads[-1].start()
    deadline = time.monotonic() + 10
    while len(together._queue) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(10)
    assert got == {"first": 1, "second": 2, "third": 2, "fourth": 2}
    assert reads == [[None], [None]]
