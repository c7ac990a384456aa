"""The domain: every rule about money lives here. No Flask, no Socket.IO.

Each public function is one unit of work (`invoiceapp.db.transaction`: its own transaction, or
the caller's when one is running) and raises `DomainError`s that the web layer maps to the
error envelope of the API (README, and /api/openapi.json). The `*_in(session, ...)` functions
are the same rules for callers that compose several in one transaction.
"""
