"""Domain errors. One handler in the web layer maps them to the JSON envelope and status."""


class DomainError(Exception):
    status = 409
    code = "conflict"
    message = "The request conflicts with the current state."
    retry_after: int | None = None  # seconds, for 503s

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


class AccountSuspended(DomainError):
    status, code, message = 403, "account_suspended", "This account is suspended."


class ExceedsOwed(DomainError):
    code, message = "exceeds_owed", "The amount is more than what is owed."


class CreditLimitExceeded(DomainError):
    code, message = (
        "credit_limit_exceeded",
        "Accepting this invoice would pass the buyer's credit limit.",
    )


class BidNotCompetitive(DomainError):
    code = "bid_not_competitive"
    message = "The auction is covered: a new bid must be at least 5 bps below the clearing rate."


class AuctionClosed(DomainError):
    code, message = "auction_closed", "The auction has closed."


class ServiceUnavailable(DomainError):
    status, code, retry_after = 503, "service_unavailable", 5
    message = "The database cannot be reached right now; try again shortly."


class Busy(DomainError):
    status, code, retry_after = 503, "busy", 1
    message = "The system is busy and nothing was done; try again shortly."


class OutcomeUnknown(DomainError):
    status, code, retry_after = 503, "outcome_unknown", 1
    message = (
        "The connection to the database broke while committing: retry with the same "
        "Idempotency-Key to learn whether it happened."
    )
