"""The domain: every rule about money lives here. No Flask, no Socket.IO.

Each public function is one database transaction (see `invoiceapp.db.run_in_transaction`) and
raises `DomainError`s that the web layer maps to SPEC.md's error envelope.
"""
