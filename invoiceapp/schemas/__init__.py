"""Marshmallow schemas for every request and response, one module per resource; flask-smorest
turns them into the OpenAPI document at /api/openapi.json."""
