# Spectral norm of an infinite matrix: a small function called n*n times per product, float lists.
# Common subset of Python 2.7 and 3; no imports.


def matrix_entry(i, j):
    ij = i + j
    return 1.0 / (ij * (ij + 1) // 2 + i + 1)


def times(v, out, n):
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += matrix_entry(i, j) * v[j]
        out[i] = s


def times_transposed(v, out, n):
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += matrix_entry(j, i) * v[j]
        out[i] = s


def times_ata(v, out, tmp, n):
    times(v, tmp, n)
    times_transposed(tmp, out, n)


def bench(n):
    u = [1.0] * n
    v = [0.0] * n
    tmp = [0.0] * n
    for _ in range(10):
        times_ata(u, v, tmp, n)
        times_ata(v, u, tmp, n)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return '%.9f' % ((vbv / vv) ** 0.5)
