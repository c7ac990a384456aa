"""Bulk data for bench/scale.py, written with plain SQL (INSERT ... SELECT generate_series) in one
transaction: users with wallets, invoices in every status (each with its escrow account),
investments, and ledger rows that balance.

What is made (the defaults):
- 1,000 sellers, 5,000 investors and 200 registered buyers, each with a wallet;
- 100,000 fixed-price invoices over the last 365 days: ~8 % listed (partly funded), 3 % pending
  the buyer's acceptance, 2 % rejected, 5 % cancelled, 20 % funded, 3 % overdue, 1 % defaulted,
  55 % settled, 3 % written off; 30 % name a registered buyer; 1 % belong to the measured seller;
- 200,000 investments spread over the invoices that took money (every such invoice has at least
  one, and their amounts add up to the invoice's funded amount); 1 in `heavy_every` belongs to
  the measured investor;
- the ledger: per investment wallet -> escrow; per fully funded invoice escrow -> seller; per
  settled invoice seller -> escrow and escrow -> each investor; a demo credit (faucet -> wallet)
  per seeded user, dated before anything else it does and large enough that no wallet goes below
  zero; then more demo credits to investors until there are `ledger_rows` rows in all.
  Every transfer is two rows with one transfer_id; each account's balance is raised by the net of
  its new rows, so the sum of balances stays 0 and every balance matches its rows.

- `seller_unread` unread notifications of the measured seller (a big seller who never opens the
  bell; every funding of their invoices notifies them), added to their kept unread count.

balance_after of the seeded rows is the running balance over the seeded rows of that account
(for the few accounts that existed before, the faucet and the measured users, it does not include
their earlier rows). No other notifications, no audit rows, auctions or bids are seeded.
"""

from __future__ import annotations

import time

import psycopg2

