"""PID 1 of every sandbox container: the only process that talks to the host.

It never runs learner code. It starts the learner's interpreter (``worker.py``) ahead of time,
reads one submission from stdin, feeds the worker one test at a time and enforces every limit
itself: per-test and whole-run wall time, an output cap counting every byte the worker writes
however it writes it, and a size cap on every answer. It reports to the host as marked JSON
lines on stdout. As the namespace's init it receives no signal it has no handler for, and it is
not dumpable, so the learner's process can neither stop it nor read its memory or descriptors.
It starts as root with only the capabilities to change user, starts the worker as one user and
becomes another, so the learner's process cannot signal it either (gVisor does not shield an
init from signals). It ends by itself: after ``IDLE_SECONDS`` without a submission, or shortly
after the wall limit of the one submission it takes; its exit ends every process in the
container.

Shipped on the container's command line (argv: idle seconds, worker source); not imported on
the host.
"""

import codecs
import contextlib
import ctypes
import errno
import json
import os
import select
import signal
import struct
import subprocess
import sys
import time

IDLE_SECONDS = float(sys.argv[1])
WORKER_SOURCE = sys.argv[2]
HEADER_CAP = 64 * 1024  # a worker frame header (a load error's traceback included)
KEPT_STDOUT = 4000  # per test, for display, when stdout is not the answer
SLACK = 1.0  # seconds past the wall limit before the supervisor gives up on everything
READY_SECONDS = 10.0  # for the learner's interpreter to come up, on a very busy machine
PR_SET_DUMPABLE = 4
LEARNER = 65534  # the learner's process runs as nobody
JUDGE = 65533  # this one, once it has started it, as another user


def become(uid):
    """Drop root (and with it the two capabilities the container grants) for good."""
    if os.getuid() == 0:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)


def now():
    return time.monotonic()


def wait(readers, writers, timeout):
    """poll(2) for readiness (gVisor refuses select(2) under a seccomp profile)."""
    poller = select.poll()
    for fd in readers:
        poller.register(fd, select.POLLIN)
    for fd in writers:
        poller.register(fd, select.POLLOUT | (select.POLLIN if fd in readers else 0))
    ready = poller.poll(max(0, int(timeout * 1000) + 1))
    readable = [
        fd for fd, mask in ready if mask & (select.POLLIN | select.POLLHUP | select.POLLERR)
    ]
    writable = [fd for fd, mask in ready if mask & (select.POLLOUT | select.POLLERR)]
    return [fd for fd in readable if fd in readers], [fd for fd in writable if fd in writers]


# -- the host channel --------------------------------------------------------------------------

MARK = b"\x1e"
HARD_END = [now() + IDLE_SECONDS]  # nothing here may block past it


def emit(**event):
    line = MARK + json.dumps(event, ensure_ascii=True).encode() + b"\n"
    view = memoryview(line)
    while view:
        left = HARD_END[0] - now()
        if left <= 0:
            return
        try:
            written = os.write(1, view)
            view = view[written:]
        except BlockingIOError:
            wait([], [1], left)
        except OSError:
            return


def read_payload(deadline):
    """The submission: ``<length>\\n<json>`` on stdin, or None (idle limit, EOF)."""
    buffer = bytearray()
    size = None
    while True:
        if size is None and b"\n" in buffer:
            head, _, rest = bytes(buffer).partition(b"\n")
            if not head.isdigit() or len(head) > 12:
                return None
            size, buffer = int(head), bytearray(rest)
        if size is not None and len(buffer) >= size:
            return json.loads(bytes(buffer[:size]))
        left = deadline - now()
        if left <= 0:
            return None
        ready, _ = wait([0], [], left)
        if not ready:
            return None
        chunk = os.read(0, 1 << 20)
        if not chunk:
            return None
        buffer += chunk


# -- the learner's process ---------------------------------------------------------------------


def oom_kills():
    try:
        with open("/sys/fs/cgroup/memory/memory.oom_control") as control:
            for line in control:
                if line.startswith("oom_kill "):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def peak_memory():
    try:
        with open("/sys/fs/cgroup/memory/memory.max_usage_in_bytes") as usage:
            return int(usage.read().strip())
    except (OSError, ValueError):
        return None


