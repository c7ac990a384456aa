"""The event bus: where committed events get their offsets, are kept for replay, and reach
every worker process.

The ordering point is the publish itself. After a transaction commits, its events are handed
to the bus in one call; the bus gives each event the next id in ONE sequence for the whole
deployment, stores it (for replay) in the stream of each room it goes to, and broadcasts it to
the workers. With Redis this is one Lua script, which Redis runs atomically, one at a time: ids
follow the order in which commits were published, every worker receives the events in id order
(Redis delivers a channel's messages in publish order), and no event can become visible with an
id lower than one a client has already seen. A sequence drawn inside the transaction would not
have that property: a transaction that drew 10 may commit after one that drew 11.

An offset names a place in that sequence ("<epoch>-<ms>-<seq>"); a user's events are the union
of the streams of its rooms (its own, its role's, everyone's), all in the one sequence, so any
offset is a valid place to resume. The epoch changes when Redis loses its data: older offsets are
then unknown, and the client is told to resync. Without Redis (the embedded default, one
process) the same happens in memory.

What is kept: each room's stream keeps every event younger than EVENT_RETENTION_SECONDS and,
whatever their age, its newest EVENT_RETENTION_COUNT events. A replay that would cross a
trimmed event, or a gap left by events lost while Redis was unreachable, is refused (resync).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import redis

log = logging.getLogger(__name__)

# An event's JSON carries this in place of its offset until the bus has given it one.
PLACEHOLDER = "\x00"
PLACEHOLDER_JSON = json.dumps(PLACEHOLDER)

StreamId = tuple[int, int]


@dataclass(frozen=True)
class Outgoing:
    name: str
    rooms: tuple[str, ...]
    body: str  # json.dumps([event name, payload]), the payload's "offset" the PLACEHOLDER
    replay: bool = True


@dataclass(frozen=True)
class Delivered:
    id: StreamId
    offset: str
    rooms: tuple[str, ...]
    packet: str  # the Socket.IO EVENT packet, offset filled in


def parse_id(text: str) -> StreamId:
    ms, seq = text.split("-")
    return int(ms), int(seq)


def format_id(stream_id: StreamId) -> str:
    return f"{stream_id[0]}-{stream_id[1]}"


def format_offset(epoch: str, stream_id: StreamId) -> str:
    return f"{epoch}-{stream_id[0]}-{stream_id[1]}"


def parse_offset(offset: object) -> tuple[str, StreamId] | None:
    if not isinstance(offset, str) or len(offset) > 64:
        return None
    parts = offset.split("-")
    if len(parts) != 3 or not parts[0].isalnum() or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return parts[0], (int(parts[1]), int(parts[2]))


def _delivered(epoch: str, stream_id: StreamId, rooms: Iterable[str], body: str) -> Delivered:
    offset = format_offset(epoch, stream_id)
    return Delivered(
        stream_id, offset, tuple(rooms), "2" + body.replace(PLACEHOLDER_JSON, json.dumps(offset), 1)
    )


class Receiver:
    """What a listening bus hands events to (the worker's Socket.IO delivery)."""

    def on_start(self, last: StreamId | None) -> None:
        """The bus is (again) subscribed; `last` is the newest id published before."""

    def on_events(self, events: list[Delivered]) -> None:
        raise NotImplementedError

    def on_control(self, message: dict) -> None:
        raise NotImplementedError


@dataclass
class Retention:
    seconds: float = 600
    count: int = 10_000


class Bus:
    """What the realtime layer needs from a bus; `RedisBus` and `MemoryBus` provide it."""

    epoch: str

    def publish(self, events: list[Outgoing], flags: tuple[str, ...] = ()) -> None:
        """Order, keep and broadcast a commit's events; raise `flags` in the same step."""
        raise NotImplementedError

    def take_flag(self, name: str) -> bool:
        """Lower a flag; True for the one caller (in any process) that found it raised."""
        raise NotImplementedError

    def control(self, message: dict, revocation: bool = False) -> None:
        """A message to every worker process (resync, drop a user's sockets, ...). A
        `revocation` withdraws access: until a worker has applied it, `revocations_pending`
        is True there."""
        raise NotImplementedError

    def revocations_pending(self) -> bool:
        """Has access been withdrawn elsewhere that this worker has not applied yet?"""
        return False

    def replay(
        self, rooms: Iterable[str], after: str, upto: StreamId | None
    ) -> list[Delivered] | None:
        """The events of these rooms after an offset, up to `upto`, in order and once each;
        None when that cannot be done exactly (unknown or too old an offset, a gap)."""
        raise NotImplementedError

    def listen(self, receiver: Receiver) -> None:
        """Run forever in a background task: hand every event batch and control message on."""
        raise NotImplementedError

    def latest(self) -> StreamId | None:
        raise NotImplementedError

    def trim(self) -> None:
        """Drop what retention no longer requires."""

    def status(self) -> str:
        return "disabled"


# --- Redis ----------------------------------------------------------------------------------

PUBLISH = """
local prefix, channel = ARGV[1], ARGV[2]
local epoch = redis.call('GET', prefix .. 'epoch')
if not epoch then
  epoch = ARGV[3]
  redis.call('SET', prefix .. 'epoch', epoch)
end
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lms, lseq = 0, -1
local last = redis.call('GET', prefix .. 'last')
if last then
  local dash = string.find(last, '-', 1, true)
  lms = tonumber(string.sub(last, 1, dash - 1))
  lseq = tonumber(string.sub(last, dash + 1))
end
for flag in string.gmatch(ARGV[5], '[^,]+') do
  redis.call('SET', prefix .. 'flag:' .. flag, '1')
end
local out, first = {epoch}, nil
for i = 6, #ARGV, 3 do
  if ms > lms then lms = ms; lseq = 0 else lseq = lseq + 1 end
  local id = string.format('%d-%d', lms, lseq)
  first = first or id
  if ARGV[i + 1] == '1' then
    for room in string.gmatch(ARGV[i], '[^,]+') do
      redis.call('XADD', prefix .. 's:' .. room, id, 'b', ARGV[i + 2])
    end
  end
  out[#out + 1] = id .. '\\t' .. ARGV[i] .. '\\t' .. ARGV[i + 2]
end
redis.call('SET', prefix .. 'last', string.format('%d-%d', lms, lseq))
if ARGV[4] == '1' and first then redis.call('SET', prefix .. 'gap', first) end
redis.call('PUBLISH', channel, table.concat(out, '\\n'))
return epoch
"""

REPLAY = """
local prefix, after, upto = ARGV[1], ARGV[2], ARGV[3]
local out = {redis.call('GET', prefix .. 'epoch') or '', redis.call('GET', prefix .. 'gap') or '',
             redis.call('GET', prefix .. 'last') or ''}
for i = 4, #ARGV do
  out[#out + 1] = redis.call('HGET', prefix .. 'trimmed', ARGV[i]) or '0-0'
  out[#out + 1] = redis.call('XRANGE', prefix .. 's:' .. ARGV[i], '(' .. after, upto)
end
return out
"""

# Keep a stream's events younger than the cutoff id and, whatever their age, its newest
# `count`; remember the newest id dropped (XTRIM does not), so a replay can tell it is gone.
TRIM = """
local key, trimmed, room = KEYS[1], KEYS[2], ARGV[3]
local count, cutoff = tonumber(ARGV[1]), ARGV[2]
if redis.call('XLEN', key) <= count then return 0 end
local newest = redis.call('XREVRANGE', key, '+', '-', 'COUNT', count)
local keep_from = newest[#newest][1]
local function older(a, b)
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
if older(cutoff, keep_from) then keep_from = cutoff end
local dropped = redis.call('XREVRANGE', key, '(' .. keep_from, '-', 'COUNT', 1)
if #dropped == 0 then return 0 end
redis.call('HSET', trimmed, room, dropped[1][1])
return redis.call('XTRIM', key, 'MINID', keep_from)
"""


class RedisBus(Bus):
    def __init__(self, url: str, channel: str, retention: Retention):
        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1)
        self.prefix = f"{channel}:ev:"
        self.events_channel = f"{channel}:events"
        self.control_channel = f"{channel}:control"
        # Counts revocations; each carries its number, and `applied` is the last this worker's
        # listener has applied, so a worker knows when one is on its way to it.
        self.revocations_key = f"{channel}:revocations"
        self.applied = 0
        self.retention = retention
        self.epoch = ""
        self._publish = self.redis.register_script(PUBLISH)
        self._replay = self.redis.register_script(REPLAY)
        self._trim = self.redis.register_script(TRIM)
        self._lost = False  # events were lost since the last successful publish

    def publish(self, events: list[Outgoing], flags: tuple[str, ...] = ()) -> None:
        args = [
            self.prefix,
            self.events_channel,
            secrets.token_hex(4),
            "1" if self._lost else "0",
            ",".join(flags),
        ]
        for event in events:
            args += [",".join(event.rooms), "1" if event.replay else "0", event.body]
        try:
            self.epoch = self._publish(args=args).decode()
        except redis.RedisError as exc:
            if not self._lost:
                log.error("message queue unreachable: %d events lost (%s)", len(events), exc)
            self._lost = True
            return
        if self._lost:
            self._lost = False
            self.control({"kind": "resync"})

    def take_flag(self, name: str) -> bool:
        try:
            return self.redis.getdel(self.prefix + "flag:" + name) is not None
        except redis.RedisError:
            return False

    def control(self, message: dict, revocation: bool = False) -> None:
        try:
            if revocation:
                message = {**message, "revocation": self.redis.incr(self.revocations_key)}
            self.redis.publish(self.control_channel, json.dumps(message))
        except redis.RedisError as exc:
            log.error("message queue unreachable: control message lost (%s)", exc)

    def revocations_pending(self) -> bool:
        try:
            return int(self.redis.get(self.revocations_key) or 0) > self.applied
        except redis.RedisError:
            return True  # it cannot tell: the database decides

    def replay(self, rooms, after, upto):
        parsed = parse_offset(after)
        if parsed is None:
            return None
        epoch, after_id = parsed
        upto_text = format_id(upto) if upto is not None else "+"
        try:
            result = self._replay(args=[self.prefix, format_id(after_id), upto_text, *rooms])
        except redis.RedisError:
            return None
        current_epoch, gap, last = (value.decode() for value in result[:3])
        if epoch != current_epoch or not last or after_id > parse_id(last):
            return None  # another Redis (or one that lost its data), or a made-up offset
        if gap and parse_id(gap) > after_id:
            return None  # events were lost after this offset while Redis was unreachable
        merged: dict[StreamId, Delivered] = {}
        room_list = list(rooms)
        for index, room in enumerate(room_list):
            deleted, entries = result[3 + 2 * index], result[4 + 2 * index]
            if parse_id(deleted.decode()) > after_id:
                return None  # trimmed: some of what this client missed is gone
            for raw_id, fields in entries:
                stream_id = parse_id(raw_id.decode())
                if stream_id not in merged:
                    body = fields[1].decode()
                    merged[stream_id] = _delivered(epoch, stream_id, (room,), body)
        return [merged[key] for key in sorted(merged)]

    def latest(self) -> StreamId | None:
        try:
            last = self.redis.get(self.prefix + "last")
            self.epoch = (self.redis.get(self.prefix + "epoch") or b"").decode()
        except redis.RedisError:
            return None
        return parse_id(last.decode()) if last else None

    def listen(self, receiver: Receiver) -> None:
        lost = False
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self.events_channel, self.control_channel)
                self.redis.set(self.prefix + "epoch", secrets.token_hex(4), nx=True)
                receiver.on_start(self.latest())
                if lost:
                    lost = False
                    log.warning("message queue is back: asking this worker's clients to resync")
                    receiver.on_control({"kind": "resync"})
                # Subscribed, and whatever was missed while not is forgotten: every revocation
                # counted from here on reaches this listener.
                self.applied = int(self.redis.get(self.revocations_key) or 0)
                for message in pubsub.listen():
                    channel = message["channel"].decode()
                    if channel == self.events_channel:
                        receiver.on_events(self._parse(message["data"].decode()))
                    else:
                        control = json.loads(message["data"])
                        receiver.on_control(control)
                        self.applied = max(self.applied, control.get("revocation", 0))
            except redis.RedisError as exc:
                if not lost:
                    log.error("message queue lost: %s", exc)
                lost = True
                time.sleep(1.0)
            finally:
                try:
                    pubsub.close()
                except redis.RedisError:
                    pass

    def _parse(self, data: str) -> list[Delivered]:
        epoch, *lines = data.split("\n")
        self.epoch = epoch
        events = []
        for line in lines:
            raw_id, rooms, body = line.split("\t", 2)
            events.append(_delivered(epoch, parse_id(raw_id), rooms.split(","), body))
        return events

    def trim(self) -> None:
        cutoff_ms = int((time.time() - self.retention.seconds) * 1000)
        streams = self.prefix + "s:"
        try:
            for key in self.redis.scan_iter(match=streams + "*", count=500):
                room = key.decode()[len(streams) :]
                self._trim(
                    keys=[key, self.prefix + "trimmed"],
                    args=[self.retention.count, f"{cutoff_ms}-0", room],
                )
        except redis.RedisError as exc:
            log.warning("could not trim the event streams: %s", exc)

    def status(self) -> str:
        try:
            self.redis.ping()
            return "ok"
        except redis.RedisError:
            return "down"


