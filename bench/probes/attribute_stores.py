# Probe for bench/run-compile-path: attribute loads and stores on the script's own objects in a loop,
# nothing else (no calls but the guard the sandbox adds). Not one of the kernels.

class P(object):
    def __init__(self, k):
        self.a = k
        self.b = 0

class Q(P):
    pass

def bench(n):
    objs = [P(k) if k % 2 else Q(k) for k in range(64)]
    for i in range(n):
        p = objs[i & 63]
        q = objs[(i * 7) & 63]
        p.a = i
        q.b = p.a + 1
        p.b += q.b & 7
        q.a = p.b
    return '%d %d' % (objs[5].b, objs[6].a)
