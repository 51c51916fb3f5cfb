"""Schemathesis over the whole API schema, as a member and as an anonymous reader.

No input may give a 500, and every response (its status code, content type and body) must
match what the schema says.
Bounded: a few examples per operation, so the run takes minutes, not hours.
"""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)


def load_schema():
    """The same document /api/schema/ serves, built in-process, bound to our WSGI app."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.fuzz
@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_api_as_a_member(case, library):
    case.call_and_validate(headers={"Authorization": f"Token {library['token']}"}, checks=CHECKS)


@pytest.mark.fuzz
@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_api_as_an_anonymous_reader(case, library):
    case.call_and_validate(checks=CHECKS)
