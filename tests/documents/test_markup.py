"""Paragraph markup: the escape the documents use is xml.sax.saxutils.escape's."""

from __future__ import annotations

from xml.sax.saxutils import escape as sax_escape

from hypothesis import given
from hypothesis import strategies as st

from kkr_desktop.documents.markup import escape


@given(st.text(alphabet=st.sampled_from("&<>;\"'amp gtlæø#x1") | st.characters()))
def test_escape_is_saxutils_escape(text):
    assert escape(text) == sax_escape(text)


def test_entities_already_written_are_escaped_again():
    assert escape("R&D <2024> &amp;") == "R&amp;D &lt;2024&gt; &amp;amp;"
