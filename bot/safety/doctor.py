"""`companion doctor`: crisis referrals counted per day, and where help points."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from bot.config import Settings
from bot.doctor import CheckResult, register
from bot.safety.helplines import HELPLINES

DAYS = 30


@register
async def check_crisis_referrals(settings: Settings) -> CheckResult:
    """How many referrals, by day and kind: enough to see it works, nothing more."""
    from memory.db import Database
    from memory.safety_counts import ReferralCounts

    where = _where(settings)
    db = Database(settings.resolved_database_url)
    try:
        rows = await ReferralCounts(db).per_day(date.min)
    except Exception as exc:  # no table yet (the database check says why)
        return CheckResult(
            "crisis referrals", True, f"none counted yet ({type(exc).__name__}); {where}"
        )
    finally:
        await db.close()
    if not rows:
        return CheckResult("crisis referrals", True, f"none so far; {where}")
    since = (datetime.now(UTC) - timedelta(days=DAYS - 1)).date()
    per_day: Counter[str] = Counter()
    per_kind: Counter[str] = Counter()
    recent = 0
    for day, kind, _via, count in rows:
        per_day[day.isoformat()] += count
        per_kind[kind] += count
        recent += count if day >= since else 0
    days = ", ".join(f"{d}: {n}" for d, n in sorted(per_day.items(), reverse=True)[:7])
    kinds = ", ".join(f"{k} {n}" for k, n in per_kind.most_common())
    return CheckResult(
        "crisis referrals",
        True,
        f"{recent} in the last {DAYS} days, {sum(per_day.values())} in all ({kinds}); "
        f"latest days: {days}; {where}",
    )


def _where(settings: Settings) -> str:
    parts = [f"lines for {len(HELPLINES)} countries"]
    if settings.crisis_country:
        parts.append(f"default country {settings.crisis_country}")
    if settings.crisis_line:
        parts.append("COMPANION_CRISIS_LINE set")
    if settings.emergency_number:
        parts.append("COMPANION_EMERGENCY_NUMBER set")
    return ", ".join(parts)
