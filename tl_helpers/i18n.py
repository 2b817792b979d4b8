"""The language the helpers speak: English (the default) or Korean, switched by one call.

    tl.set_language("ko")      # the Korean edition's notebooks (notebooks/ko/) have this line after the import

Every sentence a learner reads from the helpers (claim lines, exercise verdicts and hints, widget labels and
result lines, notes) is written in English at its call site and passed through ``tr``, which looks it up in the
active language's catalogue (``tl_helpers/locales/<language>/``: one package per language, a dictionary from the
English template to its translation). Fields are filled in after the lookup, so a template and its translation
name the same ``{fields}``:

    tr("{n} backbone tensors still train", n=3)

A text that is written in one place and shown in another (an exercise's hints, a claim's words from a notebook)
is looked up where it is shown. ``tests/test_i18n.py`` checks that every English text has a translation with the
same fields; the figures' axis labels stay English (no CJK font is needed to run the series).
"""
from __future__ import annotations

import importlib
import pkgutil
import string
import threading
from functools import lru_cache

from .config import strict_claims

#: The languages the helpers speak; English is the language the source is written in.
LANGUAGES = {"en": "English", "ko": "한국어"}

_state = {"language": "en"}
_lock = threading.Lock()


def set_language(language: str) -> str:
    """Make the helpers speak ``language`` ("en" or "ko") from now on in this kernel; returns it.

    Raises:
        ValueError: ``language`` is not one the helpers speak (the message lists them).
    """
    code = str(language).strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"set_language({language!r}): the helpers speak {', '.join(map(repr, LANGUAGES))}; "
                         f"use one of these codes.")
    with _lock:
        _state["language"] = code
    return code


def language() -> str:
    """The language the helpers speak now ("en" by default)."""
    return _state["language"]


@lru_cache(maxsize=None)
def catalogue(language: str) -> dict[str, str]:
    """``language``'s catalogue: English template -> translation, merged from the modules of its package.

    Raises:
        ValueError: Two modules translate the same English text differently.
    """
    if language == "en":
        return {}
    package = importlib.import_module(f"{__package__}.locales.{language}")
    merged: dict[str, str] = dict(getattr(package, "MESSAGES", {}))
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for english, translated in getattr(module, "MESSAGES", {}).items():
            if merged.get(english, translated) != translated:
                raise ValueError(f"locales/{language}: {english!r} is translated twice, differently "
                                 f"({info.name}.py); keep one translation.")
            merged[english] = translated
    return merged


def fields(template: str) -> set[str]:
    """The ``{fields}`` a template names (``{{`` and ``}}`` are literal braces)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


class MissingTranslation(LookupError):
    """A text has no translation in the active language (raised under ``TL_STRICT_CLAIMS=1``: tests, book)."""


def N_(text: str) -> str:
    """Mark ``text`` for translation where it is written; ``tr`` translates it where it is shown."""
    return text


def tr(text: str, /, **values) -> str:
    """``text`` in the active language, with ``values`` filled into its ``{fields}`` (none: no formatting).

    A text with no translation is shown in English in a learner's run; under the tests and the book build
    (``TL_STRICT_CLAIMS=1``) it raises ``MissingTranslation``, so a Korean notebook that shows an untranslated
    sentence fails CI with the sentence named.
    """
    code = language()
    if code != "en":
        translated = catalogue(code).get(text)
        if translated is None:
            if strict_claims():
                raise MissingTranslation(f"no {LANGUAGES[code]} ({code}) translation of {text!r}: add it to "
                                         f"tl_helpers/locales/{code}/.")
        else:
            text = translated
    return text.format(**values) if values else text
