"""Start and end events, including the Timer start and its schedule table."""

from __future__ import annotations

from typing import Any

from generator.components.base import OptionError
from generator.components.steps.base import Event
from generator.components.tables import key_value_table

GMT = "( UTC 0:00 ) Greenwich Mean Time(Etc/GMT)"


class MessageStartEvent(Event):
    """Start of a main process fed by a sender adapter."""

    cname = "MessageStartEvent"
    version = "1.0"
    keys = ("componentVersion", "cmdVariantUri")
    definition = "message"


class MessageEndEvent(Event):
    """End of a main process (it may feed an asynchronous receiver)."""

    tag = "endEvent"
    cname = "MessageEndEvent"
    version = "1.1.0"
    keys = ("componentVersion", "cmdVariantUri")
    definition = "message"


class StartEvent(Event):
    """Start of a Local Integration Process."""

    cname = "StartEvent"
    keys = ("cmdVariantUri", "activityType")
    activity_type = "StartEvent"


class EndEvent(Event):
    """End of a Local Integration Process."""

    tag = "endEvent"
    cname = "EndEvent"
    keys = ("cmdVariantUri", "activityType")
    activity_type = "EndEvent"


class ErrorStartEvent(Event):
    """Start of an exception subprocess."""

    cname = "ErrorStartEvent"
    keys = ("cmdVariantUri", "activityType")
    activity_type = "StartErrorEvent"
    definition = "error"
    props_on_definition = True


class ErrorEndEvent(Event):
    """Ends the message in error (re-throws): the message fails and its sender sees the error."""

    tag = "endEvent"
    cname = "ErrorEndEvent"
    keys = ("cmdVariantUri", "activityType")
    activity_type = "EndErrorEvent"
    definition = "error"
    props_on_definition = True


class EscalationEndEvent(Event):
    """Ends the message as ESCALATED (a business outcome, not a technical failure).

    ``ErrorCode`` shows in the message processing log; the designer writes ``ReceiverNotFound``
    (the default here), a spec's ``code`` sets another.
    """

    tag = "endEvent"
    cname = "EscalationEndEvent"
    version = "1.0.0"
    keys = ("ErrorCode", "componentVersion", "cmdVariantUri", "activityType")
    activity_type = "EscalationEndEvent"
    fixed = {"ErrorCode": "ReceiverNotFound"}
    definition = "escalation"
    props_on_definition = True


class TimerStartEvent(Event):
    """Timer start: its ``scheduleKey`` holds the schedule table (or a ``{{Parameter}}``)."""

    cname = "intermediatetimer"
    version = "1.4.0"
    keys = ("scheduleKey", "componentVersion", "cmdVariantUri", "activityType")
    activity_type = "StartTimerEvent"
    definition = "timer"
    props_on_definition = True

    @staticmethod
    def schedule(spec: dict[str, Any]) -> str:
        """The schedule table for ``once: true`` or ``every_minutes: N``."""
        if spec.get("once"):
            rows = [("dateType", ""), ("timeType", ""), ("dayValue", ""), ("monthValue", ""),
                    ("yearValue", ""), ("onWeekly", ""), ("onMonthly", ""),
                    ("OnEveryMinute", ""), ("fromInterval", ""), ("toInterval", ""),
                    ("timeZone", GMT), ("secondValue", "0"), ("minutesValue", ""),
                    ("hourValue", ""), ("triggerType", "simple"), ("noOfSchedules", "1"),
                    ("schedule1", "fireNow=true")]
            return key_value_table(rows)
        minutes = spec.get("every_minutes")
        if isinstance(minutes, int) and not isinstance(minutes, bool) and 1 <= minutes <= 59:
            rows = [("dateType", "DAILY"), ("timeType", "TIME_INTERVAL"), ("dayValue", ""),
                    ("monthValue", ""), ("yearValue", ""), ("onWeekly", ""), ("onMonthly", ""),
                    ("OnEveryMinute", str(minutes)), ("fromInterval", "0"), ("toInterval", "24"),
                    ("timeZone", GMT), ("secondValue", "0"), ("minutesValue", ""),
                    ("hourValue", ""), ("triggerType", "cron"), ("noOfSchedules", "1"),
                    ("schedule1", f"0+0/{minutes}+0-23+?+*+*+*&trigger.timeZone=Etc/GMT")]
            return key_value_table(rows)
        raise OptionError("timer", "expected 'once: true' or 'every_minutes: 1..59'")
