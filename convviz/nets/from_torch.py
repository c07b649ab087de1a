"""Read a pasted ``nn.Sequential(...)`` model back into layer specs, without running it.

The source is only scanned and parsed (a token count, then Python's :mod:`ast`): nothing is
imported, evaluated or executed, and hostile text (megabytes, deep nesting, huge numbers,
``__import__``) is refused quickly with a :class:`~convviz.errors.LayerError` naming the line
and column.

>>> layers = from_pytorch("from torch import nn\\nmodel = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())")
>>> [layer.type_name for layer in layers], layers[0].kernel_size
(['Conv2d', 'ReLU'], (3, 3))
"""
from __future__ import annotations

import ast
import math
import re
import warnings
from typing import Any

from ..errors import LayerError
from .blocks import Concat, Residual
from .layers import LAYER_TYPES, Layer, layer_error
from .records import MAX_COUNT
from .to_torch import BLOCK_CLASSES

__all__ = ["from_pytorch", "MAX_SOURCE_CHARS", "MAX_LAYERS", "MAX_NESTING", "MAX_INT"]

#: Longest source accepted (characters), checked before anything is parsed.
MAX_SOURCE_CHARS = 100_000
#: Most layers in one ``nn.Sequential``.
MAX_LAYERS = 500
#: Deepest bracket nesting (``nn.Sequential(nn.Conv2d(3, 8, kernel_size=(3, 3)))`` is 3).
MAX_NESTING = 10
#: Largest integer accepted anywhere: the table's own limit (a million channels is already far past
#: any real network).
MAX_INT = MAX_COUNT
# Longest run of tokens between two brackets / commas, and longest chain of ``.x``, ``(...)``,
# ``[...]`` on one value: both keep Python's own parser from recursing deep on hostile text.
_MAX_RUN = 50
_MAX_CHAIN = 8
_MAX_TUPLE = 8
_MAX_STRING = 32

_REQUIRED = object()
# torch's own argument order and defaults; False marks an argument the specs do not model,
# accepted only at its default.
_SIGNATURES: dict[str, tuple[tuple[str, Any, bool], ...]] = {
    "Conv2d": (("in_channels", _REQUIRED, True), ("out_channels", _REQUIRED, True),
               ("kernel_size", _REQUIRED, True), ("stride", 1, True), ("padding", 0, True),
               ("dilation", 1, True), ("groups", 1, True), ("bias", True, True),
               ("padding_mode", "zeros", False), ("device", None, False), ("dtype", None, False)),
    "Linear": (("in_features", _REQUIRED, True), ("out_features", _REQUIRED, True), ("bias", True, True),
               ("device", None, False), ("dtype", None, False)),
    "MaxPool2d": (("kernel_size", _REQUIRED, True), ("stride", None, True), ("padding", 0, True),
                  ("dilation", 1, True), ("return_indices", False, False), ("ceil_mode", False, True)),
    "AvgPool2d": (("kernel_size", _REQUIRED, True), ("stride", None, True), ("padding", 0, True),
                  ("ceil_mode", False, True), ("count_include_pad", True, True),
                  ("divisor_override", None, False)),
    "AdaptiveAvgPool2d": (("output_size", _REQUIRED, True),),
    "Flatten": (("start_dim", 1, False), ("end_dim", -1, False)),
    "Unflatten": (("dim", _REQUIRED, True), ("unflattened_size", _REQUIRED, True)),
    "ReLU": (("inplace", False, True),),
    "Tanh": (),
    "ReLU6": (("inplace", False, True),),
    "BatchNorm2d": (("num_features", _REQUIRED, True), ("eps", 1e-5, True), ("momentum", 0.1, True),
                    ("affine", True, True), ("track_running_stats", True, False),
                    ("device", None, False), ("dtype", None, False)),
    "Dropout": (("p", 0.5, True), ("inplace", False, True)),
}
_FLOAT_ARGS = {"eps", "momentum", "p"}
_BOOL_ARGS = {"inplace"}  # the specs store it without checking (it changes nothing they count)


def _error(code: str, line: int, column: int, message: str, **params: Any) -> LayerError:
    err = layer_error(code, f"line {line}, column {column}: {message}", line=line, column=column, **params)
    err.line, err.column = line, column
    return err


# ---------------------------------------------------------------- before parsing

