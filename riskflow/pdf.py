"""PDF building blocks: a CJK font that embeds and extracts, and the shared paragraph styles."""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)
FONT_NAME = "RiskflowCJK"
# Debian's packages, in order of preference; Noto CJK is left out: reportlab cannot read its outlines.
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
FALLBACK = "STSong-Light"


@lru_cache(maxsize=4)
def cjk_font(configured: str | None = None) -> tuple[str, bool]:
    """Register the CJK font and return (name, embedded).

    A configured path wins, then Debian's fonts; reportlab's built-in CID font is the last resort:
    it renders in most readers but is not embedded, so a warning is logged.
    """
    paths = ([configured] if configured else []) + list(CANDIDATES)
    for path in paths:
        if path and Path(path).is_file():
            kwargs = {"subfontIndex": 0} if path.endswith(".ttc") else {}
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, **kwargs))
            return FONT_NAME, True
    log.warning("no CJK TrueType font found (install fonts-wqy-microhei or set RISKFLOW_FONT); "
                "PDFs use the non-embedded %s", FALLBACK)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK, False


def styles(font: str) -> dict[str, ParagraphStyle]:
    """Title, heading, body and small styles in FONT, with line breaking for Chinese."""
    base = dict(fontName=font, wordWrap="CJK", leading=18, fontSize=11)
    return {
        "title": ParagraphStyle("title", **{**base, "fontSize": 18, "leading": 26, "alignment": TA_CENTER,
                                            "spaceAfter": 12}),
        "subtitle": ParagraphStyle("subtitle", **{**base, "fontSize": 11, "alignment": TA_CENTER,
                                                  "textColor": colors.HexColor("#52606d"), "spaceAfter": 12}),
        "heading": ParagraphStyle("heading", **{**base, "fontSize": 13, "leading": 20, "spaceBefore": 10,
                                                "spaceAfter": 6}),
        "body": ParagraphStyle("body", **{**base, "spaceAfter": 6}),
        "small": ParagraphStyle("small", **{**base, "fontSize": 9, "leading": 13}),
        "cell": ParagraphStyle("cell", **{**base, "fontSize": 9, "leading": 12}),
    }


def escape(text) -> str:
    """Text safe inside a reportlab Paragraph (which reads a little XML)."""
    return (str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", "<br/>"))
