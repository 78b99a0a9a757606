# aiorch python: step worker, part 3 of 3 (after worker-isolation.py and worker-values.py; the three are
# joined and started as `python3 -c <script>`). Standard library only.
#
# Protocol: line-delimited JSON. Requests arrive on the original stdin, replies leave on the
# original stdout; both are moved to private descriptors at start-up, so the step body sees
# /dev/null on fd 0 and a per-job capture file on fd 1 and can never corrupt the protocol.
#
#   {"t":"val","id":N}          the next line is the raw JSON of shared value N (kept as text)
#   {"t":"ctx","id":K,"refs":[[name, N], ...]}       context K: names bound to shared values
#   {"t":"code","id":C,"step":S,"src":BODY}           body C of step S (compiled once, cached)
#   {"t":"drop","vals":[N..],"ctxs":[K..],"codes":[C..]}    forget cached entries
#   {"t":"run","job":J,"code":C,"ctx":K|null,"extra":{..},"env":N|null,"cwd":str|null,"token":T}
#   (T is set as AIORCH_STEP_TOKEN for the job: every process the body starts inherits it, so
#   aiorch finds and kills them with the job, even those that left the worker's process group)
# Reply per run:
#   {"job":J,"ok":true,"value":V|absent,"stdout":S,"stderr":E[,"retire":true]}
#   {"job":J,"ok":false,"message":M,"traceback":T,"stdout":S,"stderr":E[,"retire":true]}
# With "live":true in the run request, each line the body prints (sys.stdout, sys.stderr) is
# also sent as it is written, before the reply: {"job":J,"live":"stdout"|"stderr","line":L}
# "retire": the job left threads running; the pool ends this worker after the reply.
# Bytes travel as {"$bytes": "<base64>"} in both directions.
import _thread
import base64
import faulthandler
import io
import json
import linecache
import marshal
import os
import sys
import tempfile
import traceback

BYTES_TAG = "$bytes"
MARKER = '"$bytes"'


def _untag(obj):
    if len(obj) == 1 and BYTES_TAG in obj and isinstance(obj[BYTES_TAG], str):
        return base64.b64decode(obj[BYTES_TAG])
    return obj


# Ints cross the wire whole, whatever their size (aiorch's JSON keeps every digit too), but the
# user's own code keeps Python's limit on int <-> str conversion (3.11+): it is lifted only
# while the worker itself reads or writes JSON.
_int_limit = getattr(sys, "get_int_max_str_digits", None)


def unlimited(fn, *args, **kwargs):
    limit = _int_limit() if _int_limit else 0
    if limit == 0:
        return fn(*args, **kwargs)
    sys.set_int_max_str_digits(0)
    try:
        return fn(*args, **kwargs)
    finally:
        sys.set_int_max_str_digits(limit)


def loads(text):
    if MARKER in text:
        return unlimited(json.loads, text, object_hook=_untag)
    return unlimited(json.loads, text)


class Unserialisable(Exception):
    pass


