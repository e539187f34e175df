"""Demo inquiries for `manage.py load_demo_data`: the current fiscal year to date and the whole
one before (Japanese fiscal years start on 1 April), shaped as inquiries.demo_shapes says.

Drawn with numpy a chunk at a time and written past the ORM (COPY on PostgreSQL, executemany
on SQLite), so a million take under a minute and memory stays bounded. No history rows are
written: an inquiry's history records edits, and these were never edited.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from django.db import connection, models, transaction
from django.utils import timezone

from contactcenter.accounts.models import User
from contactcenter.lib import hours
from contactcenter.lib.bulk import indexes_set_aside, insert_rows
from inquiries import demo_shapes as shapes
from inquiries.models import (
    UNKNOWN,
    AgeBand,
    CallerType,
    Channel,
    Gender,
    Inquiry,
    InquiryArticle,
    InquiryLanguage,
    InquiryStatus,
    Kind,
    Outcome,
    SurveyPeriod,
    city_areas,
    is_out_of_hours,
)
from inquiries.services import status_after
from knowledgebase.models import Article, Category, Language

DEMO_SEED = 2026
CHUNK_SIZE = 20_000

# Demo inquiries are known by their form token (the console's are random, version 4): a
# version-8 ("vendor-specific") UUID that starts with "demo" in ASCII and ends with a running
# number. A later run counts them, carries on the numbering and adds only what is missing;
# inquiry number n is drawn the same way every time.
_TOKEN_BASE = (0x64656D6F_0000_8000 << 64) | (1 << 63)
_TOKEN_NUMBERS = 1 << 62

KINDS = shapes.KINDS
CHANNELS = list(shapes.CHANNELS)
# Outcomes as drawn: the first three in the order of shapes.OUTCOME_SHARES.
OUTCOMES = [Outcome.RESOLVED, Outcome.ESCALATED, Outcome.TRANSFERRED, Outcome.ABANDONED, ""]
RESOLVED, ESCALATED, TRANSFERRED, ABANDONED, STILL_OPEN = range(len(OUTCOMES))


def demo_token(number: int) -> uuid.UUID:
    return uuid.UUID(int=_TOKEN_BASE | number)


def demo_inquiries() -> models.QuerySet[Inquiry]:
    return Inquiry.objects.filter(form_token__range=(demo_token(0), demo_token(_TOKEN_NUMBERS - 1)))


def fiscal_year_start(day: date) -> date:
    """1 April of the fiscal year (年度) that `day` falls in."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


@dataclass(frozen=True)
class DemoInquiries:
    added: int
    total: int
    survey_periods_added: int


@transaction.atomic
def load_demo_inquiries(
    *,
    count: int,
    operators: Sequence[User],
    leaders: Sequence[User] = (),
    seed: int = DEMO_SEED,
    now: datetime | None = None,
) -> DemoInquiries:
    """Add demo inquiries until there are `count` (never changing or removing any), taken by
    `operators` and a few by `leaders`, and three survey periods per fiscal year.

    The same seed and day give the same inquiries, whether added at once or in several runs.
    """
    now = now or timezone.now()
    periods_added = _add_survey_periods(now)
    existing = demo_inquiries()
    have = existing.count()
    missing = count - have
    if missing <= 0 or not operators:
        return DemoInquiries(0, have, periods_added)
    last = existing.order_by("-form_token").values_list("form_token", flat=True).first()
    number = 0 if last is None else (last.int & (_TOKEN_NUMBERS - 1)) + 1
    stop = number + missing
    draw = _Draw(seed, now, list(operators), list(leaders))
    # Building the indexes once beats updating them row by row when the table at least doubles.
    doubles = missing >= Inquiry.objects.count()
    parts = []
    while number < stop:
        chunk_no, offset = divmod(number, CHUNK_SIZE)
        parts.append((chunk_no, offset, min(CHUNK_SIZE - offset, stop - number)))
        number += parts[-1][2]
    with (
        indexes_set_aside([Inquiry, InquiryArticle]) if doubles else contextlib.nullcontext(),
        ThreadPoolExecutor(max_workers=1) as drawing,
    ):
        # The next part is drawn while the database takes in this one (one part ahead at most).
        pending = drawing.submit(draw.draw, *parts[0])
        for following in [*parts[1:], None]:
            part = pending.result()
            if following:
                pending = drawing.submit(draw.draw, *following)
            draw.write(part)
    return DemoInquiries(missing, count, periods_added)


