"""Reading the platforms' callback XML safely (defusedxml: no entities, no external references)."""

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

MAX_XML = 64 * 1024


class XmlError(Exception):
    """The body is not the flat <xml> document the platform sends."""


def fields(body: bytes | str) -> dict[str, str]:
    """The <xml> element's children as a dict of text (CDATA included)."""
    if len(body) > MAX_XML:
        raise XmlError("too large")
    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise XmlError(str(exc)) from exc
    if root.tag != "xml":
        raise XmlError("not <xml>")
    return {child.tag: (child.text or "") for child in root}
