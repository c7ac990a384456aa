"""Token verdicts that are not cached are read together when they are wanted together."""

from __future__ import annotations

import threading
import time

import pytest

from invoiceapp import tokens
from invoiceapp.services import auth
from invoiceapp.services.errors import ServiceUnavailable


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
