# Probe for bench/run-kernel-pair: dunder methods read off a class in source (Base.__init__(self, ...),
# Base.__eq__(a, b)), as subclasses call their base's. Each such read passes the method guard
# (guards._method_guard; docs/security-model.md, "vars() of a class"), which hands the script's own
# function out as it is. Not one of the kernels (BENCHMARKS.md, stop 41).

class Base(object):
    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return self.value == other.value

    __hash__ = None


class Derived(Base):
    def __init__(self, value, weight):
        Base.__init__(self, value)
        self.weight = weight

    def __eq__(self, other):
        return Base.__eq__(self, other) and self.weight == other.weight


def bench(n):
    same = 0
    kept = [Derived(0, 0)] * 64  # the objects escape, so the JIT cannot drop the calls
    for i in range(n):
        d = Derived(i & 7, i & 3)
        if d == kept[(i - 1) & 63]:
            same += 1
        kept[i & 63] = d
    return str(same)
