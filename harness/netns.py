"""Extra "hosts" on one machine: network namespaces joined to this one by veth pairs (root only)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Host:
    """A namespace: processes run in it through ``prefix``; it reaches us at ``outside``."""

    name: str
    inside: str  # its address
    outside: str  # our end of the veth pair: where it finds PostgreSQL and Redis

    @property
    def prefix(self) -> list[str]:
        """The argv prefix that runs a command in this namespace."""
        return ["ip", "netns", "exec", self.name]

    def url(self, url: str) -> str:
        """``url`` (PostgreSQL or Redis, on loopback) as seen from this host."""
        return url.replace("@127.0.0.1:", f"@{self.outside}:").replace(
            "//127.0.0.1:", f"//{self.outside}:"
        )


def unavailable() -> str | None:
    """None if namespaces can be made here; else why not."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "no ip(8)"
    return None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@contextlib.contextmanager
def hosts(count: int, subnet: int = 213) -> Iterator[list[Host]]:
    """``count`` namespaces, 10.<subnet>.<k>.2 each, our side 10.<subnet>.<k>.1; removed after."""
    tag, made = f"mod{os.getpid() % 100000}", []
    try:
        for k in range(1, count + 1):
            name, ours, theirs = f"{tag}h{k}", f"{tag}a{k}", f"{tag}b{k}"
            host = Host(name, f"10.{subnet}.{k}.2", f"10.{subnet}.{k}.1")
            _ip("netns", "add", name)
            made.append(host)
            _ip("link", "add", ours, "type", "veth", "peer", "name", theirs)
            _ip("link", "set", theirs, "netns", name)
            _ip("addr", "add", f"{host.outside}/24", "dev", ours)
            _ip("link", "set", ours, "up")
            inside = ["netns", "exec", name, "ip"]
            _ip(*inside, "addr", "add", f"{host.inside}/24", "dev", theirs)
            _ip(*inside, "link", "set", theirs, "up")
            _ip(*inside, "link", "set", "lo", "up")
        yield made
    finally:
        for host in made:
            # Deleting the namespace deletes its end of the pair, and so the pair.
            with contextlib.suppress(subprocess.SubprocessError):
                _ip("netns", "del", host.name)
