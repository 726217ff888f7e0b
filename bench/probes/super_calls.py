# Probe for bench/run-kernel-pair: super().__init__(...) and super().__eq__(...), as subclasses call their
# base's in most current code. Each read of a dunder method passes the method guard (guards._method_guard),
# which hands the script's own methods out as they are, bound ones included. Not one of the kernels
# (BENCHMARKS.md, stop 41).

class Base(object):
    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return self.value == other.value

    __hash__ = None


class Derived(Base):
    def __init__(self, value, weight):
        super().__init__(value)
        self.weight = weight

    def __eq__(self, other):
        return super().__eq__(other) and self.weight == other.weight


def bench(n):
    same = 0
    kept = [Derived(0, 0)] * 64  # the objects escape, so the JIT cannot drop the calls
    for i in range(n):
        d = Derived(i & 7, i & 3)
        if d == kept[(i - 1) & 63]:
            same += 1
        kept[i & 63] = d
    return str(same)