def _tag(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {BYTES_TAG: base64.b64encode(bytes(value)).decode("ascii")}
    raise Unserialisable(type(value).__name__)


def _keep_body_frames(te, filename, seen):
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    te.stack = traceback.StackSummary.from_list([f for f in te.stack if f.filename == filename])
    _keep_body_frames(te.__cause__, filename, seen)
    _keep_body_frames(te.__context__, filename, seen)


def describe(exc, step, filename):
    """Traceback limited to the body's own frames, and a one-line message naming step and line."""
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    _keep_body_frames(te, filename, set())
    text = "".join(te.format())
    last = [line for line in traceback.format_exception_only(type(exc), exc) if line.strip()]
    headline = last[-1].strip() if last else type(exc).__name__
    line = None
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    elif te.stack:
        line = te.stack[-1].lineno
    where = "step %s, line %d of the body" % (step, line) if line else "step %s" % step
    return headline + " (" + where + ")", text


def safe_describe(exc, step, filename):
    try:
        return describe(exc, step, filename)
    except Exception:  # an exception whose str() or traceback cannot be rendered
        return ("%s (step %s)" % (type(exc).__name__, step), "")


class Code:
    __slots__ = ("step", "filename", "code", "error", "global_changes")

    def __init__(self, step, src):
        self.step = step
        self.filename = "<step %s>" % step
        self.code = self.error = None
        self.global_changes = False
        # mtime None keeps linecache.checkcache() from discarding the entry.
        linecache.cache[self.filename] = (len(src), None, src.splitlines(True), self.filename)
        try:
            self.code = compile(src, self.filename, "exec", dont_inherit=True)
            self.global_changes = may_change_globals(self.code)
        except SyntaxError as exc:
            self.error = describe(exc, step, self.filename)


class LiveText(io.TextIOBase):
    """sys.stdout or sys.stderr of a live job: writes go to the job's capture as before, and
    every complete line is also sent to aiorch at once (the rest when the job ends)."""

    def __init__(self, target, stream, send):
        self.target, self.stream, self.send, self.pending = target, stream, send, ""

    def write(self, text):
        self.target.write(text)
        self.pending += text
        if "\n" in self.pending:
            *lines, self.pending = self.pending.split("\n")
            for line in lines:
                self.send(self.stream, line)
        return len(text)

    def finish(self):
        if self.pending:
            self.send(self.stream, self.pending)
            self.pending = ""

    def flush(self):
        self.target.flush()

    def fileno(self):
        return self.target.fileno()

    def isatty(self):
        return False

    def writable(self):
        return True

    @property
    def buffer(self):
        return self.target.buffer

    @property
    def encoding(self):
        return getattr(self.target, "encoding", "utf-8")


class Worker:
    def __init__(self):
        self.inp = open(os.dup(0), "rb", buffering=1 << 16)
        self.out = open(os.dup(1), "wb")
        self.out_lock = _thread.allocate_lock()  # live lines may come from the body's threads
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        # fd 1 becomes an anonymous file: print() and os.write(1, ...) of the body (and of its
        # child processes) land there and are collected after every job.
        self.capture = tempfile.TemporaryFile()
        os.dup2(self.capture.fileno(), 1)
        self.stdout = io.TextIOWrapper(open(1, "wb", closefd=False), encoding="utf-8", errors="backslashreplace")
        self.stderr = io.StringIO()
        sys.stdout = sys.__stdout__ = self.stdout
        sys.stderr = sys.__stderr__ = self.stderr
        self.fault_log = os.fdopen(os.dup(2), "w")
        faulthandler.enable(file=self.fault_log, all_threads=False)
        self.values, self.contexts, self.codes = {}, {}, {}
        self.base_env = dict(os.environ)
        self.base_cwd = os.getcwd()
        self.base_path = list(sys.path)
        self.local_dir = None
        self.pristine = None  # taken when the first job arrives, after every import of the worker

    def serve(self):
        readline = self.inp.readline
        while True:
            line = readline()
            if not line:
                return
            msg = loads(line.decode("utf-8"))
            kind = msg["t"]
            if kind == "run":
                self.reply(self.run(msg))
            elif kind == "val":
                self.values[msg["id"]] = Entry(readline().decode("utf-8"))
            elif kind == "ctx":
                values = self.values
                self.contexts[msg["id"]] = {name: values[ref] for name, ref in msg["refs"]}
            elif kind == "code":
                self.codes[msg["id"]] = Code(msg["step"], msg["src"])
            elif kind == "drop":
                for ref in msg.get("vals", ()):
                    self.values.pop(ref, None)
                for ref in msg.get("ctxs", ()):
                    self.contexts.pop(ref, None)
                for ref in msg.get("codes", ()):
                    code = self.codes.pop(ref, None)
                    if code is not None:
                        linecache.cache.pop(code.filename, None)

    def reply(self, line):
        # ensure_ascii (the json default) keeps lone surrogates and odd text safe on the wire.
        with self.out_lock:
            self.out.write(line.encode("ascii") + b"\n")
            self.out.flush()

    def run(self, msg):
        """Runs one job and returns its reply line (the result's JSON is spliced in, not re-encoded)."""
        code = self.codes[msg["code"]]
        reply = {"job": msg["job"]}
        failure = code.error
        ns = None
        try:
            ctx = self.contexts[msg["ctx"]] if msg.get("ctx") is not None else {}
            env_ref, cwd = msg.get("env"), msg.get("cwd")
            if env_ref is not None:
                set_env(self.values[env_ref].shared())
            if msg.get("token"):
                inherited = os.environ.get("AIORCH_STEP_TOKEN")
                os.environ["AIORCH_STEP_TOKEN"] = inherited + ":" + msg["token"] if inherited else msg["token"]
            if cwd:
                self.enter_dir(cwd)
        except Exception as exc:
            failure = ("%s: %s (step %s)" % (type(exc).__name__, exc, code.step), "")
        sys.stdout, sys.stderr = self.stdout, self.stderr
        if self.pristine is None:
            self.pristine = Pristine()
        live = None
        if msg.get("live"):
            job = msg["job"]

            def send(stream, line):
                self.reply(json.dumps({"job": job, "live": stream, "line": line}))

            live = (LiveText(self.stdout, "stdout", send), LiveText(self.stderr, "stderr", send))
            sys.stdout, sys.stderr = live
        if failure is None:
            ns = {"__name__": "__main__", "__builtins__": __builtins__, "inputs": Inputs(ctx, msg.get("extra") or {})}
            try:
                exec(code.code, ns)
            except SystemExit as exc:
                if exc.code not in (None, 0):
                    failure = safe_describe(exc, code.step, code.filename)
            except BaseException as exc:  # the worker must survive anything the body raises
                failure = safe_describe(exc, code.step, code.filename)
            self.pristine.restore(code.global_changes)
            if threads_left():
                reply["retire"] = True  # the pool ends this worker: its threads cannot touch later jobs
        if live is not None:
            for stream in live:
                stream.finish()
            sys.stdout, sys.stderr = self.stdout, self.stderr
        limit = msg.get("max")
        reply["stdout"], reply["stderr"], over = self.collect(limit)
        self.restore()
        if failure is None and over:
            failure = too_much(over, limit, code.step)
        if failure is not None:
            reply.update(ok=False, message=failure[0], traceback=failure[1])
            return dumps(reply)
        reply["ok"] = True
        result = ns.get("result") if ns is not None else None
        if result is None:
            return dumps(reply)
        try:
            value = unlimited(json.dumps, result, default=_tag, allow_nan=False, separators=(",", ":"))
        except Unserialisable as exc:
            return unserialisable(reply, code.step, "it contains a value of type %s" % exc)
        except ValueError as exc:
            reason = "NaN and Infinity are not JSON" if "Out of range" in str(exc) else str(exc)
            return unserialisable(reply, code.step, reason)
        except (TypeError, RecursionError) as exc:
            return unserialisable(reply, code.step, str(exc))
        if limit and len(value) > limit:
            message = too_much("its result is %d bytes of JSON" % len(value), limit, code.step)
            reply.update(ok=False, message=message[0], traceback=message[1])
            return dumps(reply)
        return dumps(reply)[:-1] + ',"value":' + value + "}"

    def restore(self):
        set_env(self.base_env)
        try:
            moved = os.getcwd() != self.base_cwd
        except OSError:  # the body removed its working directory
            moved = True
        if moved:
            os.chdir(self.base_cwd)
        sys.path[:] = self.base_path

    def enter_dir(self, cwd):
        # Modules imported from another step's folder must not shadow this one's.
        if self.local_dir is not None and self.local_dir != cwd:
            forget_modules_under(self.local_dir)
        self.local_dir = cwd
        os.chdir(cwd)
        sys.path.insert(0, os.path.abspath(cwd))

    def collect(self, limit=None):
        """The job's printed output and stderr, and what went over `limit` bytes (or None).
        Past the limit only the first 64 KiB is kept: the step fails, and its log shows why."""
        try:
            self.stdout.flush()
        except Exception:  # closed or broken by the body: start a new one for the next job
            self.stdout = io.TextIOWrapper(open(1, "wb", closefd=False), encoding="utf-8", errors="backslashreplace")
            sys.__stdout__ = self.stdout
        size = os.lseek(1, 0, os.SEEK_END)
        over = None
        keep = size
        if limit and size > limit:
            over, keep = "it printed %d bytes" % size, min(size, 1 << 16)
        out = ""
        if size:
            os.lseek(1, 0, os.SEEK_SET)
            chunks, left = [], keep
            while left > 0:
                chunk = os.read(1, min(1 << 20, left))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            os.ftruncate(1, 0)
            os.lseek(1, 0, os.SEEK_SET)
            out = b"".join(chunks).decode("utf-8", errors="replace")
        err = self.stderr.getvalue()
        if err:
            self.stderr.seek(0)
            self.stderr.truncate(0)
            if limit and len(err) > limit and over is None:
                over = "it wrote %d characters to stderr" % len(err)
            err = err[: 1 << 16] if over else err
        return out, err, over


def too_much(what, limit, step):
    message = (
        "the step produced more than AIORCH_MAX_OUTPUT (%d bytes): %s; raise AIORCH_MAX_OUTPUT, "
        "or write large output to a file (step %s)" % (limit, what, step)
    )
    return (message, "")


def unserialisable(reply, step, reason):
    message = (
        "TypeError: `result` is not JSON-serialisable: %s "
        "(allowed: dict, list, str, int, float, bool, None, bytes) (step %s)" % (reason, step)
    )
    reply.update(ok=False, message=message, traceback=message + "\n")
    return dumps(reply)


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"))


def set_env(target):
    environ = os.environ
    for key in [k for k in environ if k not in target]:
        del environ[key]
    for key, value in target.items():
        if environ.get(key) != value:
            environ[key] = value


def forget_modules_under(folder):
    prefix = os.path.join(os.path.abspath(folder), "")
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and path.startswith(prefix) and "-packages" not in path[len(prefix):]:
            del sys.modules[name]


Worker().serve()
