"""Camel Simple, as Content Modifiers, routers, loops and adapter fields use it.

Templates: text with ``${...}`` functions (``${header.x}``, ``${property.y}``, ``${in.body}``,
``${date:now:yyyy-MM-dd}``, ``${camelId}``, ``${exception.message}``, ``${null}`` ...), nested
functions resolved inside out (``${property.${header.name}}``).

Predicates (non-XML router conditions, loop conditions): ``left op right`` joined by ``and``/``or``
(``&&``/``||``), evaluated left to right as Camel does. Operators: ``=`` / ``==``, ``!=``, ``>``,
``>=``, ``<``, ``<=``, ``contains``, ``not contains``, ``~~`` (contains, ignoring case), ``=~``
(equals, ignoring case), ``in``, ``not in``, ``regex``, ``not regex``, ``range``, ``not range``,
``starts with``, ``ends with``. Operands are functions, quoted text (which may hold functions),
numbers, ``null``, ``true``/``false`` or bare words. Comparison coerces types as Camel does: a
number against numeric text compares as numbers, and so do two numeric texts for ordering.
"""

from __future__ import annotations

import os
import random
import re
from datetime import datetime, timezone
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from .errors import ProcessingError
from .exchange import Exchange
from .javadate import format_java

SIMPLE_ERROR = "org.apache.camel.language.simple.types.SimpleIllegalSyntaxException"


class SimpleEnv(Protocol):
    """What functions need beyond the exchange."""

    camel_id: str
    mpl_id: str


class _Env:
    camel_id = ""
    mpl_id = ""


def _find_close(text: str, start: int) -> int:
    """Index of the ``}`` closing the ``${`` at ``start`` (nested functions allowed), or -1."""
    depth = 0
    i = start
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def is_single_function(text: str) -> bool:
    """True when the whole text is one ``${...}``."""
    text = text.strip()
    return text.startswith("${") and _find_close(text, 0) == len(text) - 1


def evaluate(text: str | None, ex: Exchange, env: SimpleEnv | None = None) -> Any:
    """A template's value: the raw value of a lone function (may be None), else the joined text."""
    if text is None:
        return None
    env = env or _Env()
    if is_single_function(text):
        stripped = text.strip()
        return _function(interpolate(stripped[2:-1], ex, env), ex, env)
    return interpolate(text, ex, env)


def interpolate(text: str, ex: Exchange, env: SimpleEnv | None = None) -> str:
    """Replace every ``${...}`` in ``text`` by its value's text (None becomes empty)."""
    env = env or _Env()
    out = []
    i = 0
    while True:
        start = text.find("${", i)
        if start == -1:
            out.append(text[i:])
            break
        end = _find_close(text, start)
        if end == -1:
            raise ProcessingError(f"expected symbol }} to end expression at location {start}: {text}",
                                  java_class=SIMPLE_ERROR)
        out.append(text[i:start])
        inner = interpolate(text[start + 2:end], ex, env)
        value = _function(inner, ex, env)
        out.append(to_text(value))
        i = end + 1
    return "".join(out)