# One token at a time, as Python's tokenizer splits them (strings and comments whole), but
# in C through ``re``: ``tokenize`` is several times slower on 100 kB.
_TOKEN = re.compile(r"""
    (?P<string>[rRbBuUfF]{0,2}(?:\'\'\'(?:\\.|[^\\])*?\'\'\'|\"\"\"(?:\\.|[^\\])*?\"\"\"
                               |'(?:\\.|[^'\\\r\n])*'|"(?:\\.|[^"\\\r\n])*"))
  | (?P<comment>\#[^\r\n]*)
  | (?P<newline>\r\n|\r|\n)
  | (?P<space>[ \t\f]+|\\(?:\r\n|\r|\n))
  | (?P<number>\.?\d(?:[eE][+-]|[\w.])*)
  | (?P<name>\w+)
  | (?P<op>\*\*=?|//=?|->|:=|[-+*/%@&|^<>=!]=|<<|>>|\.\.\.|.)
""", re.VERBOSE | re.DOTALL)


#: A line break as Python's tokenizer sees one (``str.splitlines`` also breaks at ``\f``,
#: U+2028 and others, which would quote the wrong line).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _source_lines(source: str) -> list[str]:
    r"""The lines of ``source`` numbered as :mod:`ast` numbers them.

    >>> _source_lines("a = 1\fb\u2028c\r\nd")
    ['a = 1\x0cb\u2028c', 'd']
    """
    return _LINE_BREAK.split(source)


