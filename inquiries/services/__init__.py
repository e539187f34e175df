"""Writes to inquiries: each in one transaction, keyword-only, in the centre's words.

One module per kind of work: `calls` (logging and editing inquiries, contacts, surveys),
`attachments` (scanned pages and files); the e-mail, contact-form and escalation writes have
their own modules beside them. The names below are the ones views and tests use most.
"""

from inquiries.services.calls import (
    InquiryData,
    InquiryError,
    StaleInquiry,
    UsedArticle,
    WithdrawnArticles,
    log_inquiry,
    record_export,
    record_satisfaction,
    save_caller_contact,
    save_survey_period,
    status_after,
    survey_is_running,
    update_inquiry,
)

__all__ = [
    "InquiryData",
    "InquiryError",
    "StaleInquiry",
    "UsedArticle",
    "WithdrawnArticles",
    "log_inquiry",
    "record_export",
    "record_satisfaction",
    "save_caller_contact",
    "save_survey_period",
    "status_after",
    "survey_is_running",
    "update_inquiry",
]
