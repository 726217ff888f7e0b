"""Runs one kernel under CPython with the harness's warm-up/timing loop; prints the checksum and
the timed iterations in milliseconds, tab-separated, on one line. The optional fifth argument names
the clock: perf_counter (wall) or thread_time (CPU time of this thread). Used by org.pysandbox.bench."""
import sys
import time


def main(path, n, warmup, timed, timer):
    clock = getattr(time, timer)
    namespace = {'__name__': 'kernel'}
    with open(path) as f:
        exec(compile(f.read(), path, 'exec'), namespace)
    bench = namespace['bench']
    result = None
    for _ in range(warmup):
        result = bench(n)
    times = []
    for _ in range(timed):
        start = clock()
        result = bench(n)
        times.append((clock() - start) * 1000.0)
    print('\t'.join([str(result)] + ['%.4f' % t for t in times]))


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] if len(sys.argv) > 5 else 'perf_counter')
