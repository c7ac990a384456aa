"""Request parsing shared by every blueprint: JSON no client can turn into a 500."""

from __future__ import annotations

import json

from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser


class Parser(FlaskParser):
    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            # Nesting deeper than the interpreter's recursion limit (a 2 KB body can do it).
            error = json.JSONDecodeError("The JSON is nested too deeply.", "", 0)
            return self._handle_invalid_json_error(error, req)


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = Parser()
