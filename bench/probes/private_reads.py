# Probe for bench/run-kernel-pair: reads of private attributes (self._x, other._x, obj.__x) on the script's
# own objects, which the sandbox guards against modules held by trusted objects (docs/security-model.md,
# "Private attributes and __init__"). Not one of the kernels.

class Node(object):
    def __init__(self, value):
        self._value = value
        self.__weight = value & 3
        self._next = None

    def total(self, n):
        t = 0
        for i in range(n):
            t += self._value + self.__weight
        return t

    def same(self, other):
        return self._value == other._value


def bench(n):
    nodes = [Node(k) for k in range(64)]
    for a, b in zip(nodes, nodes[1:]):
        a._next = b
    t = nodes[5].total(n)
    hits = 0
    for i in range(n):
        node = nodes[i & 63]
        if node.same(nodes[(i * 7) & 63]):
            hits += 1
        if node._next is not None:
            hits += node._next._value & 1
    return '%d %d' % (t, hits)
