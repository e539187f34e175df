import datetime

import factory
from django.utils import timezone

from inquiries.models import (
    CallerContact,
    Inquiry,
    InquiryArticle,
    InquiryStatus,
    Kind,
    Outcome,
    SurveyPeriod,
)


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    received_at = factory.LazyFunction(timezone.now)
    kind = Kind.QUESTION
    summary = "粗大ごみの出し方"
    answer = "粗大ごみ受付センターに申し込みます。"
    outcome = Outcome.RESOLVED
    status = InquiryStatus.CLOSED


class InquiryArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InquiryArticle

    inquiry = factory.SubFactory(InquiryFactory)
    position = factory.Sequence(lambda n: n)


class CallerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallerContact

    inquiry = factory.SubFactory(
        InquiryFactory, outcome="", status=InquiryStatus.WAITING, callback_needed=True
    )
    name = "札幌 花子"
    phone = "090-1111-2222"
    email = "hanako@example.jp"
    postal_address = "札幌市中央区北1条西2丁目"
    purpose = "回答の折り返し"


class SurveyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyPeriod

    name = factory.Sequence(lambda n: f"満足度調査{n}")
    first_day = factory.LazyFunction(timezone.localdate)
    last_day = factory.LazyAttribute(lambda period: period.first_day + datetime.timedelta(days=6))
