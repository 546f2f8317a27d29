"""Certificates of attendance, as PDF: who attended, what, when, for how long and who ran it.

Written in the active language (the caller chooses the person's: see language_of), with
the event's Welsh title on a Welsh certificate when it has one. The fonts ship with the app
(fonts/README.md): DejaVu Sans has every Welsh letter, and the PDF looks the same wherever
it is made.
"""

import logging
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import html_lang, service_name
from core.templatetags.portal import govuk_date
from events.models import Booking
from professionals.selectors import event_days, event_duration
from professionals.wording import dates_words, duration_words

# fpdf2 embeds only the letters a certificate uses; fontTools logs every step of that.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
BLUE = (29, 112, 184)  # the portal's blue
BLACK = (11, 12, 12)
GREY = (80, 90, 95)


def certificate_filename(booking: Booking) -> str:
    return f"certificate-{booking.event.slug}.pdf"


def certificate_pdf(booking: Booking) -> bytes:
    """The certificate for a booking that has one (selectors.has_certificate): A4, landscape."""
    event = booking.event
    user = booking.user
    name = user.get_full_name() or user.email
    title = str(event.shown.title)
    days = event_days(event)
    organiser = event.organiser or service_name()

    # Imported here, not at the top: fpdf2 and its fontTools take a second and about 30 MiB
    # to import, which every web process paid at start-up for a page few people open.
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(_("Certificate of attendance"))
    pdf.set_subject(title)
    pdf.set_author(service_name())
    pdf.set_creator(service_name())
    pdf.set_lang(html_lang())
    pdf.add_page()

    # A frame in the portal's blue.
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, pdf.w - 28, pdf.h - 28)

    pdf.set_left_margin(30)
    pdf.set_right_margin(30)
    width = pdf.w - 60

    def line(text: str, size: float, *, bold: bool = False, colour=BLACK, gap: float = 0) -> None:
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(width, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        if gap:
            pdf.ln(gap)

    pdf.set_y(26)
    line(service_name(), 14, bold=True, colour=BLUE, gap=8)
    line(_("Certificate of attendance"), 30, bold=True, gap=10)
    line(_("This is to confirm that"), 14, colour=GREY, gap=4)
    line(name, 26, bold=True, gap=4)
    line(_("attended"), 14, colour=GREY, gap=4)
    line(title, 20, bold=True, gap=10)

    date_label = _("Date") if len(days) == 1 else _("Dates")
    details = [
        (date_label, dates_words(days)),
        (_("Duration"), duration_words(event_duration(event))),
        (_("Organised by"), organiser),
    ]
    for label, value in details:
        # Translators: a line of a certificate, as in "Duration: 2 hours 30 minutes".
        line(_("%(label)s: %(value)s") % {"label": label, "value": value}, 13, gap=2)

    pdf.set_y(pdf.h - 34)
    line(
        _("Issued by %(service)s on %(date)s. Certificate number %(number)s.")
        % {
            "service": service_name(),
            "date": govuk_date(timezone.localdate()),
            "number": booking.pk,
        },
        10,
        colour=GREY,
    )
    return bytes(pdf.output())
