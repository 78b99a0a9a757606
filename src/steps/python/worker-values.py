# aiorch python: step worker, part 2 of 3 (between worker-isolation.py and worker.py):
# the context values a job reads, decoded only when read.
import marshal

class Entry:
    """A shared context value, received as JSON text and decoded only when a job reads it.
    Immutable values (str, number, bool, None, bytes) are then shared; a dict or list is kept
    in marshal form, so every job that reads it gets its own copy (marshal.loads is C and about
    twice as fast as json.loads) and no job can change what the next one sees."""

    __slots__ = ("raw", "blob", "value", "fixed")

    def __init__(self, raw):
        self.raw = raw
        self.blob = self.value = None
        self.fixed = False

    def fresh(self):
        if self.fixed:
            return self.value
        if self.blob is not None:
            return marshal.loads(self.blob)
        value = loads(self.raw)
        self.raw = None
        if isinstance(value, (dict, list)):
            self.blob = marshal.dumps(value)
        else:
            self.value, self.fixed = value, True
        return value

    def shared(self):
        """The decoded value itself, for the worker's own read-only use (environments)."""
        if not self.fixed:
            self.value = self.fresh()
            self.fixed, self.blob = True, None
        return self.value


class Inputs(dict):
    """`inputs`: a real dict (so `json.dumps(inputs)`, `dict(inputs)`, `**inputs` work) whose
    shared context values sit in it as Entry placeholders and are parsed into a private copy on
    first read: a job never pays for values it does not touch, nor mutates the cached originals."""

    __slots__ = ()

    def __init__(self, ctx, extra):
        dict.__init__(self, ctx)
        if extra:
            dict.update(self, extra)

    def __getitem__(self, key):
        value = dict.__getitem__(self, key)
        if type(value) is Entry:
            value = value.fresh()
            dict.__setitem__(self, key, value)
        return value

    def _fill(self):
        for key, value in list(dict.items(self)):
            if type(value) is Entry:
                dict.__setitem__(self, key, value.fresh())
        return self

    def get(self, key, default=None):
        return self[key] if dict.__contains__(self, key) else default

    # Overriding __iter__ also steers CPython's dict merge (dict(x), {**x}, f(**x)) off its fast
    # path that would copy the placeholders, onto keys() + __getitem__.
    def __iter__(self):
        return dict.__iter__(self)

    def setdefault(self, key, default=None):
        if dict.__contains__(self, key):
            return self[key]
        dict.__setitem__(self, key, default)
        return default

    def pop(self, key, *default):
        if dict.__contains__(self, key):
            value = self[key]
            dict.__delitem__(self, key)
            return value
        return dict.pop(self, key, *default)

    def popitem(self):
        return dict.popitem(self._fill())

    def values(self):
        return dict.values(self._fill())

    def items(self):
        return dict.items(self._fill())

    def copy(self):
        return dict(self._fill())

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return loads(unlimited(json.dumps, self._fill(), default=_tag))

    def __reduce__(self):
        return (dict, (dict(self._fill()),))

    def __or__(self, other):
        return dict.__or__(self.copy(), other)

    def __ror__(self, other):
        return dict(other) | self.copy()

    def __eq__(self, other):
        return dict.__eq__(self._fill(), other)

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return dict.__repr__(self._fill())
