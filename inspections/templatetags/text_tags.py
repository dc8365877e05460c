"""Display filters for text cut from source documents."""

import re

from django import template
from django.template.defaultfilters import linebreaksbr

register = template.Library()

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A line that starts a list item keeps its own line: a bullet, or a number or letter followed by . or ).
_LIST_ITEM = re.compile(r"\n(?=\s*(?:[•\-–·▪●]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s)")


@register.filter(is_safe=True, needs_autoescape=True)
def unwrap(text: str, autoescape: bool = True):
    """A source span as prose: the line breaks a PDF or a wrapped letter put inside a sentence become spaces,
    paragraph breaks and list items stay (as <br>). Without this a quote from a PDF keeps the page's narrow
    column inside a wide box, and breaks mid-sentence on a phone."""
    if not text:
        return ""
    paragraphs = []
    for paragraph in _PARAGRAPH_BREAK.split(text.strip()):
        lines = [" ".join(part.split()) for part in _LIST_ITEM.split(paragraph)]
        paragraphs.append("\n".join(line for line in lines if line))
    return linebreaksbr("\n\n".join(paragraphs), autoescape=autoescape)
