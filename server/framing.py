"""The wire format between the web process and its query processes (one socket pair each).

Web process -> query process: one job per message, a 4-byte big-endian length and a JSON
object. Query process -> web process: frames of a 1-byte kind, a 4-byte big-endian length
and the payload:

- ``H`` header: the key of the format the result is serialised in (``json``, ``turtle``...),
  a space, and the name of the store generation the query ran on;
- ``D`` data: the next bytes of the serialised result;
- ``E`` error: JSON ``{"status": int, "message": str}``; ends the job;
- ``Z`` end: the result is complete.

A successful job is ``H D* Z``; a failed one ``E``, or ``H D* E`` when it failed while
streaming. Data are sent in pieces of ``CHUNK`` bytes, so neither side ever holds a whole
large result, and a small result travels in one write: ``H D Z``.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from typing import Any

HEADER = b"H"
DATA = b"D"
ERROR = b"E"
END = b"Z"
CHUNK = 65536
_FRAME = struct.Struct(">cI")
_LENGTH = struct.Struct(">I")


class ChannelClosed(Exception):
    """The other side closed the socket (the process ended)."""


class Timeout(Exception):
    """The deadline passed before the next frame arrived."""


def frame(kind: bytes, payload: bytes = b"") -> bytes:
    return _FRAME.pack(kind, len(payload)) + payload


def error_frame(status: int, message: str) -> bytes:
    return frame(ERROR, json.dumps({"status": status, "message": message}).encode("utf-8"))


def send_message(sock: socket.socket, message: dict[str, Any]) -> None:
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    sock.sendall(_LENGTH.pack(len(body)) + body)


def receive_message(sock: socket.socket) -> dict[str, Any] | None:
    """The next job, or ``None`` when the web process closed the socket.

    The web process sends one job and waits for its answer, so a job arrives alone and
    usually in one piece: one ``recv`` reads it.
    """
    data = sock.recv(CHUNK)
    if len(data) < _LENGTH.size:
        data += _receive_exactly(sock, _LENGTH.size - len(data)) if data else b""
        if len(data) < _LENGTH.size:
            return None
    (length,) = _LENGTH.unpack_from(data)
    missing = _LENGTH.size + length - len(data)
    if missing > 0:
        data += _receive_exactly(sock, missing)
    if len(data) < _LENGTH.size + length:
        return None
    message: dict[str, Any] = json.loads(data[_LENGTH.size :])
    return message


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    """Up to ``size`` bytes; fewer only when the socket closed."""
    parts = []
    while size:
        part = sock.recv(size)
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


class FrameWriter:
    """A binary file-like object that pyoxigraph serialises into; sends ``D`` frames.

    Bytes are gathered until ``CHUNK`` of them are waiting, then sent as one frame;
    ``finish`` sends the rest together with the end frame.
    """

    def __init__(self, sock: socket.socket, header: bytes) -> None:
        self._sock = sock
        self._pending = bytearray(frame(HEADER, header))
        self._data = bytearray()

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._data += data
        if len(self._data) >= CHUNK:
            self._flush()
        return len(data)

    def flush(self) -> None:
        """Called by serialisers; a no-op so that small results stay one write."""

    def _flush(self) -> None:
        self._pending += frame(DATA, bytes(self._data))
        self._data.clear()
        self._sock.sendall(self._pending)
        self._pending.clear()

    def finish(self) -> None:
        if self._data:
            self._pending += frame(DATA, bytes(self._data))
            self._data.clear()
        self._pending += frame(END)
        self._sock.sendall(self._pending)
        self._pending.clear()

    def fail(self, status: int, message: str) -> None:
        """End the job with an error; data gathered but not sent is dropped."""
        self._data.clear()
        self._pending += error_frame(status, message)
        self._sock.sendall(self._pending)
        self._pending.clear()


class FrameReader:
    """Reads frames from a query process, each before a deadline (``time.monotonic``)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = bytearray()
        self._position = 0

    def next(self, deadline: float) -> tuple[bytes, bytes]:
        """The next frame; raises ``Timeout`` or ``ChannelClosed``."""
        found = self.buffered()
        while found is None:
            self._fill(deadline)
            found = self.buffered()
        return found

    def buffered(self) -> tuple[bytes, bytes] | None:
        """The next frame if it has already arrived in full, else ``None`` (no waiting)."""
        start = self._position
        if len(self._buffer) - start < _FRAME.size:
            return None
        kind, length = _FRAME.unpack_from(self._buffer, start)
        end = start + _FRAME.size + length
        if len(self._buffer) < end:
            return None
        payload = bytes(self._buffer[start + _FRAME.size : end])
        self._position = end
        if self._position == len(self._buffer):
            self._buffer.clear()
            self._position = 0
        return kind, payload

    def _fill(self, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Timeout
        self._sock.settimeout(remaining)
        try:
            data = self._sock.recv(4 * CHUNK)
        except TimeoutError:
            raise Timeout from None
        except OSError as exc:
            raise ChannelClosed(str(exc)) from None
        if not data:
            raise ChannelClosed("the query process closed its socket")
        if self._position:
            del self._buffer[: self._position]
            self._position = 0
        self._buffer += data

    def reset(self) -> None:
        self._buffer.clear()
        self._position = 0
