"""Every documented parameter of the API schema, sent with a NUL or another control byte,
answers 400 with a `detail` message (never a 500), and the schema documents that 400."""

import json
import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

BYTES = ["\x00", "\x01", "\x1b", "\x7f", "a\nb"]


def documented_parameters():
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = json.loads(OpenApiJsonRenderer().render(document))
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" or (
                    parameter["in"] == "path" and parameter["schema"].get("type") == "string"
                ):
                    yield path, method, parameter, operation


CASES = list(documented_parameters())


def test_the_schema_has_parameters_to_probe():
    assert len(CASES) > 10


def _url(path, parameter, value):
    """The operation's URL with `value` in `parameter` (other path parameters: 1)."""
    name = parameter["name"]
    if parameter["in"] == "path":
        path = path.replace("{" + name + "}", quote(value))
    path = re.sub(r"\{[^}]+\}", "1", path)
    if parameter["in"] == "query":
        path += "?" + urlencode({name: value})
    return path


@pytest.mark.fuzz
@pytest.mark.django_db
@pytest.mark.parametrize("value", BYTES, ids=repr)
@pytest.mark.parametrize(
    ("path", "method", "parameter", "operation"),
    CASES,
    ids=[f"{m} {p} {q['name']}" for p, m, q, _ in CASES],
)
def test_control_byte_in_a_documented_parameter_is_a_400(path, method, parameter, operation, value):
    url = _url(path, parameter, value)
    response = getattr(Client(), method)(url)
    assert response.status_code == 400, (method, url, response.status_code)
    assert response.json()["detail"]
    assert "400" in operation["responses"]