def _add_survey_periods(now: datetime) -> int:
    added = 0
    this_year = fiscal_year_start(timezone.localdate(now)).year
    for year in (this_year - 1, this_year):
        for number, (month, day) in enumerate(shapes.SURVEY_WEEKS, start=1):
            start = date(year + (month < 4), month, day)
            monday = start + timedelta(days=-start.weekday() % 7)
            _period, created = SurveyPeriod.objects.get_or_create(
                name=f"{year}年度 満足度調査 第{number}回（{month}月）",
                defaults={"first_day": monday, "last_day": monday + timedelta(days=6)},
            )
            added += created
    return added


def _p(weights: Iterable[float]) -> np.ndarray:
    array = np.asarray(list(weights), dtype=float)
    return array / array.sum()


class _QAs:
    """The public Japanese Q&As and how often each is used (Zipf over a fixed shuffle, the
    season's topics more in their months). Further Q&As of an inquiry share the first's topic."""

    def __init__(self, seed: int) -> None:
        fields = ("pk", "category", "category__parent", "category__parent__name", "category__name")
        rows = list(
            Article.objects.published()
            .filter(language=Language.JAPANESE)
            .order_by("pk")
            .values_list(*fields, "question", "answer", "department__name")
        )
        self.count = len(rows)
        self.ids = np.array([row[0] for row in rows], dtype=np.int64)
        self.categories = np.array([row[1] for row in rows], dtype=object)
        self.questions = [row[5].strip().rstrip("。") for row in rows]
        self.answers = [_first_sentence(row[6]) for row in rows]
        self.departments = [row[7] or shapes.SOME_DEPARTMENT for row in rows]
        if not rows:
            return
        self.p = _p(1.0 / (np.random.default_rng(seed).permutation(self.count) + 1.0))
        topic = np.array([row[2] or row[1] or 0 for row in rows])
        self.by_topic = np.argsort(topic, kind="stable")
        self.topic_start = np.searchsorted(topic[self.by_topic], topic, side="left")
        self.topic_size = np.searchsorted(topic[self.by_topic], topic, side="right") - self.topic_start
        paths = [f"{row[3] or ''}/{row[4] or ''}" for row in rows]
        self.seasonal = {}
        for month, words in shapes.SEASONAL_TOPICS.items():
            matches = np.array([any(word in path for word in words) for path in paths])
            if matches.any():
                self.seasonal[month] = _p(self.p * matches)

    def same_topic(self, qa: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        offsets = (rng.random(qa.size) * self.topic_size[qa]).astype(np.int64)
        return self.by_topic[self.topic_start[qa] + offsets]


def _first_sentence(answer: str) -> str:
    """The answer's first sentence (not a heading, list or table line), as an operator notes it."""
    for line in answer.splitlines():
        line = line.strip()
        if "。" in line and not line.startswith(("-", "|")):
            sentence = line.split("。")[0]
            return (sentence if len(sentence) <= 100 else sentence[:99] + "…") + "。"
    return shapes.RESOLVED_ANSWERS[Kind.QUESTION]


class _Calendar:
    """Every day from the start of last fiscal year to today: how busy each channel is on each
    day and at each hour, when the centre is open, which days are survey days."""

    def __init__(self, now: datetime) -> None:
        local = timezone.localtime(now)
        today = local.date()
        start = date(fiscal_year_start(today).year - 1, 4, 1)
        self.days = [start + timedelta(days=n) for n in range((today - start).days + 1)]
        self.today = len(self.days) - 1
        self.now_hour = local.hour
        self.now = int(now.timestamp())
        zone = timezone.get_current_timezone()
        midnights = [int(datetime.combine(day, time(), tzinfo=zone).timestamp()) for day in self.days]
        self.midnights = np.array(midnights, dtype=np.int64)
        self.months = np.array([day.month for day in self.days])
        self.survey = np.zeros(len(self.days), dtype=bool)
        periods = SurveyPeriod.objects.filter(last_day__gte=start, first_day__lte=today)
        for first, last in periods.values_list("first_day", "last_day"):
            self.survey[max((first - start).days, 0) : (last - start).days + 1] = True

        opening = hours.opening(now)
        opens = opening.opens_at.hour * 3600 + opening.opens_at.minute * 60
        closes = opening.closes_at.hour * 3600 + opening.closes_at.minute * 60 or 86400
        closed = np.array([hours.is_closed_day(day) for day in self.days])
        season = np.array([shapes.MONTHS[day.month - 1] * _surge(day) for day in self.days])
        weekdays = np.array([day.weekday() for day in self.days])
        self.day_p, self.hour_p, self.today_hour_p, self.low, self.high = {}, {}, {}, {}, {}
        for channel, shape in shapes.CHANNELS.items():
            low = np.arange(24) * 3600
            high = low + 3600
            if shape.while_open:
                low, high = np.maximum(low, opens), np.minimum(high, closes)
            weights = np.asarray(shape.hours) * np.clip(high - low, 0, None) / 3600
            self.low[channel], self.high[channel] = low, np.maximum(high, low + 1)
            self.hour_p[channel] = weights / weights.sum()
            # Today only up to the hour now begun.
            before_now = weights[: self.now_hour].sum()
            self.today_hour_p[channel] = weights[: self.now_hour] / before_now if before_now else None
            by_weekday = np.array(shapes.CALL_WEEKDAYS if shape.while_open else shapes.MAIL_WEEKDAYS)[
                weekdays
            ]
            day_weights = season * by_weekday * ~(closed & shape.while_open)
            day_weights[self.today] *= before_now / weights.sum()
            self.day_p[channel] = day_weights / day_weights.sum()


def _surge(day: date) -> float:
    moves = (day.month == 3 and day.day > 21) or (day.month == 4 and day.day <= 10)
    tax_notices = day.month == 6 and day.day >= 10
    year_end = (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
    return shapes.SURGE if moves or tax_notices else shapes.YEAR_END if year_end else 1.0


class _OutOfHours:
    """`is_out_of_hours` for many moments at the cost of a few calls. It is asked at the first
    and the last second of each hour of each day; only an hour whose two answers differ (the
    centre opens or closes inside it) is asked again for each moment in it."""

    def __init__(self) -> None:
        self.by_hour: dict[int, bool | None] = {}

    def __call__(self, moments: np.ndarray, hour_starts: np.ndarray) -> np.ndarray:
        starts, where = np.unique(hour_starts, return_inverse=True)
        for start in starts.tolist():
            if start not in self.by_hour:
                first, last = (is_out_of_hours(datetime.fromtimestamp(s, UTC)) for s in (start, start + 3599))
                self.by_hour[start] = first if first == last else None
        answers = [self.by_hour[start] for start in starts.tolist()]
        result = np.array([bool(answer) for answer in answers])[where]
        for row in np.flatnonzero(np.array([answer is None for answer in answers])[where]):
            result[row] = is_out_of_hours(datetime.fromtimestamp(int(moments[row]), UTC))
        return result


class _Texts:
    """Every summary and answer once; inquiries pick them by number."""

    def __init__(self, qas: _QAs) -> None:
        notes = [note for kind in KINDS for note in shapes.NOTES[kind]]
        self.note_start = np.cumsum([0, *(len(shapes.NOTES[kind]) for kind in KINDS)])[:-1]
        self.note_count = np.array([len(shapes.NOTES[kind]) for kind in KINDS])
        paths = {
            f"{parent}/{name}" if parent else name: pk
            for pk, parent, name in Category.objects.values_list("pk", "parent__name", "name")
        }
        self.note_categories = np.array([paths.get(topic) for topic, _summary in notes], dtype=object)
        summaries = ["", *qas.questions, *(summary for _topic, summary in notes), *shapes.ABANDONED_NOTES]
        self.summaries = np.array(summaries, dtype=object)
        self.qa_summary = 1
        self.note_summary = self.qa_summary + qas.count
        self.abandoned_summary = self.note_summary + len(notes)
        departments = [*qas.departments, shapes.SOME_DEPARTMENT]
        answers = [
            "",
            shapes.CALLBACK_ANSWER,
            *qas.answers,
            *(shapes.RESOLVED_ANSWERS[kind] for kind in KINDS),
            *(shapes.ESCALATED_ANSWER.format(department=department) for department in departments),
            *(shapes.TRANSFERRED_ANSWER.format(department=department) for department in departments),
        ]
        self.answers = np.array(answers, dtype=object)
        self.callback_answer = 1
        self.qa_answer = 2
        self.kind_answer = self.qa_answer + qas.count
        self.escalated_answer = self.kind_answer + len(KINDS)  # + Q&A number, or + count for none
        self.transferred_answer = self.escalated_answer + len(departments)


@dataclass(frozen=True)
class _Part:
    first: int  # number of its first inquiry
    order: np.ndarray  # inquiry numbers from `first`, in the order written
    columns: dict[str, list]
    qa: np.ndarray  # Q&A numbers used, by inquiry and position (-1: none)


class _Draw:
    """Draws chunk after chunk of inquiries (chunk n is the same whenever it is drawn) and
    writes them. Drawing touches no database, so it can run in another thread."""

    def __init__(self, seed: int, now: datetime, operators: list[User], leaders: list[User]) -> None:
        self.seed = seed
        self.calendar = _Calendar(now)
        self.qas = _QAs(seed)
        self.texts = _Texts(self.qas)
        self.out_of_hours = _OutOfHours()
        self.timestamps = _timestamps(connection.vendor)
        # Full-timers take more calls than part-timers; leaders take a few.
        self.staff = np.array([user.pk for user in [*operators, *leaders]], dtype=object)
        shares = [1.3 - 0.7 * n / len(operators) for n in range(len(operators))] + [0.25] * len(leaders)
        self.staff_p = _p(shares)
        codes = [code for code, _name in city_areas() if code != UNKNOWN]
        self.areas = np.array([*codes, UNKNOWN], dtype=object)
        sizes = np.random.default_rng([seed, 1]).uniform(0.5, 1.5, len(codes))
        self.area_p = _p([*(sizes / sizes.sum() * (1 - shapes.UNKNOWN_AREA)), shapes.UNKNOWN_AREA])

    def draw(self, chunk_no: int, offset: int, take: int) -> _Part:
        """Inquiries offset … offset + take - 1 of chunk `chunk_no`, as the database stores them.

        A chunk is drawn in no order of time, so any part of it spans both years; the part is
        put in the order received.
        """
        drawn = {name: values[offset : offset + take] for name, values in self._chunk(chunk_no).items()}
        order = np.argsort(drawn["received"], kind="stable")
        drawn = {name: values[order] for name, values in drawn.items()}
        first, stamps = chunk_no * CHUNK_SIZE + offset, self.timestamps
        columns = {
            "received_at": stamps(drawn["received"]),
            "ended_at": stamps(drawn["ended"]),
            "channel": _values(CHANNELS, drawn["channel"]),
            "language": _values(InquiryLanguage, drawn["language"]),
            "kind": _values(KINDS, drawn["kind"]),
            "category": drawn["category"].tolist(),
            "summary": self.texts.summaries[drawn["summary"]].tolist(),
            "answer": self.texts.answers[drawn["answer"]].tolist(),
            "outcome": _values(OUTCOMES, drawn["outcome"]),
            "status": _values(InquiryStatus, drawn["status"]),
            "callback_needed": drawn["callback"].tolist(),
            "operator": drawn["operator"].tolist(),
            "assigned_to": [None] * take,
            "out_of_hours": drawn["out_of_hours"].tolist(),
            "satisfaction": [score or None for score in drawn["satisfaction"].tolist()],
            "survey_declined": drawn["declined"].tolist(),
            "age_band": _values(AgeBand, drawn["age"]),
            "gender": _values(Gender, drawn["gender"]),
            "caller_type": _values(CallerType, drawn["caller"]),
            "area": self.areas[drawn["area"]].tolist(),
            "version": [1] * take,
            "form_token": [f"{_TOKEN_BASE | number:032x}" for number in (first + order).tolist()],
            "created_at": stamps(drawn["created"]),
            "updated_at": stamps(drawn["created"]),
        }
        return _Part(first, order, columns, drawn["qa"])

    def write(self, part: _Part) -> None:
        """Write a part's inquiries, then their Q&A links."""
        first, order, columns, take = part.first, part.order, part.columns, len(part.order)
        insert_rows(Inquiry, list(columns), zip(*columns.values(), strict=True))
        by_number = np.array(
            demo_inquiries()
            .filter(form_token__range=(demo_token(first), demo_token(first + take - 1)))
            .order_by("form_token")
            .values_list("pk", flat=True)
        )
        assert len(by_number) == take, "demo inquiries written and read back differ"
        ids, qa, links = by_number[order], part.qa, []
        for position in range(qa.shape[1]):
            rows = np.flatnonzero(qa[:, position] >= 0)
            articles = self.qas.ids[qa[rows, position]].tolist()
            links += zip(
                ids[rows].tolist(), articles, [position] * rows.size, [None] * rows.size, strict=True
            )
        insert_rows(InquiryArticle, ["inquiry", "article", "position", "search"], links)

    def _chunk(self, chunk_no: int) -> dict[str, np.ndarray]:
        """CHUNK_SIZE inquiries, each field an array (mostly of choice numbers)."""
        rng = np.random.default_rng([self.seed, 2, chunk_no])
        calendar, qas, texts, n = self.calendar, self.qas, self.texts, CHUNK_SIZE
        phone, visit = CHANNELS.index(Channel.PHONE), CHANNELS.index(Channel.VISIT)
        queued = [CHANNELS.index(Channel.EMAIL), CHANNELS.index(Channel.WEB)]

        # When: a day by the channel's season and weekday, an hour by its daily curve.
        channel = rng.choice(len(CHANNELS), size=n, p=_p(shape.share for shape in shapes.CHANNELS.values()))
        day, hour, second = (np.zeros(n, dtype=np.int64) for _ in range(3))
        for number, key in enumerate(CHANNELS):
            rows = np.flatnonzero(channel == number)
            days = rng.choice(len(calendar.days), size=rows.size, p=calendar.day_p[key])
            hours_ = rng.choice(24, size=rows.size, p=calendar.hour_p[key])
            later_today = (days == calendar.today) & (hours_ >= calendar.now_hour)
            if later_today.any():
                hours_[later_today] = rng.choice(
                    calendar.now_hour, size=int(later_today.sum()), p=calendar.today_hour_p[key]
                )
            low, high = calendar.low[key][hours_], calendar.high[key][hours_]
            day[rows], hour[rows] = days, hours_
            second[rows] = low + (rng.random(rows.size) * (high - low)).astype(np.int64)
        received = calendar.midnights[day] + second

        # What was asked, and how it ended.
        kind, age, gender = (np.zeros(n, dtype=np.int64) for _ in range(3))
        for number, shape in enumerate(shapes.CHANNELS.values()):
            rows = np.flatnonzero(channel == number)
            kind[rows] = rng.choice(len(KINDS), size=rows.size, p=_p(shape.kinds))
            age[rows] = rng.choice(len(AgeBand), size=rows.size, p=_p(shape.ages))
            gender[rows] = rng.choice(len(Gender), size=rows.size, p=_p(shape.genders))
        abandoned = (channel == phone) & (rng.random(n) < shapes.ABANDONED_CALLS)
        kind[abandoned] = KINDS.index(Kind.QUESTION)
        outcome = np.zeros(n, dtype=np.int64)
        for number, key in enumerate(KINDS):
            rows = np.flatnonzero(kind == number)
            outcome[rows] = rng.choice(3, size=rows.size, p=_p(shapes.OUTCOME_SHARES[key]))
        outcome[abandoned] = ABANDONED
        days_ago = calendar.today - day
        open_mail = np.isin(channel, queued) & (days_ago <= 1) & (rng.random(n) < shapes.OPEN_EMAILS)
        callback = (channel == phone) & ~abandoned & (days_ago <= 2) & (rng.random(n) < shapes.OPEN_CALLBACKS)
        outcome[open_mail | callback] = STILL_OPEN
        statuses = list(InquiryStatus)
        after = [
            [statuses.index(status_after(o, callback_needed=c)) for c in (False, True)] for o in OUTCOMES
        ]
        status = np.array(after)[outcome, callback.astype(np.int64)]
        answered = (outcome == ESCALATED) & (days_ago > shapes.DEPARTMENT_DAYS)
        status[answered] = statuses.index(InquiryStatus.CLOSED)

        # The Q&As used (their topic is the inquiry's), or the operator's own note.
        qa = np.full((n, 3), -1, dtype=np.int64)
        if qas.count:
            uses_qa = ~abandoned & (rng.random(n) < np.array([shapes.QA_SHARES[key] for key in KINDS])[kind])
            first = rng.choice(qas.count, size=n, p=qas.p)
            for month, p in qas.seasonal.items():
                rows = np.flatnonzero(
                    (calendar.months[day] == month) & (rng.random(n) < shapes.SEASONAL_SHARE)
                )
                first[rows] = rng.choice(qas.count, size=rows.size, p=p)
            second_qa, third_qa, more = qas.same_topic(first, rng), qas.same_topic(first, rng), rng.random(n)
            two = uses_qa & (more < shapes.SECOND_QA) & (second_qa != first)
            three = two & (more < shapes.THIRD_QA) & (third_qa != first) & (third_qa != second_qa)
            qa[uses_qa, 0], qa[two, 1], qa[three, 2] = first[uses_qa], second_qa[two], third_qa[three]
        linked, used = qa[:, 0] >= 0, np.maximum(qa[:, 0], 0)
        note = texts.note_start[kind] + (rng.random(n) * texts.note_count[kind]).astype(np.int64)
        category = np.where(linked, qas.categories[used] if qas.count else None, texts.note_categories[note])
        category[abandoned] = None
        summary = np.where(linked, texts.qa_summary + used, texts.note_summary + note)
        shrug = texts.abandoned_summary + rng.integers(len(shapes.ABANDONED_NOTES), size=n)
        summary[abandoned] = shrug[abandoned]
        department = np.where(linked, used, qas.count)
        answer = np.select(
            [
                linked & (outcome == RESOLVED),
                outcome == RESOLVED,
                outcome == ESCALATED,
                outcome == TRANSFERRED,
            ],
            [
                texts.qa_answer + used,
                texts.kind_answer + kind,
                texts.escalated_answer + department,
                texts.transferred_answer + department,
            ],
            default=np.where(callback, texts.callback_answer, 0),
        )

        # How long it took: calls and visits from received to ended, a few minutes each.
        spoken = (channel == phone) | (channel == visit)
        minutes = np.array([shapes.CALL_MINUTES[key] for key in KINDS])[kind]
        minutes[channel == visit] = shapes.VISIT_MINUTES
        duration = np.maximum(45, minutes * 60 * rng.lognormal(0.0, 0.5, n)).astype(np.int64)
        duration[abandoned] = rng.integers(3, 40, size=int(abandoned.sum()))
        ended = np.where(spoken, np.minimum(received + duration, calendar.now), -1)
        delay = rng.lognormal(np.log(shapes.ANSWER_MINUTES * 60), 0.8, n).astype(np.int64)
        created = np.where(
            spoken, ended, np.where(open_mail, received, np.minimum(received + delay, calendar.now))
        )

        # The survey: phone callers on survey days, once the call had an outcome.
        asked = (channel == phone) & calendar.survey[day] & (outcome <= TRANSFERRED)
        scored = asked & (rng.random(n) < shapes.SURVEY_ANSWERED)
        score = np.where(
            kind == KINDS.index(Kind.COMPLAINT),
            rng.choice(5, size=n, p=_p(shapes.COMPLAINT_SCORES)),
            rng.choice(5, size=n, p=_p(shapes.SCORES)),
        )

        # Who called (never who they are) and who answered.
        caller = rng.choice(len(CallerType), size=n, p=_p(shapes.CALLER_TYPES))
        local = np.isin(
            caller, [list(CallerType).index(CallerType.RESIDENT), list(CallerType).index(CallerType.BUSINESS)]
        )
        area = np.where(local, rng.choice(len(self.areas), size=n, p=self.area_p), len(self.areas) - 1)
        age[abandoned] = list(AgeBand).index(AgeBand.UNKNOWN)
        gender[abandoned] = list(Gender).index(Gender.UNKNOWN)
        caller[abandoned] = list(CallerType).index(CallerType.UNKNOWN)
        area[abandoned] = len(self.areas) - 1
        operator = self.staff[rng.choice(len(self.staff), size=n, p=self.staff_p)]
        operator[open_mail] = None
        return {
            "received": received,
            "ended": ended,
            "created": created,
            "channel": channel,
            "language": rng.choice(len(InquiryLanguage), size=n, p=_p(shapes.LANGUAGES)),
            "kind": kind,
            "category": category,
            "summary": summary,
            "answer": answer,
            "outcome": outcome,
            "status": status,
            "callback": callback,
            "operator": operator,
            "out_of_hours": self.out_of_hours(received, calendar.midnights[day] + hour * 3600),
            "satisfaction": np.where(scored, score + 1, 0),
            "declined": asked & ~scored,
            "age": age,
            "gender": gender,
            "caller": caller,
            "area": area,
            "qa": qa,
        }


def _values(choices: Iterable[str], numbers: np.ndarray) -> list[str]:
    return np.array([str(choice) for choice in choices], dtype=object)[numbers].tolist()


def _timestamps(vendor: str) -> Callable[[np.ndarray], list[str | None]]:
    """Moments (epoch seconds, -1 for none) as the database reads them: UTC, to the second."""
    suffix = "+00" if vendor == "postgresql" else ""  # SQLite: Django's naive UTC text

    def timestamps(moments: np.ndarray) -> list[str | None]:
        text = np.datetime_as_string(moments.astype("datetime64[s]"), unit="s")
        text = np.strings.add(np.strings.replace(text, "T", " "), suffix).astype(object)
        text[moments < 0] = None
        return text.tolist()

    return timestamps
