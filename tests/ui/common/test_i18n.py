"""Both languages are complete: same keys and placeholders, every page renders in Korean and English.

The page list comes from ``app.py`` (its ``st.Page(...)`` calls), so a new page is covered
without editing this file. The autouse fixture in ``conftest.py`` fails any test in which a
rendered key is missing in the active language.
"""
from __future__ import annotations

import ast
import json
import re
import tomllib

import pytest

from tests.conftest import ROOT, open_app, texts
from ui.common import i18n

HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
ENGLISH_WORDS = re.compile(r"[A-Za-z]{3,}(?:[\s'-]+[A-Za-z]{3,})+")
#: Language-neutral terms that may stand alone in a Korean page (names, formats, libraries).
NEUTRAL_TERMS = re.compile(
    r"ConvViz|English|PyTorch|TensorFlow|torchvision|torchsummary|AlexNet|LeNet-5|VGG-16|ResNet|"
    r"scipy\.ndimage|numpy|Streamlit|PNG|JPEG|WebP|GIF|BMP|TIFF|HEIC|AVIF|SVG|PDF|ZIP|CSV|"
    r"Conv2d|ConvTranspose2d|MaxPool2d|AvgPool2d|AdaptiveAvgPool2d|BatchNorm2d|Linear|ReLU|Dropout|"
    r"Flatten|Sobel|Laplacian")
#: Pieces of text that are never prose: code spans, LaTeX, URLs, file names, identifiers.
NOT_PROSE = re.compile(r"`[^`]*`|\$[^$]*\$|https?://\S+|\S+\.(?:png|jpe?g|gif|csv|py|toml)\b|\b\w+_\w+\b")
#: Text the English pages show in Korean on purpose: the language switch (endonym, bilingual label).
NEUTRAL_LABELS = {*i18n.LANGUAGES.values(), i18n.catalog("en")["common.language_switch"]}
#: A quoted title (the Korean course notes' name) is a citation, not untranslated text.
QUOTED = re.compile(r"“[^”]*”")
STYLE = re.compile(r"<style>.*?</style>", re.S)
HTML_TAG = re.compile(r"<[^>]+>")
ICON = re.compile(r":material/\w+:\s*")
#: A Korean particle written both ways because the word before it is not known ("0은(는)",
#: "0, 1, 2을(를)", "{x}(으)로"): reword the template so it needs none (house rule, issue 22).
FALLBACK_PARTICLE = re.compile(r"[은는을를이가와과아야]\((?:은|는|을|를|이|가|와|과|아|야)\)|\((?:으|이)\)[가-힣]")
#: Proto fields that hold text a user reads.
TEXT_FIELDS = {"label", "help", "placeholder", "body", "caption", "title", "alt", "text"}


# --------------------------------------------------------------------------- the page list

