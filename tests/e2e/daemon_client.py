# SPDX-License-Identifier: GPL-2.0-or-later
"""A small client of silkd's protocol for the daemon*.sh end-to-end tests.

Used as a module (PYTHONPATH=tests/e2e) from the tests' inline scripts: it speaks the
newline-delimited JSON of docs/protocol.md over the Unix socket and fails loudly (raising)
on anything unexpected, so a test fails for real.
"""
import json
import os
import socket
import sys
import time


class Client:
    """One connection: send request lines, read response lines (in order)."""

    def __init__(self, path, timeout=10.0):
        # A Unix socket whose listen backlog is full refuses connect() with EAGAIN at once
        # (no waiting, unlike TCP): a client under a connection storm tries again, as a
        # patient program would, until its timeout.
        deadline = time.monotonic() + timeout
        while True:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            try:
                self.sock.connect(path)
                break
            except BlockingIOError:
                self.sock.close()
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)
        self.buf = b""

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, obj):
        line = obj if isinstance(obj, (bytes, str)) else json.dumps(obj)
        if isinstance(line, str):
            line = line.encode()
        self.sock.sendall(line + b"\n")

    def read_line(self):
        """The next response line as bytes, or None at EOF."""
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                if self.buf:
                    raise AssertionError("EOF inside a line: %r" % self.buf[:200])
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def read(self):
        line = self.read_line()
        if line is None:
            raise AssertionError("connection closed, a response was expected")
        return json.loads(line)

    def call(self, obj):
        self.send(obj)
        return self.read()

    def at_eof(self, wait=5.0):
        """True when the daemon closes the connection within `wait` seconds."""
        self.sock.settimeout(wait)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buf += chunk
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True

    def close(self):
        self.sock.close()


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what)


def ids(resp):
    """The hit ids of a search response, in rank order."""
    return [h["id"] for h in resp["hits"]]


def signature(resp):
    """What must match between two answers to one query on one revision."""
    return (resp.get("ok"), resp.get("total"), tuple(ids(resp)) if resp.get("ok") else
            resp["error"]["code"])


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for %d" % pid)


def wait_until(pred, seconds, what):
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


if __name__ == "__main__":
    # `python3 daemon_client.py SOCKET LINE...`: send lines, print responses.
    c = Client(sys.argv[1])
    for a in sys.argv[2:]:
        c.send(a)
        print(c.read_line().decode())
