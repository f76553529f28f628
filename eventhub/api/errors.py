"""The API's one error shape: {"error": {"code", "message", "field"}}."""

from __future__ import annotations

from flask import jsonify


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = headers or {}

    def response(self):
        response = jsonify({"error": {"code": self.code, "message": self.message, "field": self.field}})
        response.status_code = self.status
        response.headers.update(self.headers)
        return response


def error_response(status: int, code: str, message: str, field: str | None = None):
    return ApiError(status, code, message, field).response()
