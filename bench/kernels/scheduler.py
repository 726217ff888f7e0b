# Object-oriented scheduler simulation: tasks of several classes exchange packets through a
# priority scheduler; method calls, attribute loads and stores on the script's own objects.
# Common subset of Python 2.7 and 3; no imports.


class Packet(object):
    def __init__(self, kind, payload, origin):
        self.kind = kind
        self.payload = payload
        self.origin = origin
        self.hops = 0


class Task(object):
    def __init__(self, scheduler, tid, priority):
        self.scheduler = scheduler
        self.tid = tid
        self.priority = priority
        self.inbox = []
        self.steps = 0
        self.blocked = False

    def send(self, dest, packet):
        packet.hops += 1
        self.scheduler.deliver(dest, packet)

    def run(self):
        self.steps += 1
        return self.step()

    def step(self):
        raise NotImplementedError


class Producer(Task):
    def __init__(self, scheduler, tid, priority, seed, quota):
        Task.__init__(self, scheduler, tid, priority)
        self.seed = seed
        self.quota = quota

    def step(self):
        if self.quota == 0:
            return False
        self.quota -= 1
        self.seed = (self.seed * 1103515245 + 12345) % 2147483648
        dest = self.scheduler.worker_ids[self.seed % len(self.scheduler.worker_ids)]
        self.send(dest, Packet('work', self.seed % 1000, self.tid))
        return True


class Worker(Task):
    def __init__(self, scheduler, tid, priority, logger):
        Task.__init__(self, scheduler, tid, priority)
        self.logger = logger
        self.total = 0

    def step(self):
        if not self.inbox:
            self.blocked = True
            return True
        packet = self.inbox.pop(0)
        acc = 0
        for d in range(packet.payload % 13 + 1):
            acc += d * packet.payload
        self.total = (self.total + acc) % 1000000007
        if packet.payload % 3 == 0:
            packet.kind = 'done'
            packet.payload = acc
            self.send(self.logger, packet)
        return True


class Logger(Task):
    def __init__(self, scheduler, tid, priority):
        Task.__init__(self, scheduler, tid, priority)
        self.seen = {}
        self.sum = 0

    def step(self):
        if not self.inbox:
            self.blocked = True
            return True
        while self.inbox:
            packet = self.inbox.pop()
            self.seen[packet.origin] = self.seen.get(packet.origin, 0) + 1
            self.sum = (self.sum + packet.payload * packet.hops) % 1000000007
        return True


class Scheduler(object):
    def __init__(self):
        self.tasks = {}
        self.worker_ids = []
        self.switches = 0

    def add(self, task):
        self.tasks[task.tid] = task
        return task

    def deliver(self, dest, packet):
        task = self.tasks[dest]
        task.inbox.append(packet)
        task.blocked = False

    def runnable(self):
        ready = [t for t in self.tasks.values() if not t.blocked]
        ready.sort(key=lambda t: (-t.priority, t.tid))
        return ready

    def run(self, rounds):
        for _ in range(rounds):
            ready = self.runnable()
            if not ready:
                return
            for task in ready:
                self.switches += 1
                if not task.run():
                    task.blocked = True


def bench(n):
    s = Scheduler()
    logger = s.add(Logger(s, 0, 1)).tid
    for i in range(6):
        s.worker_ids.append(s.add(Worker(s, 10 + i, 2 + i % 3, logger)).tid)
    for i in range(3):
        s.add(Producer(s, 100 + i, 5, 17 + i * 31, n))
    s.run(n * 4)
    totals = 0
    for tid in s.worker_ids:
        totals = (totals + s.tasks[tid].total) % 1000000007
    lg = s.tasks[logger]
    return '%d %d %d %d' % (s.switches, totals, lg.sum, len(lg.seen))
