from django.urls import path

from inquiries.views import console, correspondence, escalations, lists, lookup, surveys, written

app_name = "inquiries"

urlpatterns = [
    path("", console.console, name="console"),
    path("search/", console.console_search, name="console_search"),
    path("<int:pk>/survey/", console.console_survey, name="console_survey"),
    path("mine/", lists.my_inquiries, name="mine"),
    path("inquiries/", lists.inquiry_list, name="list"),
    path("inquiries/export.csv", lists.inquiry_export, name="export"),
    path("inquiries/<int:pk>/", lists.inquiry_detail, name="detail"),
    path("inquiries/<int:pk>/edit/", lists.inquiry_edit, name="edit"),
    path("inquiries/<int:pk>/contact/", lists.inquiry_contact, name="contact"),
    path("queue/", written.queue, name="queue"),
    path("paper/new/", written.register_paper, name="register_paper"),
    path("inquiries/<int:pk>/assign/", written.assign, name="assign"),
    path("inquiries/<int:pk>/pages/", written.upload_pages, name="upload_pages"),
    path("inquiries/<int:pk>/paper-reply/", written.paper_reply, name="paper_reply"),
    path("inquiries/<int:pk>/replies/<int:reply>/print/", written.reply_print, name="reply_print"),
    path("inquiries/<int:pk>/reply/", correspondence.email_reply, name="reply"),
    path("inquiries/<int:pk>/emails/<int:email_pk>/raw/", correspondence.email_raw, name="email_raw"),
    path(
        "inquiries/<int:pk>/attachments/<int:attachment_pk>/",
        correspondence.attachment_file,
        name="attachment",
    ),
    path(
        "inquiries/<int:pk>/attachments/<int:attachment_pk>/preview/",
        correspondence.attachment_preview,
        name="attachment_preview",
    ),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<int:pk>/", surveys.survey_list, name="survey_edit"),
    path("surveys/<int:pk>/delete/", surveys.survey_delete, name="survey_delete"),
    path("inquiries/find/", lookup.find_by_reference_view, name="find"),
    path("inquiries/<int:pk>/escalate/", escalations.inquiry_escalate, name="escalate"),
    path("inquiries/<int:pk>/qa-draft/", escalations.inquiry_article, name="inquiry_article"),
    path("escalations/", escalations.escalation_list, name="escalations"),
    path("escalations/<int:pk>/", escalations.escalation_detail, name="escalation"),
    path("escalations/<int:pk>/answer/", escalations.escalation_answer, name="escalation_answer"),
    path(
        "escalations/<int:pk>/share-contact/", escalations.escalation_share_contact, name="escalation_share"
    ),
    path("escalations/<int:pk>/contact/", escalations.escalation_contact, name="escalation_contact"),
    path("escalations/<int:pk>/cancel/", escalations.escalation_cancel, name="escalation_cancel"),
    path("escalations/<int:pk>/done/", escalations.escalation_finish, name="escalation_finish"),
    path("escalations/<int:pk>/qa-draft/", escalations.escalation_article, name="escalation_article"),
]
