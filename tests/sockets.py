"""Loopback ports: a free one, and this process's TCP connections to one counted from the
kernel's own table.

An oracle independent of aiohttp's internals, for tests that check how many
sockets the SDK holds (Linux: /proc/net/tcp and tcp6).
"""

from __future__ import annotations

import socket
from pathlib import Path

_ESTABLISHED = "01"


def connections_to(port: int) -> int:
    """Established connections whose remote end is ``port`` (the client sides)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            remote, state = fields[2], fields[3]
            if state == _ESTABLISHED and int(remote.rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


def free_port() -> int:
    """A loopback port nobody listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
