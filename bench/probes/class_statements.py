# Probe for bench/run-kernel-pair: class statements in a loop, each class with a method and a subclass,
# and one call on each; what the sandbox's __build_class__ (classes.py) adds to making a class. Not one
# of the kernels.

class Base(object):
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.made = True


def bench(n):
    total = 0
    for i in range(n):
        class Made(Base):
            def value(self):
                return i

        class Derived(Made):
            pass

        total += Derived().value()
    return str(total)
