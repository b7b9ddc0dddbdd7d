"""The Jinja environment partnership templates render in: sandboxed, autoescaping, and bounded.

A partnership's own Word templates are code that runs on the officer's machine. Jinja's sandbox
already keeps them from Python's internals; this adds limits, so that a mistaken or hostile
template cannot run for ever or exhaust memory:

* loop iterations and calls: :data:`MAX_STEPS` for one paper (a loop inside a loop over
  ``range(100000)`` stops after a few seconds instead of running for days);
* text: a value built in the template (``'a' * 10**10``, a string doubled in a loop, a width of
  a billion in ``center`` or ``'{:>1000000000}'``) may hold :data:`MAX_VALUE_CHARS`, and the
  document :data:`MAX_OUTPUT_CHARS` (each loop's own text counted on every iteration);
* time: :data:`MAX_SECONDS` for one paper.

Past a limit the render stops with :class:`TemplateLimit`, which the renderer reports as one line
naming the template and the tag. The limits are far above what any paper needs: the master
chronology of a 5,000-entry case is about 25 million characters and 10,000 steps.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from string import Formatter
from typing import Any

from jinja2 import nodes, pass_environment, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import FILTERS
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

#: Loop iterations and calls in one paper.
MAX_STEPS = 2_000_000
#: Characters in one value built by the template (a text, or items in a list).
MAX_VALUE_CHARS = 20_000_000
#: Characters of the document's XML that one paper may produce.
MAX_OUTPUT_CHARS = 300_000_000
#: Seconds one paper may take to fill.
MAX_SECONDS = 120.0

#: Methods of text a template may call; the rest (translate, expandtabs...) are refused.
_TEXT_METHODS = frozenset({
    "capitalize", "casefold", "center", "count", "encode", "endswith", "find", "format", "format_map", "index",
    "isalnum", "isalpha", "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join",
    "ljust", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust",
    "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper",
    "zfill", "striptags", "unescape", "escape",
})
#: A call (a macro, a method) costs as much as this many loop iterations.
_CALL_STEPS = 10
_WIDE_FORMAT = re.compile(r"%[#0 +\-]*(?:\*|\d{7,})|%[#0 +\-]*\d*\.(?:\*|\d{7,})")


class TemplateLimit(Exception):
    """Raised inside a render when a template goes past one of the limits; the message says which."""


class _Budget:
    """What one render has used so far."""

    def __init__(self) -> None:
        self.steps = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_STEPS:
            raise TemplateLimit(f"the template repeats more than {MAX_STEPS:,} times (loops inside loops?), so it "
                                "was stopped")
        if self.steps & 0x3FF < n and time.monotonic() > self.deadline:
            raise TemplateLimit(f"filling the template took more than {MAX_SECONDS:.0f} seconds, so it was stopped")

    def write(self, n: int) -> None:
        self.output += n
        if self.output > MAX_OUTPUT_CHARS:
            raise TemplateLimit(f"the document would be over {MAX_OUTPUT_CHARS // 1_000_000} million characters long, "
                                "so it was stopped")


def _value(value: Any) -> Any:
    """Return ``value``, refusing a text or list longer than MAX_VALUE_CHARS."""
    try:
        size = len(value) if isinstance(value, (str, bytes, list, tuple, dict, set)) else 0
    except TypeError:
        size = 0
    if size > MAX_VALUE_CHARS:
        raise TemplateLimit(f"a value built in the template would be over {MAX_VALUE_CHARS // 1_000_000} million "
                            "characters or items long")
    return value


def _check_width(width: Any, what: str) -> None:
    if isinstance(width, int) and abs(width) > MAX_VALUE_CHARS:
        raise TemplateLimit(f"{what} asks for a width of {width:,} characters")


def _check_format(text: Any) -> None:
    """Refuse a format string asking for a huge width or precision ('%1000000000s', '{:>1000000000}')."""
    if not isinstance(text, str):
        return
    if _WIDE_FORMAT.search(text):
        raise TemplateLimit("a format asks for a width or precision of millions of characters")
    try:
        specs = [spec for _, _, spec, _ in Formatter().parse(text) if spec]
    except ValueError:
        return  # not a format string Python accepts: format() will say so
    for spec in specs:
        if "{" in spec or re.search(r"\d{7,}", spec):
            raise TemplateLimit("a format asks for a width or precision of millions of characters (or a width "
                                "given by a value)")


class _CountingCodeGenerator(CodeGenerator):
    """Compile templates so that every loop iteration is counted, with the text its body writes."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        # Rewrite each loop before the filters it uses are gathered: "for x in items" runs as
        # "for x in items|caseforms_loop(n)", n the characters of text its body writes.
        for loop in node.find_all(nodes.For):
            text = sum(len(n.data) for n in loop.find_all(nodes.TemplateData)) + sum(
                len(n.value) for n in loop.find_all(nodes.Const) if isinstance(n.value, str))
            loop.iter = nodes.Filter(loop.iter, "caseforms_loop", [nodes.Const(text)], [], None, None,
                                     lineno=loop.lineno, environment=self.environment)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # a ~ b ~ c: checked after joining, so a text doubled in a loop stops at twice the limit.
        self.write("environment.caseforms_value(")
        super().visit_Concat(node, frame)
        self.write(")")


