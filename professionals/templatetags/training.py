from django import template

from professionals.wording import dates_words, duration_words

register = template.Library()

register.filter("duration_words", duration_words)
register.filter("dates_words", dates_words)
