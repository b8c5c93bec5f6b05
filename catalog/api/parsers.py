"""The API's JSON parser: a body nested too deep is a 400, like any other malformed body."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from catalog.validators import MAX_JSON_DEPTH, json_depth, too_deep_message


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with nesting bounded to ``MAX_JSON_DEPTH`` levels.

    Python's ``json`` recurses once per level: 100,000 ``[`` raise RecursionError, which DRF
    does not catch. Bodies that parse are measured too, so no serializer, renderer or
    ``json.dumps`` later meets a structure deep enough to recurse out of the stack.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - {too_deep_message()}") from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(f"JSON parse error - {too_deep_message()}")
        return data
