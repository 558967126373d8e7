"""A headless Chromium driven over the DevTools protocol on a pipe, for page tests.

No download and no extra Python package: the system's ``chromium`` (Debian's
package) is started with ``--remote-debugging-pipe``, which reads commands on
its fd 3 and writes answers and events on its fd 4, each a JSON message ended
by a NUL byte. :class:`Browser` opens a page, collects console errors and
uncaught exceptions, evaluates JavaScript and takes screenshots.

``GOVREPORT_CHROMIUM`` names another binary; :func:`find_chromium` returns
``None`` when there is none, so tests can skip (or fail in CI).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--mute-audio", "--hide-scrollbars",
)

TIMEOUT = 60.0  # a guard against a hang, not a timing goal


def find_chromium() -> str | None:
    """The Chromium binary to use, or ``None``."""
    named = os.environ.get("GOVREPORT_CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _high(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class BrowserError(RuntimeError):
    """The browser answered a command with an error, or did not answer in time."""


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, binary: str, *, width: int = 1280, height: int = 1800) -> None:
        self._profile = tempfile.mkdtemp(prefix="govreport-chromium-")
        cmd_r, self._cmd_w = os.pipe()
        self._out_r, out_w = os.pipe()
        # Above fd 4, so that moving them onto 3 and 4 cannot overwrite one with the other.
        cmd_r, out_w = _high(cmd_r), _high(out_w)
        args = " ".join(shlex.quote(a) for a in [binary, *FLAGS, f"--user-data-dir={self._profile}",
                         f"--window-size={width},{height}", "--remote-debugging-pipe",
                         "about:blank"])
        # bash (dash takes no fd above 9) moves our pipe ends onto Chromium's fds 3 and 4.
        self._proc = subprocess.Popen(
            ["bash", "-c", f"exec {args} 3<&{cmd_r} 4>&{out_w}"],
            pass_fds=(cmd_r, out_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(cmd_r)
        os.close(out_w)
        self._messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target,
                                  flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=True)

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._out_r, 65536)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                self._messages.put(json.loads(raw))

    def send(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send a command and wait for its result (events meanwhile go to ``events``)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._cmd_w, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                got = self._messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise BrowserError(f"no answer to {method}") from None
            if got.get("id") == self._next:
                if "error" in got:
                    raise BrowserError(f"{method}: {got['error']}")
                result: dict[str, Any] = got.get("result", {})
                return result
            self.events.append(got)

    def _wait_event(self, name: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        if any(e.get("method") == name for e in self.events):
            return
        while time.monotonic() < deadline:
            try:
                got = self._messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.events.append(got)
            if got.get("method") == name:
                return
        raise BrowserError(f"no {name}")

    def open(self, path: str | Path) -> None:
        """Load a local file (or a URL) and wait until its load event."""
        url = str(path) if "://" in str(path) else Path(path).resolve().as_uri()
        self.events.clear()
        result = self.send("Page.navigate", session=True, url=url)
        if result.get("errorText"):
            raise BrowserError(f"cannot open {url}: {result['errorText']}")
        self._wait_event("Page.loadEventFired")

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries since the last :meth:`open`."""
        out = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(json.dumps(params.get("exceptionDetails", {}), ensure_ascii=False))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error",
                                                                                  "assert"):
                out.append(json.dumps(params.get("args", []), ensure_ascii=False))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                out.append(params["entry"].get("text", ""))
        return out

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-able)."""
        result = self.send("Runtime.evaluate", session=True, expression=expression,
                           returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, *, full_page: bool = False) -> bytes:
        """A PNG of the page."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        return base64.b64decode(self.send("Page.captureScreenshot", session=True,
                                          **params)["data"])

    def pdf(self) -> bytes:
        """The page printed to PDF (print stylesheet applied)."""
        return base64.b64decode(self.send("Page.printToPDF", session=True)["data"])

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        with contextlib.suppress(OSError):
            os.write(self._cmd_w, json.dumps({"id": 0, "method": "Browser.close"}).encode()
                     + b"\0")
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._cmd_w, self._out_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