#: Template texts compiled by a BoundedEnvironment, and their code.
_COMPILED: dict[str, Any] = {}
_COMPILED_MAX_CHARS = 2_000_000
_COMPILED_MAX_SOURCES = 256


class BoundedEnvironment(SandboxedEnvironment):
    """A sandboxed, autoescaping Jinja environment with a budget of steps, text and time (one per paper)."""

    code_generator_class = _CountingCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, finalize=self._written)
        self.budget = _Budget()
        #: The source last compiled (the part being filled), to quote the line a failure is on.
        self.last_source: str | None = None
        self.filters.update(_bounded_filters(self))
        self.globals["lipsum"] = _lipsum

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        self.last_source = source if isinstance(source, str) else None
        if not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        # Every BoundedEnvironment compiles a text to the same code (the budget is looked up on the environment
        # the template is bound to when it runs), so a template part filled again (six request letters; the ten
        # document properties of every paper) is compiled once a process, as Jinja's bytecode cache does.
        code = _COMPILED.get(source)
        if code is None:
            code = self.compile(source)
            if len(source) <= _COMPILED_MAX_CHARS:
                if len(_COMPILED) >= _COMPILED_MAX_SOURCES:
                    _COMPILED.pop(next(iter(_COMPILED)))
                _COMPILED[source] = code
        return (template_class or self.template_class).from_code(self, code, self.make_globals(globals), None)

    # -- counting ---------------------------------------------------------------------------------
    def caseforms_value(self, value: Any) -> Any:
        return _value(value)

    def _written(self, value: Any) -> Any:
        if isinstance(value, str):
            self.budget.write(len(value))
        return value

    def _loop(self, iterable: Any, text: int) -> Iterator[Any]:
        budget = self.budget
        for item in iterable:
            budget.step()
            if text:
                budget.write(text)
            yield item

    # -- operators, calls and attributes --------------------------------------------------------------
    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_VALUE_CHARS:
                    raise TemplateLimit(f"'*' would make a value of {len(seq) * n:,} characters or items")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > 100_000:
                raise TemplateLimit("'*' would make a number with tens of thousands of digits")
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 10_000:
                raise TemplateLimit(f"'**' would make a number with more than {right:,} digits")
        elif operator == "%":
            _check_format(left)
        return _value(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.budget.step(_CALL_STEPS)
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, (str, bytes)):
            if name in ("center", "ljust", "rjust", "zfill") and args:
                _check_width(args[0], f"{name}()")
            elif name == "replace" and len(args) >= 2:
                _check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else -1)
            elif name == "join" and args:
                args = (_joined_items(args[0], owner), *args[1:])
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(owner, (list, dict, set)):
            _value(owner)  # append, extend, update: the list itself must stay within bounds
        return _value(result)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, (str, bytes)) and callable(value) and attr not in _TEXT_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped


