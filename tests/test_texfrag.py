import pytest

from generator.texfrag import escape_text, fold, fold_key, to_html, to_plain


@pytest.mark.parametrize(
    ("raw", "plain", "html"),
    [
        ("$A^2$Nav: x", "A²Nav: x", "A<sup>2</sup>Nav&#58; x"),
        ("A^2Nav", "A²Nav", "A<sup>2</sup>Nav"),
        ("M^{3}: A", "M³: A", "M<sup>3</sup>&#58; A"),
        ("Rayleigh--B\\'enard", "Rayleigh–Bénard", "Rayleigh–Bénard"),
        ("GUI-360^circ", "GUI-360°", "GUI-360°"),
        ("TÜLU 3", "TÜLU 3", "TÜLU 3"),
        ("100\\% of x_1", "100% of x₁", "100% of x<sub>1</sub>"),
        ("see my_repo", "see my_repo", "see my&#95;repo"),
    ],
)
def test_tex_fragments_render_as_plain_text_and_html(raw: str, plain: str, html: str) -> None:
    assert to_plain(raw) == plain
    assert to_html(raw) == html


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("$A^2$Nav: Action-Aware", "A^2Nav: Action-Aware"),
        ("Rayleigh--B\\'enard convection", "Rayleigh-Benard Convection"),
        ("TÜLU 3", "Tulu 3"),
        ("Deep\u00a0Q\u2010Networks.", "deep q-networks"),
    ],
)
def test_fold_key_agrees_on_variants(a: str, b: str) -> None:
    assert fold_key(a) == fold_key(b)


def test_fold_key_keeps_version_numbers_apart() -> None:
    assert fold_key("X2 Technical Report") != fold_key("X2.5 Technical Report")


def test_fold_is_lowercase_words() -> None:
    assert fold("Vision-Language-Action Models!") == "vision language action models"


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "[x](javascript:alert(1))", "{{ 7*7 }}", "**b** _i_ `c`"]
)
def test_escape_text_leaves_no_markup_characters(text: str) -> None:
    out = escape_text(text)
    assert not any(ch in out for ch in "<>[]{}*_`()")


@pytest.mark.parametrize(
    ("tex", "plain"),
    [
        (r"The $\alpha$ Otter", "The alpha Otter"),  # the space after a formula that ends in a command
        (r"x $\alpha \beta$ y", "x alpha beta y"),  # a command shown by name keeps its space
        (r"We believe that \methodname offers", "We believe that methodname offers"),
        (r"a $10\times$ speedup", "a 10× speedup"),
        (r"$\times$2 faster", "×2 faster"),  # a symbol eats the space, as TeX does
        (r"\times 2", "×2"),
    ],
)
def test_control_words_keep_the_spaces_a_reader_expects(tex: str, plain: str) -> None:
    assert to_plain(tex) == plain
    assert to_html(tex) == plain
