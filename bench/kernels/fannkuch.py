# Fannkuch: count pancake flips over every permutation of n items; list slicing and integer loops.
# Common subset of Python 2.7 and 3; no imports.


def bench(n):
    order = list(range(n))
    count = [0] * n
    most = 0
    checksum = 0
    sign = 1
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        perm = order[:]
        flips = 0
        k = perm[0]
        while k:
            perm[:k + 1] = perm[k::-1]
            flips += 1
            k = perm[0]
        if flips > most:
            most = flips
        checksum += sign * flips
        sign = -sign
        # the next permutation in the order that keeps the checksum well defined
        while True:
            if r == n:
                return '%d %d' % (checksum, most)
            first = order[0]
            i = 0
            while i < r:
                order[i] = order[i + 1]
                i += 1
            order[r] = first
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