def _line_column(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, lines as :func:`_source_lines` counts them."""
    starts = [m.end() for m in _LINE_BREAK.finditer(source, 0, offset)]
    return len(starts) + 1, offset - (starts[-1] if starts else 0) + 1


def _prescan(source: str) -> None:
    """Refuse deep nesting, long operator runs and chains, and long numbers, token by token.

    Pure counting over a linear scan, never recursive, so it runs before :func:`ast.parse`
    ever sees the text. A run of operators and names is counted per bracket level and a
    bracketed group counts as one more item of the run around it, so ``(1)*(1)*(1)...`` is as
    long a run as ``1*1*1...`` (a run reset by every bracket let Python's parser recurse
    thousands deep). Syntax errors are left to the parser.
    """
    depth = 0
    runs = [0]  # the run of the current bracket level, and of each level around it
    chains = [0]
    previous = None  # (kind, text) of the last significant token
    for match in _TOKEN.finditer(source):
        kind, text = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            continue
        if (kind == "newline" and depth == 0) or text in (",", ";"):
            runs[-1], chains[-1], previous = 0, 0, None
            continue
        if kind == "newline":
            continue
        if kind == "number" and (len(text) > 24 or (
                text.replace("_", "").isdigit() and len(text.replace("_", "")) > len(str(MAX_INT)))):
            line, column = _line_column(source, match.start())
            raise _error("source_number_too_large", line, column,
                         f"the number {text[:20]}{'...' if len(text) > 20 else ''} has too many digits "
                         f"(integers up to {MAX_INT:,} are accepted)", found=text[:20], limit=MAX_INT)
        if text in ("(", "[", "{"):
            if previous is not None and (previous[0] in ("name", "string") or previous[1] in (")", "]")):
                chains[-1] += 1  # a call or subscript on the value before
                if chains[-1] > _MAX_CHAIN:
                    raise _chain_error(*_line_column(source, match.start()))
            depth += 1
            if depth > MAX_NESTING:
                line, column = _line_column(source, match.start())
                raise _error("source_too_deep", line, column,
                             f"brackets nested more than {MAX_NESTING} deep", limit=MAX_NESTING)
            chains.append(0)
            runs.append(0)
        elif text in (")", "]", "}"):
            depth = max(depth - 1, 0)
            if len(chains) > 1:
                chains.pop()
                runs.pop()
            _count_run(runs, source, match.start())  # the group is one item of the run around it
        else:
            if text == ".":
                chains[-1] += 1
                if chains[-1] > _MAX_CHAIN:
                    raise _chain_error(*_line_column(source, match.start()))
            elif kind == "op":
                chains[-1] = 0
            _count_run(runs, source, match.start())
        previous = (kind, text)


def _count_run(runs: list[int], source: str, offset: int) -> None:
    runs[-1] += 1
    if runs[-1] > _MAX_RUN:
        line, column = _line_column(source, offset)
        raise _error("source_too_deep", line, column,
                     f"more than {_MAX_RUN} operators and names in a row without a comma",
                     limit=_MAX_RUN)


def _chain_error(line: int, column: int) -> LayerError:
    return _error("source_too_deep", line, column,
                  f"a chain of more than {_MAX_CHAIN} attributes, calls or subscripts", limit=_MAX_CHAIN)


#: Python's own syntax-error messages, sorted into the kinds a student can act on (each its
#: own code with a translated message); anything else is ``source_syntax`` with the line and
#: column. Python's English wording stays in ``detail`` (and the English ``str()``).
_SYNTAX_KINDS = (
    (re.compile(r"'(?P<found>[(\[{])' was never closed"), "source_unclosed"),
    (re.compile(r"closing parenthesis '(?P<found>.)' does not match opening parenthesis '(?P<expected>.)'"),
     "source_mismatched"),
    (re.compile(r"unmatched '(?P<found>.)'"), "source_unmatched"),
    (re.compile(r"unterminated (triple-quoted )?string literal|EOF while scanning"), "source_unterminated_string"),
    (re.compile(r"invalid (non-printable )?character.*?U\+(?P<code>[0-9A-Fa-f]{4,6})"), "source_bad_character"),
    (re.compile(r"Perhaps you forgot a comma"), "source_missing_comma"),
)


def _syntax_error(source: str, err: SyntaxError) -> LayerError:
    """The coded error of a :class:`SyntaxError` from :func:`ast.parse`."""
    line, column = err.lineno or 1, err.offset or 1
    detail = str(err.msg)
    if "null bytes" in detail:  # no position from Python: the first NUL is the one to remove
        line, column = _line_column(source, source.index("\0")) if "\0" in source else (1, 1)
        return _error("source_bad_character", line, column, "the character U+0000 cannot appear in Python code",
                      found="U+0000", detail=detail)
    if isinstance(err, IndentationError):  # TabError too
        return _error("source_indentation", line, column,
                      f"the indentation (spaces at the start of a line) is wrong: {detail}", detail=detail)
    for pattern, code in _SYNTAX_KINDS:
        match = pattern.search(detail)
        if match is None:
            continue
        params = {k: v for k, v in match.groupdict().items() if v is not None}
        if "code" in params:
            params = {"found": "U+" + params.pop("code").upper()}
        return _error(code, line, column, f"this is not valid Python: {detail}", detail=detail, **params)
    return _error("source_syntax", line, column, f"this is not valid Python: {detail}", detail=detail)


#: The file name Python's parser gives pasted text. Its SyntaxWarnings (``1if x else 2``: "invalid
#: decimal literal") would go to the server's log for every paste; the text is only read, never
#: run, so they are silenced for this name only.
_FILENAME = "<pasted model>"
warnings.filterwarnings("ignore", category=SyntaxWarning, module=re.escape(_FILENAME) + r"\Z")

#: Lone surrogates: no valid text holds them (Python cannot even encode the source to parse it).
_SURROGATE = re.compile("[\ud800-\udfff]")


def _parse(source: str) -> ast.Module:
    surrogate = _SURROGATE.search(source)
    if surrogate is not None:
        line, column = _line_column(source, surrogate.start())
        found = f"U+{ord(surrogate.group()):04X}"
        raise _error("source_bad_character", line, column, f"the character {found} cannot appear in Python code",
                     found=found, detail="surrogates not allowed")
    try:
        return ast.parse(source, filename=_FILENAME, mode="exec")
    except SyntaxError as err:
        raise _syntax_error(source, err) from None
    except ValueError as err:  # null bytes, in Pythons that raise ValueError for them
        raise _syntax_error(source, SyntaxError(str(err))) from None
    except (RecursionError, MemoryError):  # nesting the prescan let through
        raise _error("source_too_deep", 1, 1, f"nested deeper than Python can read (the limit is {MAX_NESTING})",
                     limit=MAX_NESTING) from None


# ---------------------------------------------------------------- the tree

class _Reader:
    """Turns the parsed module into layers, refusing every node it does not expect."""

    def __init__(self, source: str) -> None:
        self.lines = _source_lines(source)
        self.classes: set[str] = set()  # the block classes defined so far (Residual, Concat)

    def where(self, node: ast.AST) -> tuple[int, int]:
        """1-based line and column (ast counts columns in UTF-8 bytes)."""
        line = getattr(node, "lineno", 1)
        offset = getattr(node, "col_offset", 0)
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return line, len(text.encode("utf-8")[:offset].decode("utf-8", "ignore")) + 1

    def found(self, node: ast.AST) -> str:
        line, column = self.where(node)
        end = getattr(node, "end_lineno", line)
        text = self.lines[line - 1][column - 1:] if 0 < line <= len(self.lines) else ""
        if end == line:
            text = text[:max(getattr(node, "end_col_offset", 0) - getattr(node, "col_offset", 0), 1)]
        text = " ".join(text.split())
        return text if len(text) <= 40 else text[:37] + "..."

    def refuse(self, code: str, node: ast.AST, message: str, **params: Any) -> LayerError:
        line, column = self.where(node)
        return _error(code, line, column, message, found=self.found(node), **params)

    # -- statements

    def module(self, tree: ast.Module) -> list[Layer]:
        model = None
        for stmt in tree.body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)) and self._torch_import(stmt):
                continue
            if (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
                    and isinstance(stmt.value.value, str)):
                continue  # a docstring
            if isinstance(stmt, ast.If) and self._is_main_check(stmt.test) and not stmt.orelse:
                continue  # the self-check block to_pytorch writes: never run, so never read
            if isinstance(stmt, ast.ClassDef) and model is None and stmt.name not in self.classes \
                    and stmt.name in _BLOCK_DUMPS and ast.dump(stmt) == _BLOCK_DUMPS[stmt.name]:
                self.classes.add(stmt.name)  # exactly the class to_pytorch writes: its meaning is known
                continue
            if (isinstance(stmt, ast.Assign) and model is None and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)):
                if not (isinstance(stmt.value, ast.Call) and self._nn_name(stmt.value.func) == "Sequential"):
                    raise self.refuse("source_not_sequential", stmt,
                                      f"no nn.Sequential(...) model here: `{self.found(stmt)}` assigns "
                                      f"something else")
                model = self.sequential(stmt.value)
                continue
            raise self.refuse(
                "source_not_supported", stmt,
                f"expected only torch imports, one `model = nn.Sequential(...)` and an optional "
                f"`if __name__ == \"__main__\":` block, found `{self.found(stmt)}`")
        if model is None:
            raise _error("source_no_model", 1, 1, "no `model = nn.Sequential(...)` found")
        return model

    def _torch_import(self, stmt: ast.Import | ast.ImportFrom) -> bool:
        """Whether ``stmt`` imports torch under its own names (``import torch``, ``import torch.nn as nn``,
        ``from torch import nn``); a torch import under another name (``import torch as nn``) is refused,
        since ``nn.X`` would then mean something else."""
        if isinstance(stmt, ast.Import):
            names = [(a.name, a.asname) for a in stmt.names]
            if not all(name in ("torch", "torch.nn") for name, _ in names):
                return False
            allowed = {("torch", None), ("torch", "torch"), ("torch.nn", None), ("torch.nn", "nn")}
        else:
            if not (stmt.module == "torch" and stmt.level == 0 and all(a.name == "nn" for a in stmt.names)):
                return False
            names = [(a.name, a.asname) for a in stmt.names]
            allowed = {("nn", None), ("nn", "nn")}
        if not all(pair in allowed for pair in names):
            raise self.refuse("source_import_alias", stmt,
                              f"`{self.found(stmt)}` imports torch under another name; write "
                              f"`import torch.nn as nn` or `from torch import nn`")
        return True

    @staticmethod
    def _is_main_check(test: ast.expr) -> bool:
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
            return False
        sides = [test.left, test.comparators[0]]
        names = [s.id for s in sides if isinstance(s, ast.Name)]
        consts = [s.value for s in sides if isinstance(s, ast.Constant)]
        return names == ["__name__"] and consts == ["__main__"]

    def _nn_name(self, func: ast.expr) -> str | None:
        """``X`` for ``nn.X`` / ``torch.nn.X``; None for anything else."""
        if not isinstance(func, ast.Attribute):
            return None
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id == "nn":
            return func.attr
        if (isinstance(owner, ast.Attribute) and owner.attr == "nn" and isinstance(owner.value, ast.Name)
                and owner.value.id == "torch"):
            return func.attr
        return None

    def sequential(self, node: ast.expr, *, position: int | None = None) -> list[Layer]:
        if not (isinstance(node, ast.Call) and self._nn_name(node.func) == "Sequential"):
            raise self.refuse("source_not_supported", node,
                              f"expected nn.Sequential(...), found `{self.found(node)}`")
        if node.keywords:
            raise self.refuse("source_not_supported", node.keywords[0],
                              f"nn.Sequential takes layers only, found `{self.found(node.keywords[0])}`")
        if len(node.args) > MAX_LAYERS:
            raise self.refuse("source_too_many_layers", node.args[MAX_LAYERS],
                              f"more than {MAX_LAYERS} layers", limit=MAX_LAYERS, count=len(node.args))
        return [self.layer(arg, position or index) for index, arg in enumerate(node.args, start=1)]

    # -- one layer

    def layer(self, node: ast.expr, position: int) -> Layer:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.classes):
            return self.block(node, position)
        name = self._nn_name(node.func) if isinstance(node, ast.Call) else None
        if name is None:
            raise self.refuse("source_not_layer", node,
                              f"layer {position}: expected a layer such as nn.Conv2d(...), found `{self.found(node)}`",
                              position=position)
        if name not in _SIGNATURES:
            raise self.refuse("source_unknown_layer", node,
                              f"layer {position}: nn.{name} is not one of the layers ConvViz knows "
                              f"({', '.join(_SIGNATURES)})", position=position, layer_type=name)
        signature = _SIGNATURES[name]
        names = [p[0] for p in signature]
        given: dict[str, Any] = {}
        where: dict[str, ast.AST] = {}
        if len(node.args) > len(signature):
            raise self.refuse("source_too_many_arguments", node.args[len(signature)],
                              f"layer {position}: nn.{name} takes at most {len(signature)} positional "
                              f"arguments, got {len(node.args)}", position=position, layer_type=name,
                              limit=len(signature))
        for arg_name, arg in zip(names, node.args):
            if isinstance(arg, ast.Starred):
                raise self.refuse("source_value", arg, f"layer {position}: expected a value, found `{self.found(arg)}`",
                                  position=position)
            given[arg_name], where[arg_name] = self.value(arg, position), arg
        for kw in node.keywords:
            if kw.arg is None or kw.arg not in names:
                raise self.refuse("source_unknown_argument", kw,
                                  f"layer {position}: nn.{name} has no argument "
                                  f"`{kw.arg if kw.arg else '**'}` (it takes {', '.join(names) or 'none'})",
                                  position=position, layer_type=name, argument=kw.arg or "**")
            if kw.arg in given:
                raise self.refuse("source_duplicate_argument", kw,
                                  f"layer {position}: nn.{name} got `{kw.arg}` twice",
                                  position=position, layer_type=name, argument=kw.arg)
            given[kw.arg], where[kw.arg] = self.value(kw.value, position), kw.value
        kwargs = {}
        for arg_name, default, modelled in signature:
            if arg_name not in given:
                if default is _REQUIRED:
                    raise self.refuse("source_missing_argument", node,
                                      f"layer {position}: nn.{name} needs `{arg_name}`",
                                      position=position, layer_type=name, argument=arg_name)
                continue
            value = given[arg_name]
            if not modelled:
                if value != default or type(value) is not type(default):
                    raise self.refuse("source_unsupported_value", where[arg_name],
                                      f"layer {position}: ConvViz supports nn.{name} only with "
                                      f"{arg_name}={default!r}, got {value!r}",
                                      position=position, layer_type=name, argument=arg_name, value=value)
                continue
            if arg_name not in _FLOAT_ARGS and any(isinstance(v, float) for v in
                                                   (value if isinstance(value, tuple) else (value,))):
                # torch builds its weights with torch.empty(out, in, kh, kw): a float there is a TypeError
                raise self.refuse("source_not_int", where[arg_name],
                                  f"layer {position}: {arg_name} must be a whole number without a decimal "
                                  f"point, as torch requires, got {value!r}",
                                  position=position, layer_type=name, argument=arg_name)
            if arg_name in _FLOAT_ARGS and not (
                    (isinstance(value, (int, float)) and not isinstance(value, bool))
                    or (arg_name == "momentum" and value is None)):
                raise self.refuse("source_unsupported_value", where[arg_name],
                                  f"layer {position}: {arg_name} must be a number, got {value!r}",
                                  position=position, layer_type=name, argument=arg_name, value=value)
            if arg_name in _BOOL_ARGS and not isinstance(value, bool):
                raise self.refuse("source_unsupported_value", where[arg_name],
                                  f"layer {position}: {arg_name} must be True or False, got {value!r}",
                                  position=position, layer_type=name, argument=arg_name, value=value)
            kwargs[arg_name] = value
        try:
            return LAYER_TYPES[name](**kwargs)
        except LayerError as err:
            line, column = self.where(node)
            wrapped = LayerError(f"line {line}, column {column}: layer {position} (nn.{name}): {err}",
                                 code=err.code, **{**err.params, "line": line, "column": column,
                                                   "position": position, "layer_type": name})
            wrapped.line, wrapped.column, wrapped.position = line, column, position
            raise wrapped from None

    def block(self, node: ast.Call, position: int) -> Layer:
        """``Residual(body[, shortcut])`` or ``Concat(branch, ...)``: each an nn.Sequential or one layer."""
        kind = node.func.id  # type: ignore[attr-defined]
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args) or not node.args \
                or (kind == "Residual" and len(node.args) > 2) or len(node.args) > MAX_LAYERS:
            raise self.refuse("source_not_supported", node,
                              f"layer {position}: expected {kind}(nn.Sequential(...), ...) with positional "
                              f"branches only, found `{self.found(node)}`", position=position)
        stacks: list = []
        for arg in node.args:
            if kind == "Residual" and isinstance(arg, ast.Constant) and arg.value is None and stacks:
                stacks.append(None)
            elif isinstance(arg, ast.Call) and self._nn_name(arg.func) == "Sequential":
                stacks.append(tuple(self.sequential(arg, position=position)))
            else:
                stacks.append((self.layer(arg, position),))
        try:
            return Residual(*stacks) if kind == "Residual" else Concat(tuple(stacks))
        except LayerError as err:
            raise self.refuse(err.code or "source_not_supported", node, f"layer {position}: {err}",
                              **{**err.params, "position": position}) from None

    # -- values

    def value(self, node: ast.expr, position: int, *, in_tuple: bool = False) -> Any:
        """A literal argument: int, float, True/False/None, a short string, a flat tuple or list."""
        if isinstance(node, ast.Constant):
            v = node.value
            if v is None or isinstance(v, bool):
                return v
            if isinstance(v, int):
                return self._int(v, node)
            if isinstance(v, float):
                if not math.isfinite(v):
                    raise self.refuse("source_bad_number", node, f"layer {position}: {v!r} is not a finite number",
                                      position=position)
                return v
            if isinstance(v, str) and len(v) <= _MAX_STRING:
                return v
        elif (isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd))
              and isinstance(node.operand, ast.Constant) and not isinstance(node.operand.value, bool)
              and isinstance(node.operand.value, (int, float))):
            v = self.value(node.operand, position, in_tuple=in_tuple)
            return -v if isinstance(node.op, ast.USub) else v
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Add, ast.Sub, ast.FloorDiv)):
            # 16 * 5 * 5, as people write Linear's in_features; each step stays within MAX_INT
            left = self.value(node.left, position, in_tuple=True)
            right = self.value(node.right, position, in_tuple=True)
            if all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right)):
                if isinstance(node.op, ast.FloorDiv) and right == 0:
                    raise self.refuse("source_bad_number", node, f"layer {position}: division by zero",
                                      position=position)
                op = {ast.Mult: int.__mul__, ast.Add: int.__add__, ast.Sub: int.__sub__,
                      ast.FloorDiv: int.__floordiv__}[type(node.op)]
                return self._int(op(left, right), node)
        elif isinstance(node, (ast.Tuple, ast.List)) and not in_tuple:
            if len(node.elts) > _MAX_TUPLE:
                raise self.refuse("source_value", node, f"layer {position}: a tuple of more than {_MAX_TUPLE} "
                                  "values", position=position, limit=_MAX_TUPLE)
            return tuple(self.value(e, position, in_tuple=True) for e in node.elts)
        raise self.refuse("source_value", node,
                          f"layer {position}: expected a number, True/False, None, a short string or a tuple "
                          f"of numbers, found {_describe(node)} `{self.found(node)}`",
                          position=position, kind=_describe(node))

    def _int(self, v: int, node: ast.AST) -> int:
        if abs(v) > MAX_INT:
            raise self.refuse("source_number_too_large", node,
                              f"{v} is too large (integers up to {MAX_INT:,} are accepted)", limit=MAX_INT)
        return v


#: ``ast.dump`` of each class ``to_pytorch`` writes: a pasted class must match it node for node.
_BLOCK_DUMPS = {name: ast.dump(ast.parse(text).body[0]) for name, text in BLOCK_CLASSES.items()}


def _describe(node: ast.AST) -> str:
    """What a refused value is, in a few words."""
    if isinstance(node, ast.Call):
        return "a function call"
    if isinstance(node, ast.Name):
        return "a name"
    if isinstance(node, ast.Attribute):
        return "an attribute"
    if isinstance(node, ast.Lambda):
        return "a lambda"
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return "a comprehension"
    if isinstance(node, (ast.Tuple, ast.List)):
        return "a nested tuple"
    return "an expression"


def from_pytorch(source: str) -> list[Layer]:
    """The layers of ``model = nn.Sequential(...)`` source, read without running it.

    Parameters
    ----------
    source : str
        Python source as :func:`convviz.to_pytorch` writes it: torch imports, one
        ``model = nn.Sequential(...)`` (any variable name) and optionally an
        ``if __name__ == "__main__":`` block, which is ignored. Layers are ``nn.X(...)`` or
        ``torch.nn.X(...)`` for the types in :data:`convviz.nets.layers.LAYER_TYPES`, with positional
        and keyword arguments in torch's order; values are literals (ints, floats, True/False,
        None, short strings such as ``"same"``, flat tuples or lists, negative numbers, and
        integer ``*``, ``+``, ``-``, ``//`` such as ``16 * 5 * 5``). Torch arguments the specs
        do not model (``padding_mode``, ``return_indices``, ...) are accepted at their default.
        The ``Residual`` and ``Concat`` classes ``to_pytorch`` writes for branching blocks are
        read when their definitions are exactly those (:data:`convviz.nets.to_torch.BLOCK_CLASSES`),
        and then ``Residual(nn.Sequential(...)[, nn.Sequential(...)])`` and
        ``Concat(nn.Sequential(...), ...)`` may appear as layers; any other class is refused.

    Returns
    -------
    list of Layer
        The stack, each layer checked by its constructor. Shapes are not checked (there is no
        input shape): pass the list to :func:`convviz.summarize`.

    Raises
    ------
    LayerError
        With ``code`` and ``params`` (``line``, ``column``, and ``found``: the refused text) for
        anything else: ``source_type``, ``source_too_long``, ``source_syntax``,
        ``source_too_deep``, ``source_number_too_large``, ``source_bad_number``,
        ``source_not_supported``, ``source_not_layer``, ``source_no_model``, ``source_too_many_layers``,
        ``source_unknown_layer``, ``source_too_many_arguments``, ``source_unknown_argument``,
        ``source_duplicate_argument``, ``source_missing_argument``, ``source_unsupported_value``,
        ``source_value``; a layer's own errors (``positive``, ``groups_divide``, ...) keep their
        code and gain ``line``, ``column`` and ``position``.

    Examples
    --------
    >>> from convviz import to_pytorch
    >>> from convviz.nets.layers import Conv2d, MaxPool2d
    >>> stack = [Conv2d(3, 16, 3, padding="same"), MaxPool2d(2)]
    >>> from_pytorch(to_pytorch(stack, input_shape=(3, 32, 32))) == stack
    True
    >>> from_pytorch("import os\\nmodel = nn.Sequential()")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: line 1, column 1: expected only torch imports, one `model = nn.Sequential(...)` and
        an optional `if __name__ == "__main__":` block, found `import os`
    >>> from_pytorch("model = nn.Sequential(nn.Conv2d(3, 8, __import__('os')))")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    convviz.errors.LayerError: line 1, column 39: layer 1: expected a number, True/False, None, a short string or a
        tuple of numbers, found a function call `__import__('os')`
    """
    if not isinstance(source, str):
        raise layer_error("source_type", f"source must be text (str), got {type(source).__name__}",
                          param="source", value=type(source).__name__)
    if len(source) > MAX_SOURCE_CHARS:
        raise layer_error("source_too_long",
                          f"the source is {len(source):,} characters long; the limit is {MAX_SOURCE_CHARS:,}",
                          chars=len(source), limit=MAX_SOURCE_CHARS)
    _prescan(source)
    tree = _parse(source)
    try:
        return _Reader(source).module(tree)
    except RecursionError:  # the prescan bounds the tree's depth; this is the last guard
        raise _error("source_too_deep", 1, 1, f"nested deeper than Python can read (the limit is {MAX_NESTING})",
                     limit=MAX_NESTING) from None
