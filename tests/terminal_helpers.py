"""Drive `companion` in a pseudo-terminal, as a person at a keyboard does: the
program sees a real terminal on standard input and output (prompt, greeting, the
scheduler), and Ctrl-C arrives as SIGINT while it waits for a line."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        master, slave = pty.openpty()
        self.master = master
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "adapters", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={
                "PATH": os.environ["PATH"],
                "HOME": str(cwd),
                "PYTHONPATH": str(ROOT),
                "TERM": "xterm",
                "COMPANION_EMBEDDING_MODEL_DIR": os.environ["COMPANION_EMBEDDING_MODEL_DIR"],
                "HTTPS_PROXY": "http://127.0.0.1:9",  # nothing leaves loopback
                **env,
            },
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        self.raw = ""

    @property
    def text(self) -> str:
        """Everything shown so far, without colour codes."""
        return _ANSI.sub("", self.raw).replace("\r\n", "\n")

    def _pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], min(left, 0.1))
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the program ended and closed the terminal
                return
            if not chunk:
                return
            self.raw += chunk.decode("utf-8", "replace")

    def expect(self, words: str, timeout: float = 30.0) -> str:
        """Wait until ``words`` appear (after what was already matched: returns the
        text up to and including them)."""
        end = time.monotonic() + timeout
        while words not in self.text:
            if time.monotonic() > end or self.proc.poll() is not None:
                self._pump(0.2)
                if words in self.text:
                    break
                raise AssertionError(f"{words!r} never appeared; the terminal shows:\n{self.text}")
            self._pump(0.1)
        return self.text

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\n")

    def interrupt(self) -> None:
        """Ctrl-C: the terminal sends SIGINT to the program."""
        self.proc.send_signal(signal.SIGINT)

    def wait(self, timeout: float) -> int:
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            self._pump(0.05)
        self._pump(0.1)
        code = self.proc.poll()
        if code is None:
            self.close()
            raise AssertionError(f"still running after {timeout} s:\n{self.text}")
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)
