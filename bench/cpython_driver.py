"""Runs one kernel under CPython with the harness's warm-up/timing loop; prints the checksum and
the timed iterations in milliseconds, tab-separated, on one line. Used by org.pysandbox.bench."""
import sys
import time


def main(path, n, warmup, timed):
    namespace = {'__name__': 'kernel'}
    with open(path) as f:
        exec(compile(f.read(), path, 'exec'), namespace)
    bench = namespace['bench']
    result = None
    for _ in range(warmup):
        result = bench(n)
    times = []
    for _ in range(timed):
        start = time.perf_counter()
        result = bench(n)
        times.append((time.perf_counter() - start) * 1000.0)
    print('\t'.join([str(result)] + ['%.4f' % t for t in times]))


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