def _check_replace(text: Any, old: Any, new: Any, count: Any) -> None:
    if not (isinstance(old, type(text)) and isinstance(new, type(text))):
        return
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    if len(text) + found * (len(new) - len(old)) > MAX_VALUE_CHARS:
        raise TemplateLimit(f"replace() would make a text of {len(text) + found * (len(new) - len(old)):,} characters")


def _joined_items(items: Iterable[Any], separator: Any) -> list[Any]:
    """Return the items of a join, refusing them once the joined text would pass the limit."""
    taken: list[Any] = []
    size = 0
    for item in items:
        size += len(item) if isinstance(item, (str, bytes)) else len(str(item))
        size += len(separator) if isinstance(separator, (str, bytes)) else 0
        if size > MAX_VALUE_CHARS:
            raise TemplateLimit(f"join would make a text of over {MAX_VALUE_CHARS // 1_000_000} million characters")
        taken.append(item)
    return taken


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if n * max > 100_000:
        raise TemplateLimit("lipsum() asks for more than 100,000 words")
    return str(generate_lorem_ipsum(n=n, html=html, min=min, max=max))


def _bounded_filters(env: BoundedEnvironment) -> dict[str, Callable[..., Any]]:
    """Return Jinja's filters that can multiply a text, each refusing to pass the limits first."""
    builtin = FILTERS

    def caseforms_loop(iterable: Any, text: int = 0) -> Iterator[Any]:
        return env._loop(iterable, text)

    def center(value: Any, width: int = 80) -> Any:
        _check_width(width, "center")
        return builtin["center"](value, width)

    def indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> Any:
        text = str(s)
        each = width if isinstance(width, int) else len(str(width))
        if len(text) + (text.count("\n") + 1) * max(each, 0) > MAX_VALUE_CHARS:
            raise TemplateLimit("indent would make a text of over 20 million characters")
        return builtin["indent"](s, width, first, blank)

    def format_(value: Any, *args: Any, **kwargs: Any) -> Any:
        _check_format(value)
        return _value(builtin["format"](value, *args, **kwargs))

    @pass_eval_context
    def replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> Any:
        _check_replace(str(s), str(old), str(new), -1 if count is None else count)
        return builtin["replace"](eval_ctx, s, old, new, count)

    @pass_eval_context
    def join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> Any:
        if attribute is not None:
            return _value(builtin["join"](eval_ctx, value, d, attribute))
        return builtin["join"](eval_ctx, _joined_items(value, d), d)

    def batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
        _check_width(linecount, "batch")
        return builtin["batch"](value, linecount, fill_with)

    def slice_(value: Any, slices: int, fill_with: Any = None) -> Any:
        _check_width(slices, "slice")
        return builtin["slice"](value, slices, fill_with)

    @pass_environment
    def wordwrap(environment: Any, s: str, width: int = 79, break_long_words: bool = True,
                 wrapstring: str | None = None, break_on_hyphens: bool = True) -> str:
        breaks = len(s) // max(int(width), 1) + s.count("\n") + 1
        if len(s) + breaks * len(wrapstring or "\n") > MAX_VALUE_CHARS:
            raise TemplateLimit("wordwrap would make a text of over 20 million characters")
        return str(builtin["wordwrap"](environment, s, width, break_long_words, wrapstring, break_on_hyphens))

    return {"caseforms_loop": caseforms_loop, "center": center, "indent": indent, "format": format_,
            "replace": replace, "join": join, "batch": batch, "slice": slice_, "wordwrap": wordwrap}