STATUSES = [  # (upper bound of random(), status)
    (0.08, "listed"),
    (0.11, "pending_acceptance"),
    (0.13, "rejected"),
    (0.18, "cancelled"),
    (0.38, "funded"),
    (0.41, "overdue"),
    (0.42, "defaulted"),
    (0.97, "settled"),
    (1.01, "written_off"),
]
TOOK_MONEY = ("listed", "funded", "overdue", "defaulted", "settled", "written_off")
FUNDED_EVER = ("funded", "overdue", "defaulted", "settled", "written_off")


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def seed(
    url: str,
    investor_id: int,
    seller_id: int,
    invoices: int = 100_000,
    investments: int = 200_000,
    ledger_rows: int = 1_000_000,
    sellers: int = 1_000,
    investors: int = 5_000,
    buyers: int = 200,
    heavy_every: int = 66,
    seller_unread: int = 100_000,
    log=print,
) -> dict:
    """Seed the database at `url`; returns the row counts and the seconds each step took."""
    status_case = "CASE " + " ".join(f"WHEN r < {b} THEN '{s}'" for b, s in STATUSES) + " END"
    steps: list[tuple[str, str]] = [
        (
            "settings",
            "SET LOCAL synchronous_commit = off; SET LOCAL work_mem = '256MB'; "
            "SELECT setseed(0.2026)",
        ),
        (
            "users",
            f"""
            CREATE TEMP TABLE s_users ON COMMIT DROP AS
            SELECT nextval('users_id_seq')::int AS id, role, n FROM (
                SELECT 'seller' AS role, g AS n FROM generate_series(1, {sellers}) g
                UNION ALL SELECT 'investor', g FROM generate_series(1, {investors}) g
                UNION ALL SELECT 'buyer', g FROM generate_series(1, {buyers}) g
            ) x;
            INSERT INTO users (id, email, name, role, password_hash, created_at,
                               email_notifications)
            SELECT id, 'seed-' || role || '-' || n || '-' || id || '@example.com',
                   'Seed ' || initcap(role) || ' ' || n, role, '!seeded: no login',
                   now() - interval '400 days', false
            FROM s_users;
            CREATE TEMP TABLE s_wallets ON COMMIT DROP AS
            SELECT nextval('accounts_id_seq')::int AS account_id, id AS user_id, role, n
            FROM s_users;
            INSERT INTO accounts (id, kind, user_id, balance, created_at, updated_at)
            SELECT account_id, 'wallet', user_id, 0, now() - interval '400 days', now()
            FROM s_wallets;
            CREATE INDEX ON s_wallets (role, n);
            ANALYZE s_wallets;
            """,
        ),
        (
            "invoices",
            f"""
            CREATE TEMP TABLE s_inv ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY created_at)::int AS n,
                   nextval('invoices_id_seq')::int AS id,  -- ids in the order of creation
                   nextval('accounts_id_seq')::int AS escrow_id,
                   {status_case} AS status, r, r2, amount, rate, tenor, created_at
            FROM (SELECT random() AS r, random() AS r2,
                         (5000000 + floor(random() * 495000000))::bigint AS amount,
                         (600 + floor(random() * 900))::int AS rate,
                         (30 + floor(random() * 91))::int AS tenor,
                         now() - random() * interval '365 days' AS created_at
                  FROM generate_series(1, {invoices}) g
                  ORDER BY created_at) x;
            ALTER TABLE s_inv ADD COLUMN seller_id int;
            UPDATE s_inv SET seller_id = CASE WHEN n % 100 = 0 THEN {seller_id}
                ELSE (SELECT user_id FROM s_wallets
                      WHERE role = 'seller' AND s_wallets.n = 1 + (s_inv.n::bigint * 7919) % {sellers})
                END;
            ALTER TABLE s_inv ADD COLUMN buyer_id int, ADD COLUMN target bigint,
                ADD COLUMN k int, ADD COLUMN idx int;
            UPDATE s_inv SET
                buyer_id = CASE WHEN status IN ('pending_acceptance', 'rejected') OR r2 < 0.3
                    THEN (SELECT user_id FROM s_wallets
                          WHERE role = 'buyer' AND s_wallets.n = 1 + (s_inv.n * 31) % {buyers}) END,
                target = amount - amount * rate * tenor / 3650000;
            CREATE TEMP TABLE s_took ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY n)::int AS idx, n FROM s_inv
            WHERE status IN {_in(TOOK_MONEY)};
            CREATE INDEX ON s_took (n);
            UPDATE s_inv SET idx = s_took.idx FROM s_took WHERE s_took.n = s_inv.n;
            CREATE INDEX ON s_inv (idx);
            CREATE INDEX ON s_inv (id);
            ANALYZE s_inv;
            """,
        ),
        (
            "investments",
            f"""
            ANALYZE s_took;
            CREATE TEMP TABLE s_iv ON COMMIT DROP AS
            SELECT j,
                   ((j - 1) % (SELECT count(*) FROM s_took))::int + 1 AS idx,
                   ((j - 1) / (SELECT count(*) FROM s_took))::int AS pos,
                   CASE WHEN j % {heavy_every} = 0 THEN {investor_id}
                        ELSE (SELECT user_id FROM s_wallets
                              WHERE role = 'investor' AND s_wallets.n = 1 + (j::bigint * 104729) % {investors})
                   END AS investor_id
            FROM generate_series(1, {investments}) j;
            ANALYZE s_iv;
            UPDATE s_inv SET k = c.k FROM (SELECT idx, count(*)::int AS k FROM s_iv GROUP BY idx) c
            WHERE c.idx = s_inv.idx;
            ALTER TABLE s_iv ADD COLUMN invoice_id int, ADD COLUMN amount bigint,
                ADD COLUMN expected bigint, ADD COLUMN created_at timestamptz;
            UPDATE s_iv SET
                invoice_id = i.id,
                -- listed invoices keep one share open; the others are funded exactly
                amount = CASE WHEN i.status = 'listed' OR s_iv.pos < i.k - 1
                              THEN i.target / (i.k + (i.status = 'listed')::int)
                              ELSE i.target - (i.target / i.k) * (i.k - 1) END,
                created_at = i.created_at + (s_iv.pos + 1) * interval '3 minutes'
            FROM s_inv i WHERE i.idx = s_iv.idx;
            UPDATE s_iv SET expected = s_iv.amount + s_iv.amount * (i.amount - i.target) / i.target
            FROM s_inv i WHERE i.id = s_iv.invoice_id;
            ALTER TABLE s_iv ADD COLUMN id int;
            CREATE INDEX ON s_iv (j);
            UPDATE s_iv SET id = o.id  -- ids in the order of creation
            FROM (SELECT j, nextval('investments_id_seq')::int AS id
                  FROM (SELECT j FROM s_iv ORDER BY created_at) q) o
            WHERE o.j = s_iv.j;
            CREATE INDEX ON s_iv (invoice_id);
            ANALYZE s_iv;
            ANALYZE s_inv;
            """,
        ),
        (
            "insert invoices",
            f"""
            INSERT INTO accounts (id, kind, user_id, balance, created_at, updated_at)
            SELECT escrow_id, 'escrow', NULL, 0, created_at, created_at FROM s_inv;
            INSERT INTO invoices (
                id, seller_id, escrow_account_id, invoice_number, buyer_id, buyer_name,
                buyer_confirmed, description, pricing, amount, currency, due_date, tenor_days,
                discount_rate_bps, annual_yield_bps, funding_target, funded_amount,
                repaid_amount, late_interest, interest_paid, days_past_due, status, reason,
                version, created_at, accepted_at, funded_at, settled_at, cancelled_at,
                rejected_at, overdue_at, defaulted_at, written_off_at)
            SELECT i.id, i.seller_id, i.escrow_id, 'SEED-' || i.n, i.buyer_id,
                   CASE WHEN i.buyer_id IS NOT NULL THEN 'Seed Buyer ' || i.buyer_id
                        ELSE 'Buyer ' || (1 + (i.n * 17) % 500) || ' Ltd' END,
                   i.buyer_id IS NOT NULL AND i.status NOT IN ('pending_acceptance', 'rejected'),
                   'Seeded invoice', 'fixed', i.amount, 'INR',
                   (i.created_at + i.tenor * interval '1 day')::date, i.tenor, i.rate,
                   i.rate + 40, i.target,
                   CASE WHEN i.status IN {_in(TOOK_MONEY)} THEN f.funded ELSE 0 END,
                   CASE WHEN i.status = 'settled' THEN f.expected ELSE 0 END,
                   0, 0,
                   CASE WHEN i.status IN ('overdue', 'defaulted')
                        THEN 5 + (i.n % 60) ELSE 0 END,
                   i.status,
                   CASE i.status WHEN 'cancelled' THEN 'cancelled by the seller'
                                 WHEN 'rejected' THEN 'not our order' END,
                   1, i.created_at,
                   CASE WHEN i.buyer_id IS NOT NULL AND i.status <> 'pending_acceptance'
                        AND i.status <> 'rejected' THEN i.created_at + interval '2 hours' END,
                   CASE WHEN i.status IN {_in(FUNDED_EVER)}
                        THEN i.created_at + (i.k + 1) * interval '3 minutes' END,
                   CASE WHEN i.status = 'settled'
                        THEN i.created_at + i.tenor * interval '1 day' END,
                   CASE WHEN i.status = 'cancelled' THEN i.created_at + interval '1 day' END,
                   CASE WHEN i.status = 'rejected' THEN i.created_at + interval '1 day' END,
                   CASE WHEN i.status IN ('overdue', 'defaulted', 'written_off')
                        THEN i.created_at + (i.tenor + 1) * interval '1 day' END,
                   CASE WHEN i.status IN ('defaulted', 'written_off')
                        THEN i.created_at + (i.tenor + 60) * interval '1 day' END,
                   CASE WHEN i.status = 'written_off'
                        THEN i.created_at + (i.tenor + 120) * interval '1 day' END
            FROM s_inv i
            LEFT JOIN (SELECT invoice_id, sum(amount) AS funded, sum(expected) AS expected
                       FROM s_iv GROUP BY invoice_id) f ON f.invoice_id = i.id
            ORDER BY i.created_at;
            INSERT INTO investments (id, invoice_id, investor_id, amount, expected_return,
                                     received, payout, loss, status, source, created_at)
            SELECT v.id, v.invoice_id, v.investor_id, v.amount, v.expected,
                   CASE WHEN i.status = 'settled' THEN v.expected ELSE 0 END,
                   CASE WHEN i.status = 'settled' THEN v.expected END,
                   CASE WHEN i.status = 'written_off' THEN v.amount END,
                   CASE i.status WHEN 'settled' THEN 'settled'
                                 WHEN 'written_off' THEN 'written_off' ELSE 'active' END,
                   'manual', v.created_at
            FROM s_iv v JOIN s_inv i ON i.id = v.invoice_id
            ORDER BY v.created_at;
            """,
        ),
        (
            "transfers",
            f"""
            CREATE TEMP TABLE s_tr (
                source int, target int, amount bigint, kind text, invoice_id int,
                investment_id int, description text, created_at timestamptz
            ) ON COMMIT DROP;
            INSERT INTO s_tr
            SELECT w.id, i.escrow_id, v.amount, 'investment', i.id, v.id,
                   'Investment in invoice SEED-' || i.n, v.created_at
            FROM s_iv v JOIN s_inv i ON i.id = v.invoice_id
            JOIN accounts w ON w.user_id = v.investor_id AND w.kind = 'wallet';
            INSERT INTO s_tr
            SELECT i.escrow_id, w.id, f.funded, 'funding_received', i.id, NULL,
                   'Funding received for invoice SEED-' || i.n,
                   i.created_at + (i.k + 1) * interval '3 minutes'
            FROM s_inv i
            JOIN (SELECT invoice_id, sum(amount) AS funded FROM s_iv GROUP BY invoice_id) f
              ON f.invoice_id = i.id
            JOIN accounts w ON w.user_id = i.seller_id AND w.kind = 'wallet'
            WHERE i.status IN {_in(FUNDED_EVER)};
            INSERT INTO s_tr
            SELECT w.id, i.escrow_id, f.expected, 'repayment_paid', i.id, NULL,
                   'Repayment of: invoice SEED-' || i.n, i.created_at + i.tenor * interval '1 day'
            FROM s_inv i
            JOIN (SELECT invoice_id, sum(expected) AS expected FROM s_iv GROUP BY invoice_id) f
              ON f.invoice_id = i.id
            JOIN accounts w ON w.user_id = i.seller_id AND w.kind = 'wallet'
            WHERE i.status = 'settled';
            INSERT INTO s_tr
            SELECT i.escrow_id, w.id, v.expected, 'repayment_received', i.id, v.id,
                   'Repayment received: invoice SEED-' || i.n,
                   i.created_at + i.tenor * interval '1 day' + interval '1 second'
            FROM s_iv v JOIN s_inv i ON i.id = v.invoice_id
            JOIN accounts w ON w.user_id = v.investor_id AND w.kind = 'wallet'
            WHERE i.status = 'settled';
            -- the demo credit of every wallet that pays something out, first in its history
            INSERT INTO s_tr
            SELECT (SELECT id FROM accounts WHERE kind = 'faucet'), o.source,
                   o.out + 1000000, 'demo_credit', NULL, NULL, 'Demo wallet credit',
                   now() - interval '399 days'
            FROM (SELECT source, sum(amount) AS out FROM s_tr
                  WHERE kind IN ('investment', 'repayment_paid') GROUP BY source) o;
            ANALYZE s_tr;
            """,
        ),
        (
            "filler credits",
            f"""
            INSERT INTO s_tr
            SELECT (SELECT id FROM accounts WHERE kind = 'faucet'),
                   CASE WHEN g % 50 = 0
                        THEN (SELECT id FROM accounts
                              WHERE user_id = {investor_id} AND kind = 'wallet')
                        ELSE (SELECT account_id FROM s_wallets
                              WHERE role = 'investor' AND s_wallets.n = 1 + (g::bigint * 7727) % {investors})
                   END,
                   100000 * (1 + g % 10), 'demo_credit', NULL, NULL, 'Demo wallet credit',
                   now() - random() * interval '365 days'
            FROM generate_series(1, greatest(0,
                ({ledger_rows} - 2 * (SELECT count(*) FROM s_tr)) / 2)::int) g;
            """,
        ),
        (
            "ledger rows",
            """
            CREATE TEMP TABLE s_rows ON COMMIT DROP AS
            SELECT t.transfer_id, x.account_id, x.direction, t.amount, t.kind, t.invoice_id,
                   t.investment_id, t.description, t.created_at, x.side
            FROM (SELECT gen_random_uuid()::text AS transfer_id, * FROM s_tr) t
            CROSS JOIN LATERAL (VALUES (t.source, 'debit', 0), (t.target, 'credit', 1))
                x(account_id, direction, side);
            INSERT INTO ledger_entries (transfer_id, account_id, direction, amount,
                                        balance_after, kind, invoice_id, investment_id,
                                        description, created_at)
            SELECT transfer_id, account_id, direction, amount,
                   sum(CASE WHEN direction = 'credit' THEN amount ELSE -amount END)
                     OVER (PARTITION BY account_id ORDER BY created_at, side, transfer_id
                           ROWS UNBOUNDED PRECEDING),
                   kind, invoice_id, investment_id, description, created_at
            FROM s_rows ORDER BY created_at, transfer_id, side;
            """,
        ),
        (
            "balances",
            """
            UPDATE accounts a SET balance = a.balance + d.net, updated_at = now()
            FROM (SELECT account_id,
                         sum(CASE WHEN direction = 'credit' THEN amount ELSE -amount END) AS net
                  FROM s_rows GROUP BY account_id) d
            WHERE d.account_id = a.id;
            """,
        ),
        (
            "notifications",
            f"""
            INSERT INTO notifications (user_id, kind, title, body, created_at, email_status,
                                       email_attempts)
            SELECT {seller_id}, 'invoice_funding', 'Seeded: an investment in your invoice',
                   'An investor put money into one of your invoices.',
                   now() - random() * interval '365 days', 'sent', 1
            FROM generate_series(1, {seller_unread});
            INSERT INTO unread_counts (user_id, unread) VALUES ({seller_id}, {seller_unread})
            ON CONFLICT (user_id) DO UPDATE SET unread = unread_counts.unread + excluded.unread;
            """,
        ),
    ]
    timings: dict[str, float] = {}
    conn = psycopg2.connect(url)
    try:
        with conn, conn.cursor() as cur:
            for name, sql in steps:
                started = time.monotonic()
                cur.execute(sql)
                timings[name] = round(time.monotonic() - started, 1)
                log(f"  seed: {name} {timings[name]}s")
        conn.autocommit = True
        with conn.cursor() as cur:
            started = time.monotonic()
            cur.execute("VACUUM ANALYZE")
            timings["vacuum analyze"] = round(time.monotonic() - started, 1)
            log(f"  seed: vacuum analyze {timings['vacuum analyze']}s")
            counts = {}
            for table in ("users", "accounts", "invoices", "investments", "ledger_entries"):
                cur.execute(f"SELECT count(*) FROM {table}")
                counts[table] = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM investments WHERE investor_id = %s", (investor_id,))
            counts["investor_investments"] = cur.fetchone()[0]
            cur.execute(
                "SELECT count(*) FROM ledger_entries e JOIN accounts a ON a.id = e.account_id "
                "WHERE a.user_id = %s AND a.kind = 'wallet'",
                (investor_id,),
            )
            counts["investor_ledger_rows"] = cur.fetchone()[0]
            cur.execute("SELECT unread FROM unread_counts WHERE user_id = %s", (seller_id,))
            counts["seller_unread_notifications"] = cur.fetchone()[0]
            cur.execute("SELECT status, count(*) FROM invoices GROUP BY status ORDER BY 2 DESC")
            counts["invoices_by_status"] = dict(cur.fetchall())
    finally:
        conn.close()
    return {"counts": counts, "seconds": timings}
