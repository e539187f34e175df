"""Citizens type phone numbers, My Number digits and e-mail addresses into search boxes."""

import re
import unicodedata

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Runs of 4 or more digits, also when split by hyphens or spaces (090-1234-5678, 1234 5678 9012).
DIGIT_RUN = re.compile(r"\d(?:[\s\-‐－ー]*\d){3,}")


def mask_personal_data(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = EMAIL.sub("[email]", text)
    return DIGIT_RUN.sub(lambda match: "#" * sum(ch.isdigit() for ch in match.group()), text)
