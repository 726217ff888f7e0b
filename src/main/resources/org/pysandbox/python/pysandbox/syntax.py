"""The few syntax-tree helpers the checker needs, on top of the builtin ``_ast`` module.

Importing the stdlib ``ast`` module costs ~0.7 s of every interpreter's start on GraalPy 25.0
interpreter-only (its module body: the unparser, the precedence enum and their imports), and the
checker runs before the first guest line, so that time was in every first answer. The node classes
come from ``_ast`` directly, as ``ast`` itself takes them; the functions below behave as ``ast``'s
do for the trees ``compile(..., PyCF_ONLY_AST)`` returns. Nothing here loads ``ast``.
"""

from _ast import *  # noqa: F401,F403  (node classes: ast.Name, ast.Call, ...)
from _ast import AST, PyCF_ONLY_AST

# taken before set-up replaces what guest code sees: the checker parses with the interpreter's own
_compile = compile


def parse(source, filename='<unknown>', mode='exec'):
    return _compile(source, filename, mode, PyCF_ONLY_AST, dont_inherit=True)


def iter_fields(node):
    for name in node._fields:
        try:
            yield name, getattr(node, name)
        except AttributeError:
            pass


def iter_child_nodes(node):
    for _, value in iter_fields(node):
        if isinstance(value, AST):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, AST):
                    yield item


def walk(node):
    """Every node of the tree, the root first, breadth first (as ast.walk)."""
    pending = [node]
    index = 0
    while index < len(pending):
        current = pending[index]
        index += 1
        pending.extend(iter_child_nodes(current))
        yield current


_POSITIONS = ('lineno', 'col_offset', 'end_lineno', 'end_col_offset')


def copy_location(new_node, old_node):
    for attr in _POSITIONS:
        if attr in old_node._attributes and attr in new_node._attributes:
            value = getattr(old_node, attr, None)
            # the end positions are optional: copied also when None, as long as the old node has them
            if value is not None or (attr.startswith('end_') and hasattr(old_node, attr)):
                setattr(new_node, attr, value)
    return new_node


def fix_missing_locations(node):
    """Gives every node without a position its parent's, so that compile() accepts rewritten trees."""
    pending = [(node, (1, 0, 1, 0))]
    while pending:
        current, inherited = pending.pop()
        own = []
        for attr, value in zip(_POSITIONS, inherited):
            if attr in current._attributes:
                present = getattr(current, attr, None)
                if present is None:
                    setattr(current, attr, value)
                else:
                    value = present
            own.append(value)
        own = tuple(own)
        for child in iter_child_nodes(current):
            pending.append((child, own))
    return node


class NodeVisitor(object):
    def visit(self, node):
        return getattr(self, 'visit_' + node.__class__.__name__, self.generic_visit)(node)

    def generic_visit(self, node):
        for _, value in iter_fields(node):
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        self.visit(item)
            elif isinstance(value, AST):
                self.visit(value)


class NodeTransformer(NodeVisitor):
    """A visitor whose visit_X methods return the replacement: a node, a list of nodes, or None to drop."""

    def generic_visit(self, node):
        for name, old in iter_fields(node):
            if isinstance(old, list):
                replaced = []
                for item in old:
                    if isinstance(item, AST):
                        item = self.visit(item)
                        if item is None:
                            continue
                        if not isinstance(item, AST):
                            replaced.extend(item)
                            continue
                    replaced.append(item)
                old[:] = replaced
            elif isinstance(old, AST):
                new = self.visit(old)
                if new is None:
                    delattr(node, name)
                else:
                    setattr(node, name, new)
        return node
