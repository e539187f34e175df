import factory
from django.utils import timezone

from inquiries.models import Inquiry, InquiryStatus, Kind, Outcome


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    received_at = factory.LazyFunction(timezone.now)
    kind = Kind.QUESTION
    summary = "粗大ごみの出し方"
    answer = "粗大ごみ受付センターに申し込みます。"
    outcome = Outcome.RESOLVED
    status = InquiryStatus.CLOSED
