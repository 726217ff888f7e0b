# Dictionary and string churn: building, slicing, joining, splitting, counting and sorting words.
# Common subset of Python 2.7 and 3; no imports.


def make_word(i):
    x = (i * 7919) % 100003 + 1
    w = ''
    while x:
        w += chr(97 + x % 26)
        x //= 26
    return w


def bench(n):
    words = [make_word(i) for i in range(n)]
    prefixes = {}
    for w in words:
        key = w[:2]
        prefixes[key] = prefixes.get(key, 0) + 1
    text = ' '.join(words)
    by_length = {}
    for part in text.split(' '):
        by_length.setdefault(len(part), []).append(part.upper())
    lines = []
    for key in sorted(prefixes):
        if prefixes[key] > 1:
            lines.append('%s=%d' % (key, prefixes[key]))
    report = ';'.join(lines)
    replaced = report.replace('=', ':').lower()
    pairs = dict((w, i) for i, w in enumerate(words))
    for w in words[::3]:
        if w in pairs:
            del pairs[w]
    h = 0
    for ch in replaced:
        h = (h * 31 + ord(ch)) % 1000003
    longest = sorted(by_length[max(by_length)])
    return '%d %d %d %d %s' % (len(prefixes), len(pairs), h, len(text), longest[0])
