# A sandboxed script: ordinary Python works, the host stays out of reach.
# Run it with:  bin/pysandbox -f stdout samples/hello/hello.py [name]

class Greeter:
    def __init__(self, greeting):
        self.greeting = greeting

    def greet(self, name):
        return f"{self.greeting}, {name}!"


name = argv[1] if len(argv) > 1 else "world"
print(Greeter("Hello").greet(name))

squares = {n: n * n for n in range(1, 6)}
print("squares:", squares)

# What the sandbox refuses, and what it says about it:
for attempt in ("open('/etc/passwd').read()", "__import__('os').system('id')"):
    try:
        eval(attempt)
    except Exception as err:
        print(f"blocked: {attempt} -> {type(err).__name__}: {err}")
