"""{% load kefu_markup %} {{ article.body|markdown }}: the safe markdown subset of kefu.knowledge.markup."""

from django import template

from kefu.knowledge.markup import plain_excerpt, render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text or "")


@register.filter
def excerpt(text, length=160):
    return plain_excerpt(text or "", int(length))
