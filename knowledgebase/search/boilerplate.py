"""Contact blocks, office hours, phone and web lines: the parts of an answer many Q&As share.

Municipal answers end in a footer naming the office, its phone and its hours
(■お問い合わせ先 / ■受付時間, 【問合せ】…（平日8:45～17:15）, このページに関するお問い合わせ,
お問い合わせ先：…, お問い合わせは、…へ。) and carry notes such as 【区役所で受付します】 and
addresses of web pages. Indexed as answer text, those words make every Q&A match a
question about opening hours, a phone number or an office. `split_boilerplate` moves them
to a field of their own that search weighs lightly.
"""

from __future__ import annotations

import re
import unicodedata

# A heading that opens a contact block: ■お問い合わせ先, 【郵送請求に関するお問い合わせ】, 受付時間：…
# A marker (■, 【, ◆ …) may come first and a few words before the label; a separator or the
# end of the line after it, so that a sentence (電話で申し込んでください。) is not a heading.
_CONTACT_LABEL = (
    r"(?:お|ご)?(?:問い?合わ?せ|問合わせ|相談受付|受付時間|受付窓口|開庁時間|休日|閉庁日|連絡先|担当窓口"
    r"|電話番号|電話|tel|fax|ファクス|ファックス|メール|e-?mail)(?:先|時間|窓口)?"
)
CONTACT_HEADING = re.compile(
    r"^(?:[■□◆◇●○▼▽◎★☆＜<〈《\[【]\s*[^】\]>＞〉》\s。]{0,20}?|このページに関する)?"
    + _CONTACT_LABEL
    + r"(?:[】\]>＞〉》:：\s]|$)",
    re.IGNORECASE,
)
# A line that is only a referral: お問い合わせは、お住まいの区の区役所戸籍住民課へ。/ 詳しくは、下記までお問い合わせください。
REFERRAL = re.compile(
    r"^(?:※\s*)?(?:(?:お|ご)?問い?合わ?せは|詳しくは、?[^。]{0,40}(?:お|ご)?問い?合わ?せください。$)"
)
# A bracketed note about where something is received: 【区役所で受付します】.
RECEPTION_NOTE = re.compile(r"^[【\[［][^】\]］]*(?:受付|受け付け)[^】\]］]*[】\]］]$")
PHONE = re.compile(r"\d{2,5}\s*[-‐－ー]\s*\d{1,4}\s*[-‐－ー]\s*\d{3,4}")
HOURS = re.compile(r"\d{1,2}\s*(?:時|:)\s*\d{0,2}\s*分?\s*[～~〜\-－から]+\s*\d{1,2}\s*(?:時|:)")
URL = re.compile(r"https?://[^\s　()（）「」<>]+")
# Words that keep a line inside a contact block once one has opened.
CONTACT_WORDS = re.compile(
    r"電話|tel|fax|ファクス|メール|受付|平日|土日|祝日|年末年始|閉庁日|休館|開庁|(?:区役所|局|課|係|担当|センター)(?:\s|$|（|\()",
    re.IGNORECASE,
)
SHORT_LINE = 40


def _continues_block(line: str) -> bool:
    """A line that still belongs to the contact block above it."""
    if line[:1] in " \u3000\t":
        return True
    text = line.strip()
    if text.startswith(("- ", "・", "|")):
        return False
    return bool(
        PHONE.search(text)
        or HOURS.search(text)
        or CONTACT_WORDS.search(text)
        or (len(text) <= SHORT_LINE and not text.endswith("。"))
    )


def _is_contact_line(text: str) -> bool:
    """A line that is boilerplate wherever it stands."""
    if REFERRAL.match(text) or RECEPTION_NOTE.match(text):
        return True
    bare = PHONE.sub("", URL.sub("", text))
    # Nothing but a phone number or web address, and at most a label around it.
    return bare != text and len(re.sub(r"[\s:：。、()（）電話番号telfaxTELFAXファクス]", "", bare)) <= 4


def split_boilerplate(answer: str) -> tuple[str, str]:
    """(the answer without its contact blocks, phone and web lines; those lines).

    A contact block opens at a heading line (■お問い合わせ先, 【問合せ】…, 受付時間：…)
    and runs to the next blank line while its lines look like offices, phones, hours or
    short labels. Web addresses inside other sentences move out, the sentence stays.
    """
    body: list[str] = []
    contact: list[str] = []
    in_block = False
    for line in answer.splitlines():
        text = unicodedata.normalize("NFKC", line).strip()
        if not text:
            in_block = False
            body.append(line)
            continue
        if CONTACT_HEADING.match(text) and (len(text) <= 80 or PHONE.search(text) or HOURS.search(text)):
            in_block = True
            contact.append(line)
            continue
        if in_block and _continues_block(unicodedata.normalize("NFKC", line)):
            contact.append(line)
            continue
        in_block = False
        if _is_contact_line(text):
            contact.append(line)
            continue
        addresses = URL.findall(line)
        if addresses:
            contact.extend(addresses)
            line = URL.sub(" ", line)
        body.append(line)
    return "\n".join(body).strip(), "\n".join(contact)
