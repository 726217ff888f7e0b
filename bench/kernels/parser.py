# Recursive-descent parser: generate arithmetic expressions, tokenize, parse to a tree, evaluate.
# Common subset of Python 2.7 and 3; no imports.

MOD = 1000000007


class Generator(object):
    def __init__(self, seed):
        self.seed = seed

    def next(self, bound):
        self.seed = (self.seed * 1103515245 + 12345) % 2147483648
        return (self.seed // 65536) % bound

    def expr(self, depth):
        if depth > 5 or self.next(4) == 0:
            return str(self.next(1000))
        choice = self.next(6)
        if choice == 0:
            return '(' + self.expr(depth + 1) + ')'
        if choice == 1:
            return '-' + self.expr(depth + 1)
        op = '+-*/%'[self.next(5)]
        return self.expr(depth + 1) + ' ' + op + ' ' + self.expr(depth + 1)


def tokenize(text):
    tokens = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == ' ':
            i += 1
        elif c.isdigit():
            j = i
            while j < n and text[j].isdigit():
                j += 1
            tokens.append(('num', int(text[i:j])))
            i = j
        else:
            tokens.append(('op', c))
            i += 1
    tokens.append(('end', None))
    return tokens


class Parser(object):
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos]

    def take(self):
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self):
        tree = self.expression()
        if self.peek()[0] != 'end':
            raise ValueError('trailing input')
        return tree

    def expression(self):
        node = self.term()
        while self.peek() in (('op', '+'), ('op', '-')):
            node = (self.take()[1], node, self.term())
        return node

    def term(self):
        node = self.factor()
        while self.peek() in (('op', '*'), ('op', '/'), ('op', '%')):
            node = (self.take()[1], node, self.factor())
        return node

    def factor(self):
        kind, value = self.take()
        if kind == 'num':
            return ('num', value)
        if value == '-':
            return ('neg', self.factor())
        if value == '(':
            node = self.expression()
            if self.take() != ('op', ')'):
                raise ValueError('missing )')
            return node
        raise ValueError('unexpected ' + str(value))


def evaluate(node):
    op = node[0]
    if op == 'num':
        return node[1]
    if op == 'neg':
        return (-evaluate(node[1])) % MOD
    a = evaluate(node[1])
    b = evaluate(node[2])
    if op == '+':
        return (a + b) % MOD
    if op == '-':
        return (a - b) % MOD
    if op == '*':
        return (a * b) % MOD
    if op == '/':
        return a // b if b else a
    return a % b if b else a


def bench(n):
    gen = Generator(42)
    total = 0
    nodes = 0
    for _ in range(n):
        text = gen.expr(0)
        tree = Parser(tokenize(text)).parse()
        total = (total + evaluate(tree)) % MOD
        nodes += len(text)
    return '%d %d' % (total, nodes)
