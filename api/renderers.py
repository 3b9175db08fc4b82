"""HAL+JSON in and out: Action Network v2 answers `application/hal+json`; plain JSON works too."""

from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer


class HalJsonRenderer(JSONRenderer):
    media_type = "application/hal+json"


class HalJsonParser(JSONParser):
    media_type = "application/hal+json"
