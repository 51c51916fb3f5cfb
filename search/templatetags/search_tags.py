"""{% query_with request "sort" "date" %}: the current query string with one parameter set."""

from django import template

register = template.Library()


@register.simple_tag
def query_with(request, key, value):
    params = request.GET.copy()
    if value in ("", None):
        params.pop(key, None)
    else:
        params[key] = value
    if key != "page":
        params.pop("page", None)
    return params.urlencode()
