"""Highlights from offsets and inert links: hostile input never becomes markup."""

from __future__ import annotations

from moderation.console.render import highlight, merge_spans, safe_href


def test_highlight_escapes_each_segment_and_marks_spans():
    text = '<b>idiot</b> "><svg onload=alert(1)> crétin'
    start = text.index("idiot")
    end = start + len("idiot")
    out = str(highlight(text, [(start, end, "insults"), (len(text) - 6, len(text), "insults")]))
    assert "<svg" not in out and "<b>" not in out
    assert out.count("<mark") == 2
    assert '&lt;b&gt;<mark title="insults">idiot</mark>&lt;/b&gt;' in out
    assert out.endswith('<mark title="insults">crétin</mark>')


def test_rule_ids_in_titles_are_escaped_too():
    out = str(highlight("abc", [(0, 1, '" onmouseover="x')]))
    assert 'title="&#34; onmouseover=&#34;x"' in out


def test_spans_are_clamped_merged_and_empty_ones_dropped():
    assert merge_spans([(5, 2, "a"), (-3, 2, "b"), (1, 4, "c"), (3, 99, "c")], 6) == [
        (0, 6, ["b", "c"])
    ]
    assert str(highlight("abc", [(10, 20, "x")])) == "abc"


def test_only_http_links_with_a_host():
    assert safe_href("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>",
        "//evil.example/x",
        "http:///nohost",
        "vbscript:x",
        None,
        42,
        "https://a.example/" + "x" * 3000,
    ):
        assert safe_href(bad) is None, bad
