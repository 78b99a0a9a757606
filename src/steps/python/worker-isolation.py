# aiorch python: step worker, part 1 of 3 (worker-isolation.py, worker-values.py, worker.py, joined when it starts):
# what keeps one job from changing what the next sees.
import builtins
import opcode
import signal
import sys

# Jobs share one interpreter, so a body could change what later bodies (and the worker
# itself) see. After every job the builtins are put back; a body that can change other
# modules' attributes, interpreter settings or signal handlers (decided once, from its code:
# attribute stores and deletes, setattr/vars/__dict__/builtins and the like) also gets every
# module loaded before the first job, sys settings and signal handlers put back.
_ATTR_OPS = {opcode.opmap[name] for name in ("STORE_ATTR", "DELETE_ATTR") if name in opcode.opmap}
_GLOBAL_NAMES = {
    "setattr", "delattr", "vars", "globals", "__dict__", "builtins", "__builtins__", "modules", "setrecursionlimit",
    "settrace", "setprofile", "signal", "alarm", "setitimer", "atexit", "setswitchinterval",
}


def may_change_globals(code):
    if _GLOBAL_NAMES.intersection(code.co_names):
        return True
    raw = code.co_code
    if any(raw[i] in _ATTR_OPS for i in range(0, len(raw), 2)):
        return True
    return any(may_change_globals(c) for c in code.co_consts if hasattr(c, "co_code"))


_MISSING = object()


class Pristine:
    """What a job may not leave changed: taken once, after the worker's own set-up."""

    def __init__(self):
        self.builtins = dict(builtins.__dict__)
        self.modules = [(m, dict(m.__dict__)) for m in list(sys.modules.values()) if isinstance(getattr(m, "__dict__", None), dict)]
        self.recursion = sys.getrecursionlimit()
        self.switch = sys.getswitchinterval()
        self.signals = [(n, signal.getsignal(n)) for n in signal.valid_signals() if signal.getsignal(n) is not None]

    def restore(self, everything):
        live = builtins.__dict__
        if live != self.builtins:
            live.clear()
            live.update(self.builtins)
        if not everything:
            return
        for module, saved in self.modules:
            current = module.__dict__
            if current != saved:
                for key, value in saved.items():
                    if current.get(key, _MISSING) is not value:
                        current[key] = value
        sys.setrecursionlimit(self.recursion)
        sys.setswitchinterval(self.switch)
        sys.settrace(None)
        sys.setprofile(None)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for number, handler in self.signals:
            try:
                if signal.getsignal(number) is not handler:
                    signal.signal(number, handler)
            except (OSError, ValueError, TypeError):
                pass


def threads_left():
    """Threads a job started and left running (they could act during a later job)."""
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1