class Worker:
    def __init__(self):
        req_r, self.req = os.pipe()
        self.res, res_w = os.pipe()
        self.out, out_w = os.pipe()
        self.err, err_w = os.pipe()
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", WORKER_SOURCE, str(res_w)],
            stdin=req_r,
            stdout=out_w,
            stderr=err_w,
            pass_fds=(res_w,),
            close_fds=True,
            cwd="/tmp",
            env={"LANG": "C.UTF-8", "HOME": "/tmp", "PATH": "/usr/bin:/bin"},
            process_group=0,
            user=LEARNER,
            group=LEARNER,
            extra_groups=[],
        )
        for fd in (req_r, res_w, out_w, err_w):
            os.close(fd)
        for fd in (self.req, self.res, self.out, self.err):
            os.set_blocking(fd, False)
        self.killed = False
        self.oom_before = oom_kills()

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        self.killed = True
        for target in (lambda: os.killpg(self.proc.pid, signal.SIGKILL), self.proc.kill):
            with contextlib.suppress(OSError):  # already gone
                target()

    def ending(self, deadline):
        """How the process ended: (exit code, signal number, killed by the memory limit)."""
        try:
            self.proc.wait(timeout=max(0.05, min(1.0, deadline - now())))
        except subprocess.TimeoutExpired:
            self.kill()
            self.proc.wait()
        code = self.proc.returncode
        after = oom_kills()
        oom = after is not None and self.oom_before is not None and after > self.oom_before
        if code is not None and code < 0:
            # Without the cgroup's count (gVisor), a SIGKILL from nobody here is the limit's.
            guess = after is None and -code == signal.SIGKILL and not self.killed
            return None, -code, oom or guess
        return code, None, oom


class Pump:
    """Moves bytes between the supervisor and the worker without ever blocking on either."""

    def __init__(self, worker, output_cap):
        self.worker = worker
        self.pending = bytearray()  # to the worker's stdin
        self.frames = bytearray()  # from the result pipe
        self.output_left = output_cap
        self.flood = False
        self.keep = KEPT_STDOUT
        self.captured = bytearray()
        self.errors = bytearray()  # the tail of stderr: why a worker died
        self.open = {worker.res, worker.out, worker.err}
        self.on_output = None  # run mode: forward each chunk

    def send(self, text):
        body = text.encode()
        self.pending += struct.pack(">I", len(body)) + body

    def _take_output(self, fd, data):
        self.output_left -= len(data)
        if self.output_left < 0:
            self.flood = True
        if fd == self.worker.err:
            self.errors = (self.errors + data)[-2000:]
        if self.on_output is not None:
            self.on_output(fd, data)
        elif fd == self.worker.out and len(self.captured) < self.keep:
            self.captured += data[: self.keep - len(self.captured)]

    def forget_frames(self):
        for _ in range(64):  # bounded: a worker may write without end
            if self.worker.res not in self.open:
                break
            try:
                data = os.read(self.worker.res, 65536)
            except BlockingIOError:
                break
            if not data:
                self.open.discard(self.worker.res)
        self.frames.clear()

    def drain_output(self):
        """What the worker wrote before its last frame (already in the pipes)."""
        for fd in (self.worker.out, self.worker.err):
            while fd in self.open:
                try:
                    data = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if not data:
                    self.open.discard(fd)
                    break
                self._take_output(fd, data)

    def step(self, deadline):
        """Wait for I/O until ``deadline``; False when it passed with nothing to do."""
        left = min(deadline, HARD_END[0]) - now()
        if left <= 0:
            return False
        writers = [self.worker.req] if self.pending and self.worker.req is not None else []
        try:
            readable, writable = wait(list(self.open), writers, left)
        except InterruptedError:
            return True
        if writable:
            try:
                written = os.write(self.worker.req, self.pending[:65536])
                del self.pending[:written]
            except BlockingIOError:
                pass
            except OSError:  # the worker is gone; its pipes will say so
                self.pending.clear()
        for fd in readable:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno != errno.EAGAIN:
                    self.open.discard(fd)
                continue
            if not data:
                self.open.discard(fd)
            elif fd == self.worker.res:
                self.frames += data
            else:
                self._take_output(fd, data)
        return True

    def frame(self, deadline, body_cap):
        """The next frame: ("frame", header, body), or ("timeout"|"eof"|"output"|"invalid", why)."""
        while True:
            if self.flood:
                return "output", None, None
            found = self._parse(body_cap)
            if found is not None:
                return found
            if len(self.frames) > HEADER_CAP + body_cap + 8:
                return "invalid", "more written to the judge's channel than any answer needs", None
            if self.worker.res not in self.open:
                return "eof", None, None
            if not self.step(deadline):
                return "timeout", None, None

    def _parse(self, body_cap):
        if len(self.frames) < 4:
            return None
        size = struct.unpack(">I", self.frames[:4])[0]
        if size > HEADER_CAP:
            return "invalid", "a frame header larger than allowed", None
        if len(self.frames) < 4 + size:
            return None
        raw = bytes(self.frames[4 : 4 + size])
        try:
            header = json.loads(raw)
        except (ValueError, RecursionError):
            return "invalid", "an unreadable frame", None
        if not isinstance(header, dict):
            return "invalid", "a frame that is not an object", None
        body_size = header.get("n", 0)
        if type(body_size) is not int or body_size < 0:
            return "invalid", "a bad body size", None
        if body_size > body_cap:
            return "too_large", body_size, None
        if len(self.frames) < 4 + size + body_size:
            return None
        body = bytes(self.frames[4 + size : 4 + size + body_size])
        del self.frames[: 4 + size + body_size]
        return "frame", header, body or raw  # a header-only frame hands back its own text


# -- the two modes ----------------------------------------------------------------------------