# --- in memory (one process) ----------------------------------------------------------------


@dataclass
class _Stream:
    entries: deque = field(default_factory=deque)  # (StreamId, body, published at)
    deleted: StreamId = (0, 0)


class MemoryBus(Bus):
    """The embedded default: one process, so the sequence, the streams and the delivery are
    all here. A lock keeps ids and deliveries in the same order."""

    def __init__(self, retention: Retention):
        self.retention = retention
        self.epoch = secrets.token_hex(4)
        self._last: StreamId = (0, -1)
        self._streams: dict[str, _Stream] = {}
        self._lock = threading.Lock()
        self._receiver: Receiver | None = None
        self._flags: set[str] = set()

    def publish(self, events: list[Outgoing], flags: tuple[str, ...] = ()) -> None:
        with self._lock:
            self._flags.update(flags)
            now = time.time()
            batch = []
            for event in events:
                ms = int(now * 1000)
                last_ms, last_seq = self._last
                self._last = (ms, 0) if ms > last_ms else (last_ms, last_seq + 1)
                if event.replay:
                    for room in event.rooms:
                        stream = self._streams.setdefault(room, _Stream())
                        stream.entries.append((self._last, event.body, now))
                        self._trim_stream(stream, now)
                batch.append(_delivered(self.epoch, self._last, event.rooms, event.body))
            if self._receiver is not None:
                self._receiver.on_events(batch)

    def _trim_stream(self, stream: _Stream, now: float) -> None:
        cutoff = now - self.retention.seconds
        while len(stream.entries) > self.retention.count and stream.entries[0][2] < cutoff:
            stream.deleted = stream.entries.popleft()[0]

    def take_flag(self, name: str) -> bool:
        with self._lock:
            if name in self._flags:
                self._flags.discard(name)
                return True
            return False

    def control(self, message: dict, revocation: bool = False) -> None:
        if self._receiver is not None:
            self._receiver.on_control(message)

    def replay(self, rooms, after, upto):
        parsed = parse_offset(after)
        if parsed is None:
            return None
        epoch, after_id = parsed
        with self._lock:
            if epoch != self.epoch or after_id > self._last:
                return None
            merged: dict[StreamId, Delivered] = {}
            for room in rooms:
                stream = self._streams.get(room)
                if stream is None:
                    continue
                if stream.deleted > after_id:
                    return None
                for stream_id, body, _ in stream.entries:
                    if after_id < stream_id and (upto is None or stream_id <= upto):
                        merged.setdefault(
                            stream_id, _delivered(self.epoch, stream_id, (room,), body)
                        )
        return [merged[key] for key in sorted(merged)]

    def latest(self) -> StreamId | None:
        return self._last if self._last[1] >= 0 else None

    def listen(self, receiver: Receiver) -> None:
        self._receiver = receiver
        receiver.on_start(self.latest())
