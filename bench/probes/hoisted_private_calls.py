# Probe for bench/run-kernel-pair: calls of a method whose two private reads of self take the hoisted purity
# test once per call (checker._hoist_ownership_tests). Not one of the kernels.
class Acc(object):
    def __init__(self, v):
        self._v = v
        self._w = v + 1

    def both(self):
        return self._v + self._w


def bench(n):
    accs = [Acc(k) for k in range(16)]
    t = 0
    for i in range(n):
        t += accs[i & 15].both()
    return str(t)