def to_text(value: Any) -> str:
    """A value as Camel would convert it to String."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_INDEXED = re.compile(r"^(\w+(?:\.\w+)?)\[['\"]?(.+?)['\"]?\]$")


def _function(name: str, ex: Exchange, env: SimpleEnv) -> Any:
    name = name.strip()
    lowered = name
    if lowered in ("body", "in.body", "bodyAs(String)", "bodyAs(java.lang.String)",
                   "mandatoryBodyAs(String)", "mandatoryBodyAs(java.lang.String)", "bodyOneLine"):
        return ex.text if lowered != "bodyOneLine" else ex.text.replace("\n", "").replace("\r", "")
    if lowered == "null":
        return None
    if lowered in ("camelId", "camelContext.name"):
        return env.camel_id
    if lowered in ("exchangeId",):
        return ex.exchange_id
    if lowered in ("id", "messageId"):
        return env.mpl_id or ex.exchange_id
    match = _INDEXED.match(name)
    if match:
        kind, key = match.group(1), match.group(2)
        name = f"{kind}.{key}"
    for prefix in ("in.headers.", "in.header.", "headers.", "header."):
        if name.startswith(prefix):
            return ex.headers.get(name[len(prefix):])
    for prefix in ("exchangeProperty.", "property."):
        if name.startswith(prefix):
            return ex.properties.get(name[len(prefix):])
    if name.startswith("date:") or name.startswith("date-with-timezone:"):
        return _date(name, ex)
    if name.startswith("exception"):
        exc = ex.exception
        if name == "exception":
            return str(exc) if exc else None
        if name == "exception.message":
            return exc.message if exc else None
        if name == "exception.stacktrace":
            return f"{exc}\n\tat {exc.step_id or 'route'}" if exc else None
        if name in ("exception.class", "exception.class.name"):
            return exc.java_class if exc else None
    if name.startswith("sys."):
        return None
    if name.startswith("sysenv.") or name.startswith("env."):
        return os.environ.get(name.split(".", 1)[1])
    if name.startswith("random(") and name.endswith(")"):
        args = [int(a) for a in name[7:-1].split(",")]
        low, high = (0, args[0]) if len(args) == 1 else (args[0], args[1])
        return random.randrange(low, high)
    raise ProcessingError(f"Unknown function: {name} at location 0", java_class=SIMPLE_ERROR)


def _date(name: str, ex: Exchange) -> str | datetime:
    with_tz = name.startswith("date-with-timezone:")
    parts = name.split(":", 3 if with_tz else 2)
    source = parts[1] if len(parts) > 1 else "now"
    tz: Any = timezone.utc
    pattern = None
    if with_tz:
        if len(parts) < 4:
            raise ProcessingError(f"Valid syntax: ${{date-with-timezone:command:timezone:pattern}} was: {name}",
                                  java_class=SIMPLE_ERROR)
        tz = ZoneInfo(parts[2])
        pattern = parts[3]
    elif len(parts) > 2:
        pattern = parts[2]
    if source == "now":
        moment = datetime.now(tz)
    elif source.startswith("header.") or source.startswith("property.") or source.startswith("exchangeProperty."):
        kind, key = source.split(".", 1)
        raw = ex.headers.get(key) if kind == "header" else ex.properties.get(key)
        moment = _as_datetime(raw, name)
    else:
        raise ProcessingError(f"Command not supported for dateExpression: {source}", java_class=SIMPLE_ERROR)
    if pattern is None:
        return moment
    try:
        return format_java(moment.astimezone(tz), pattern)
    except ValueError as exc:
        raise ProcessingError(str(exc), java_class="java.lang.IllegalArgumentException") from exc


def _as_datetime(raw: Any, name: str) -> datetime:
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, (int, float)):
        return datetime.fromtimestamp(raw / 1000, timezone.utc)
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            pass
    raise ProcessingError(f"Cannot find date object for {name}", java_class=SIMPLE_ERROR)


# --- predicates -------------------------------------------------------------------------------

_BINARY = ["not contains", "not regex", "not range", "not in", "starts with", "ends with",
           "contains", "regex", "range", "in", "==", "=~", "!=", ">=", "<=", "~~", ">", "<", "="]
_WORD_OPS = {op for op in _BINARY if op[0].isalpha()}


def _scan(text: str):
    """Yield (index, char, at_top_level) outside quotes and ``${...}``."""
    i = 0
    quote = None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
            yield i, ch, False
            i += 1
            continue
        if ch in "'\"":
            quote = ch
            yield i, ch, False
            i += 1
            continue
        if text.startswith("${", i):
            end = _find_close(text, i)
            if end == -1:
                raise ProcessingError(f"expected symbol }} to end expression: {text}", java_class=SIMPLE_ERROR)
            for j in range(i, end + 1):
                yield j, text[j], False
            i = end + 1
            continue
        yield i, ch, True
        i += 1


def _split_logical(text: str) -> list[tuple[str, str]]:
    """``[(joiner, term), ...]``; the first joiner is empty."""
    top = [False] * len(text)
    for i, _, is_top in _scan(text):
        top[i] = is_top
    parts: list[tuple[str, str]] = []
    joiner = ""
    start = 0
    i = 0
    while i < len(text):
        if top[i]:
            for op, norm in ((" and ", "and"), (" or ", "or"), (" && ", "and"), (" || ", "or"),
                             ("&&", "and"), ("||", "or")):
                if text.startswith(op, i) and all(top[i:i + len(op)]):
                    parts.append((joiner, text[start:i]))
                    joiner = norm
                    i += len(op)
                    start = i
                    break
            else:
                i += 1
                continue
            continue
        i += 1
    parts.append((joiner, text[start:]))
    return parts


def _split_binary(term: str) -> tuple[str, str | None, str]:
    top = [False] * len(term)
    for i, _, is_top in _scan(term):
        top[i] = is_top
    for i in range(len(term)):
        if not top[i]:
            continue
        for op in _BINARY:
            if not term.startswith(op, i) or not all(top[i:i + len(op)]):
                continue
            if op in _WORD_OPS:
                before = term[i - 1] if i > 0 else ""
                after = term[i + len(op)] if i + len(op) < len(term) else ""
                if not (before.isspace() and after.isspace()):
                    continue
            elif op == "=" and (term[i + 1:i + 2] in ("=", "~") or term[i - 1:i] in ("!", "<", ">", "=")):
                continue
            elif op in (">", "<") and term[i + 1:i + 2] == "=":
                continue
            return term[:i].strip(), op, term[i + len(op):].strip()
    return term.strip(), None, ""


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _operand(text: str, ex: Exchange, env: SimpleEnv) -> Any:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return interpolate(text[1:-1], ex, env)
    if is_single_function(text):
        return evaluate(text, ex, env)
    if text == "null":
        return None
    if text in ("true", "false"):
        return text == "true"
    if _NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return interpolate(text, ex, env)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return float(value.strip())
    return None


def _equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return to_text(left).lower() == to_text(right).lower()
    if isinstance(left, (int, float)) or isinstance(right, (int, float)):
        ln, rn = _number(left), _number(right)
        if ln is not None and rn is not None:
            return ln == rn
    return to_text(left) == to_text(right)


def _compare(left: Any, right: Any) -> int:
    ln, rn = _number(left), _number(right)
    if ln is not None and rn is not None:
        return (ln > rn) - (ln < rn)
    if left is None or right is None:
        raise ProcessingError("cannot compare a null value", java_class="java.lang.NullPointerException")
    lt, rt = to_text(left), to_text(right)
    return (lt > rt) - (lt < rt)


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    return to_text(value).strip().lower() == "true"


def _binary(left: Any, op: str, right: Any) -> bool:
    if op in ("=", "=="):
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if op == "=~":
        return left is not None and right is not None and to_text(left).lower() == to_text(right).lower()
    if op in (">", ">=", "<", "<="):
        if left is None or right is None:
            return False
        result = _compare(left, right)
        return {">": result > 0, ">=": result >= 0, "<": result < 0, "<=": result <= 0}[op]
    if op in ("contains", "not contains", "~~"):
        if left is None:
            found = False
        elif isinstance(left, (list, tuple, set)):
            found = any(_equal(item, right) for item in left)
        elif op == "~~":
            found = to_text(right).lower() in to_text(left).lower()
        else:
            found = to_text(right) in to_text(left)
        return found if op != "not contains" else not found
    if op in ("in", "not in"):
        items = right if isinstance(right, (list, tuple)) else to_text(right).split(",")
        found = any(_equal(left, item.strip() if isinstance(item, str) else item) for item in items)
        return found if op == "in" else not found
    if op in ("regex", "not regex"):
        found = left is not None and re.fullmatch(to_text(right), to_text(left)) is not None
        return found if op == "regex" else not found
    if op in ("range", "not range"):
        low, _, high = to_text(right).partition("..")
        value = _number(left)
        found = value is not None and float(low) <= value <= float(high)
        return found if op == "range" else not found
    if op == "starts with":
        return left is not None and to_text(left).startswith(to_text(right))
    if op == "ends with":
        return left is not None and to_text(left).endswith(to_text(right))
    raise ProcessingError(f"unsupported operator {op}", java_class=SIMPLE_ERROR)


def predicate(text: str, ex: Exchange, env: SimpleEnv | None = None) -> bool:
    """Evaluate a Simple predicate."""
    env = env or _Env()
    if not text or not text.strip():
        raise ProcessingError("empty condition", java_class=SIMPLE_ERROR)
    result: bool | None = None
    for joiner, term in _split_logical(text.strip()):
        if joiner == "and" and result is False:
            continue
        if joiner == "or" and result is True:
            continue
        left, op, right = _split_binary(term)
        if op is None:
            value = _truthy(_operand(left, ex, env))
        else:
            value = _binary(_operand(left, ex, env), op, _operand(right, ex, env))
        result = value
    return bool(result)
