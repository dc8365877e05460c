"""The `unwrap` filter: source spans read as prose, not as the PDF's narrow column."""

from inspections.templatetags.text_tags import unwrap


def test_line_breaks_inside_a_sentence_become_spaces():
    assert unwrap("Leaders should act with urgency to\naccelerate their data\r\ndashboard work.") == (
        "Leaders should act with urgency to accelerate their data dashboard work.")


def test_paragraphs_and_list_items_keep_their_breaks():
    text = "First paragraph\nwraps here.\n\n  Second one.\n• item one\nwraps\n• item two\n(a) lettered\n2. numbered"
    assert unwrap(text) == ("First paragraph wraps here.<br><br>Second one.<br>• item one wraps<br>• item two"
                            "<br>(a) lettered<br>2. numbered")


def test_markup_in_the_source_is_escaped():
    assert unwrap("a <b>bold</b>\nclaim & more") == "a &lt;b&gt;bold&lt;/b&gt; claim &amp; more"
    assert unwrap("") == ""