def app_pages() -> list[tuple[str, str, bool]]:
    """``(file, url_path, is_default)`` for every ``st.Page`` in ``app.py``."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            kw = {k.arg: k.value for k in node.keywords}
            default = isinstance(kw.get("default"), ast.Constant) and kw["default"].value is True
            pages.append((node.args[0].value, kw["url_path"].value, default))
    assert len(pages) >= 5, pages
    return pages


PAGES = app_pages()
PAGE_IDS = [p[1] for p in PAGES]


def open_page(file: str, *, locale: str | None = None, query: dict[str, str] | None = None):
    """Open ``file`` like a browser would (the default page is the first run itself)."""
    default = next(p for p in PAGES if p[2])[0]
    return open_app(None if file == default else file, locale=locale, query=query)


# --------------------------------------------------------------------------- catalogs

def _locale_files(lang: str) -> dict[str, dict]:
    return {p.name: tomllib.loads(p.read_text(encoding="utf-8"))
            for p in sorted((i18n.LOCALES_DIR / lang).glob("*.toml"))}


def test_same_files_in_every_language():
    names = {lang: set(_locale_files(lang)) for lang in i18n.LANGUAGES}
    assert names["en"] == names["ko"], names
    assert {"common.toml", "home.toml", "kernels.toml", "errors.toml"} <= names["en"]


@pytest.mark.parametrize("name", sorted(p.name for p in (i18n.LOCALES_DIR / "en").glob("*.toml")))
def test_key_parity_per_file(name):
    def keys(lang):
        out: dict[str, str] = {}
        i18n._flatten(name.removesuffix(".toml"), tomllib.loads(
            (i18n.LOCALES_DIR / lang / name).read_text(encoding="utf-8")), out)
        return set(out)

    en, ko = keys("en"), keys("ko")
    assert not en - ko, f"{name}: keys missing in ko: {sorted(en - ko)}"
    assert not ko - en, f"{name}: keys missing in en: {sorted(ko - en)}"


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_no_empty_strings(lang):
    empty = [key for key, text in i18n.catalog(lang).items() if not text.strip()]
    assert not empty, empty


def test_placeholders_match_between_languages():
    en, ko = i18n.catalog("en"), i18n.catalog("ko")
    diff = {key: (sorted(i18n.placeholders(en[key])), sorted(i18n.placeholders(ko[key])))
            for key in en.keys() & ko.keys() if i18n.placeholders(en[key]) != i18n.placeholders(ko[key])}
    assert not diff, diff


def test_korean_strings_are_korean():
    """A value copied from English into the Korean file is the usual slip."""
    en, ko = i18n.catalog("en"), i18n.catalog("ko")
    suspicious = sorted(key for key, text in ko.items()
                        if _untranslated(text) and text == en.get(key))
    assert not suspicious, suspicious


def test_t_records_missing_keys_and_bad_placeholders():
    assert i18n.t("common.nav.home") == "Start here"  # no session: English
    assert i18n.t("no.such.key") == "no.such.key"
    assert i18n.t("kernels.before", name="x") == i18n.catalog("en")["kernels.before"]  # w, h missing
    assert ("en", "no.such.key") in i18n.MISSING
    assert ("en", "kernels.before (placeholders)") in i18n.MISSING
    i18n.MISSING.clear()  # expected here: keep the autouse guard quiet


# --------------------------------------------------------------------------- rendered pages

def _untranslated(text: str) -> bool:
    """Prose with English words and not a single Hangul syllable."""
    text = HTML_TAG.sub(" ", STYLE.sub(" ", text))  # style sheets are not prose
    prose = NEUTRAL_TERMS.sub(" ", NOT_PROSE.sub(" ", text))
    return not HANGUL.search(text) and bool(ENGLISH_WORDS.search(prose))


def _proto_texts(msg, out: list[str], depth: int = 0) -> None:
    if depth > 6:
        return
    for field, value in msg.ListFields():
        name = field.name
        if field.type == field.TYPE_MESSAGE:
            items = [value] if hasattr(value, "ListFields") else list(value)
            for item in items:
                if hasattr(item, "ListFields"):
                    if name == "options" and hasattr(item, "content"):
                        out.append(item.content)  # segmented control / pills option labels
                    _proto_texts(item, out, depth + 1)
        elif field.type == field.TYPE_STRING:
            if name == "spec":  # Vega-Lite chart: its titles are user-facing
                try:
                    _json_titles(json.loads(value), out)
                except ValueError:
                    pass
            elif name in TEXT_FIELDS or name in ("options", "display_values"):
                out.extend([value] if isinstance(value, str) else list(value))


def _json_titles(spec, out: list[str]) -> None:
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title" and isinstance(value, str):
                out.append(value)
            elif key == "title" and isinstance(value, list):
                out.extend(v for v in value if isinstance(v, str))
            else:
                _json_titles(value, out)
    elif isinstance(spec, list):
        for item in spec:
            _json_titles(item, out)


def rendered_texts(at) -> list[str]:
    """Every label, help text, option, heading, caption and message on the screen (main + sidebar)."""
    out: list[str] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            _proto_texts(proto, out)
        if getattr(node, "type", None) in ("dataframe", "table"):
            try:
                out.extend(str(c) for c in node.value.columns)
            except Exception:  # noqa: BLE001 - not a frame we can read: nothing to check
                pass
        for child in getattr(node, "children", {}).values():
            walk(child)

    for root in at._tree.children.values():
        walk(root)
    return [ICON.sub("", s).strip() for s in out if s and ICON.sub("", s).strip()]


@pytest.mark.parametrize("file", [p[0] for p in PAGES], ids=PAGE_IDS)
def test_every_page_in_korean_has_no_missing_key_and_no_untranslated_text(file):
    at = open_page(file, locale="ko-KR")
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lang"] == "ko"
    shown = rendered_texts(at)
    assert sum(bool(HANGUL.search(s)) for s in shown) >= 3, shown[:20]
    leftovers = sorted({s for s in shown if _untranslated(s)})
    assert not leftovers, f"English text on the Korean page {file}: {leftovers}"
    both_ways = sorted({s for s in shown if FALLBACK_PARTICLE.search(s)})
    assert not both_ways, f"particles written both ways on the Korean page {file}: {both_ways}"


@pytest.mark.parametrize("file", [p[0] for p in PAGES], ids=PAGE_IDS)
def test_every_page_with_lang_en_has_no_missing_key(file):
    # A Korean browser asked for English explicitly: the URL wins over the browser.
    at = open_page(file, locale="ko-KR", query={"lang": "en"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lang"] == "en"
    assert "This page is being built" not in texts(at), f"{file} is still a placeholder"
    hangul = sorted({s for s in rendered_texts(at)
                     if HANGUL.search(QUOTED.sub("", s)) and s not in NEUTRAL_LABELS})
    assert not hangul, f"Korean text on the English page {file}: {hangul}"


def test_language_follows_the_browser_and_the_switch_writes_the_url():
    # (On a non-default page: AppTest re-runs of the default page skip app.py, a test-harness quirk.)
    at = open_page("views/image_kernels.py", locale="ko-KR")
    assert at.session_state["lang"] == "ko"
    assert at.query_params["lang"] == "ko"  # the address bar alone is a complete link
    assert at.title[0].value == i18n.catalog("ko")["kernels.title"]
    at.button_group(key="lang").set_value("en").run()
    assert at.session_state["lang"] == "en"
    assert at.query_params["lang"] == "en"
    assert at.title[0].value == i18n.catalog("en")["kernels.title"]
    # Unknown browser languages fall back to English.
    assert open_page("views/home.py", locale="fr-FR").session_state["lang"] == "en"


@pytest.mark.parametrize("value", ["ko", "KO", "ko-KR", "한국어"])
def test_lang_parameter_spellings(value):
    at = open_page("views/home.py", locale="en-US", query={"lang": value})
    assert at.session_state["lang"] == "ko" and not at.warning


def test_untranslated_detector_is_not_vacuous():
    assert _untranslated("Kernel size")
    assert _untranslated("This page is being built.")
    assert not _untranslated("커널 크기")
    assert not _untranslated("PyTorch")
    assert not _untranslated("3 × 3")
    assert not _untranslated("`stride_stride=999`")


# --------------------------------------------------------------------------- accessibility

def _media(at) -> list[tuple[str, str]]:
    """``(kind, alt text)`` for every image and embedded frame (players) on the screen."""
    found: list[tuple[str, str]] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            fields = proto.DESCRIPTOR.fields_by_name
            if "imgs" in fields:
                found.extend(("image", img.alt) for img in proto.imgs)
            elif "srcdoc" in fields and "alt" in fields:
                found.append(("iframe", proto.alt))
        for child in getattr(node, "children", {}).values():
            walk(child)

    for root in at._tree.children.values():
        walk(root)
    return found


@pytest.mark.parametrize("file", [p[0] for p in PAGES], ids=PAGE_IDS)
def test_every_image_and_player_has_korean_alt_text(file):
    at = open_page(file, locale="ko-KR")
    bad = [(kind, alt) for kind, alt in _media(at) if not alt.strip() or not HANGUL.search(alt)]
    assert not bad, f"{file}: images/players without Korean alt text: {bad}"


def test_korean_bold_never_ends_on_punctuation_before_a_letter():
    # CommonMark does not close ** after ")" when a letter follows: "**스트라이드(stride)**는"
    # shows its asterisks. Write "**스트라이드**(stride)는" or "**…**" around the whole word.
    import re

    from ui.common.i18n import catalog

    pattern = re.compile(r"\*\*[^*\n]*?[)\].,:%]\*\*(?=[\uac00-\ud7a3])")
    bad = {key: text for key, text in catalog("ko").items() if pattern.search(text)}
    assert not bad, bad


def test_korean_templates_need_no_fallback_particle():
    bad = {key: text for key, text in i18n.catalog("ko").items() if FALLBACK_PARTICLE.search(text)}
    assert not bad, bad


def test_the_fallback_particle_check_is_not_vacuous():
    for text in ("0은(는)", "0, 1, 2을(를)", "{param}이(가)", "{expected}(으)로 바꾸세요", "{a}와(과)"):
        assert FALLBACK_PARTICLE.search(text), text
    for text in ("출력 채널 {o}에서 읽는 입력 채널: **{chans}**.", "(C, H, W)처럼", "합성곱(convolution)은"):
        assert not FALLBACK_PARTICLE.search(text), text