def allowance(size):
    """Time to decode a test's input before the learner's code runs (it is not their time)."""
    return 0.05 + size / 40e6


def ready(pump, wall_seconds):
    """Wait for the learner's interpreter to be up (started ahead of time, but a busy machine
    can make that slow): only then do the learner's clocks start."""
    status, header, _ = pump.frame(now() + READY_SECONDS, HEADER_CAP)
    if status == "frame" and header.get("t") == "ready":
        HARD_END[0] = now() + wall_seconds + SLACK
        return True
    pump.worker.kill()
    emit(t="unready", why=str(status)[:100])
    return False


def judge(worker, job):
    pump = Pump(worker, job["output_bytes"])
    pump.keep = job["keep"]
    if not ready(pump, job["wall_seconds"]):
        return
    pump.send(json.dumps(job["setup"]))
    limit = job["test_seconds"]
    wall_end = now() + job["wall_seconds"]
    status, header, body = pump.frame(min(wall_end, now() + limit + 0.5), HEADER_CAP)
    if status != "frame" or header.get("t") != "loaded":
        return stopped(worker, pump, status, header, None, wall_end)
    emit(t="loaded", frame=body.decode("utf-8", "replace"))
    if not (header.get("error") is None and header.get("missing") is None) or header.get("memory"):
        return
    tests = job["tests"]
    for index in range(len(tests)):
        text, cap = tests[index], job["caps"][index]
        tests[index] = None  # the supervisor keeps no copy of big inputs
        pump.captured.clear()
        pump.forget_frames()  # nothing written before the test was sent answers it
        pump.send(text)
        started = now()
        test_end = min(wall_end, started + limit + allowance(len(text)))
        del text
        status, header, body = pump.frame(test_end, cap)
        elapsed = (now() - started) * 1000
        if status == "frame" and header.get("t") != "result":
            status, header = "invalid", "a frame that is not a result"
        if status != "frame":
            return stopped(worker, pump, status, header, index, wall_end, elapsed)
        pump.drain_output()
        if pump.flood:
            return stopped(worker, pump, "output", None, index, wall_end, elapsed)
        emit(
            t="result",
            i=index,
            ms=round(elapsed, 3),
            steps=body.decode("utf-8", "replace"),
            stdout=pump.captured.decode("utf-8", "backslashreplace"),
        )


def stopped(worker, pump, status, detail, index, wall_end, elapsed=None):
    """Report why a judged run ended early; the worker never continues after this."""
    if status == "eof":
        pump.drain_output()
        code, sig, oom = worker.ending(wall_end + SLACK)
        tail = pump.captured[-2000:].decode("utf-8", "backslashreplace")
        errors = pump.errors.decode("utf-8", "backslashreplace")
        return emit(t="died", i=index, code=code, signal=sig, oom=oom, stdout=tail, stderr=errors)
    worker.kill()
    if status == "timeout":
        wall = now() >= wall_end
        return emit(t="wall" if wall else "timeout", i=index, ms=elapsed)
    if status == "output":
        return emit(t="output", i=index)
    if status == "too_large":
        return emit(t="too_large", i=index, size=detail)
    return emit(t="invalid", i=index, why=str(detail)[:200])


def run(worker, job):
    """Eval-like: forward the program's output as it comes, then its exit status."""
    pump = Pump(worker, job["output_bytes"])
    decoders = {
        worker.out: codecs.getincrementaldecoder("utf-8")("backslashreplace"),
        worker.err: codecs.getincrementaldecoder("utf-8")("backslashreplace"),
    }
    names = {worker.out: 1, worker.err: 2}

    def forward(fd, data):
        if pump.output_left >= 0:
            emit(t="out", fd=names[fd], data=decoders[fd].decode(data))

    if not ready(pump, job["wall_seconds"]):
        return
    pump.on_output = forward
    pump.send(json.dumps(job["setup"]))
    wall_end = now() + job["wall_seconds"]
    while pump.open and not pump.flood:
        if not pump.step(wall_end):
            worker.kill()
            return emit(t="wall")
    if pump.flood:
        worker.kill()
        return emit(t="output")
    code, sig, oom = worker.ending(wall_end + SLACK)
    emit(t="exit", code=code, signal=sig, oom=oom)


def main():
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as init, then, nothing can interrupt us
    os.set_blocking(1, False)
    worker = Worker()
    become(JUDGE)  # from here on, no capability: and the learner cannot signal another user
    with contextlib.suppress(OSError, AttributeError):  # no libc: the seccomp profile remains
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    job = read_payload(HARD_END[0])
    if job is None or not worker.alive():  # idle limit, or nothing to judge with: start anew
        worker.kill()
        os._exit(0)
    HARD_END[0] = now() + READY_SECONDS + job["wall_seconds"] + SLACK
    emit(t="hello", python=sys.version.split()[0])
    try:
        (run if job["mode"] == "run" else judge)(worker, job)
    finally:
        worker.kill()
        emit(t="done", peak=peak_memory())
        os._exit(0)


main()
