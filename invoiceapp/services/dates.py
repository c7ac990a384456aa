from datetime import date, datetime
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")


def today_ist() -> date:
    """Business dates are Indian calendar dates, whatever the server's timezone."""
    return datetime.now(IST).date()
