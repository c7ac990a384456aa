"""Domain errors. One handler in the web layer maps them to the JSON envelope and status."""


class DomainError(Exception):
    status = 409
    code = "conflict"
    message = "The request conflicts with the current state."

    def __init__(self, message: str | None = None, details: dict | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.details = details or {}


class NotFound(DomainError):
    status, code, message = 404, "not_found", "Not found."


class Forbidden(DomainError):
    status, code, message = 403, "forbidden", "You may not do this."


class Unauthorized(DomainError):
    status, code, message = 401, "unauthorized", "Authentication required."


class InvalidCredentials(Unauthorized):
    message = "Email or password is incorrect."


class ValidationFailed(DomainError):
    status, code, message = 422, "validation_error", "The request is not valid."


class IdempotencyConflict(DomainError):
    status, code = 422, "idempotency_conflict"
    message = "This Idempotency-Key was used with a different request."


class InsufficientFunds(DomainError):
    code, message = "insufficient_funds", "The wallet balance is too low."


class InvoiceNotFundable(DomainError):
    code, message = "invoice_not_fundable", "This invoice is no longer open for funding."


class ExceedsRemaining(DomainError):
    code, message = "exceeds_remaining", "The amount exceeds what remains to be funded."


class BelowMinimum(DomainError):
    code, message = "below_minimum", "The amount is below the minimum investment."


class InvalidState(DomainError):
    code, message = "invalid_state", "The invoice is not in a state that allows this."


class DuplicateInvoiceNumber(DomainError):
    code, message = "duplicate_invoice_number", "You have already listed this invoice number."


class EmailTaken(DomainError):
    code, message = "email_taken", "An account with this email already exists."


class IdempotencyInProgress(DomainError):
    code, message = "idempotency_in_progress", "A request with this Idempotency-Key is in progress."
