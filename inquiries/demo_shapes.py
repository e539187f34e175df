"""What the demo centre looks like, in numbers and in words (inquiries.demo draws from these).

Plausible shapes for a Japanese city's contact centre, not any one city's figures: mostly
phone; busiest when people move (March–April) and when the resident-tax notices arrive (June);
a lunchtime peak; about nine in ten resolved by the centre; many callers in their 60s and 70s;
a satisfaction survey a week at a time, three times a year, averaging about 4.7 out of 5.
Every tuple of shares follows the order of its choices in inquiries.models.
"""

from dataclasses import dataclass

from inquiries.models import Channel, Kind

KINDS = list(Kind)  # question, consultation, request, proposal, complaint
# Resolved by the centre, escalated, transferred: questions are nearly always answered at the
# first contact, complaints and proposals mostly go to the department concerned.
OUTCOME_SHARES = {
    Kind.QUESTION: (0.965, 0.01, 0.025),
    Kind.CONSULTATION: (0.78, 0.10, 0.12),
    Kind.REQUEST: (0.45, 0.45, 0.10),
    Kind.PROPOSAL: (0.30, 0.70, 0.0),
    Kind.COMPLAINT: (0.12, 0.83, 0.05),
}
ABANDONED_CALLS = 0.03  # of phone calls: hung up, silent or a wrong number
# Answered with at least one Q&A, by kind; of those, a second Q&A of the same topic, a third.
QA_SHARES = {
    Kind.QUESTION: 0.88,
    Kind.CONSULTATION: 0.5,
    Kind.REQUEST: 0.15,
    Kind.PROPOSAL: 0.0,
    Kind.COMPLAINT: 0.05,
}
SECOND_QA, THIRD_QA = 0.17, 0.03
# Q&As are used unevenly: the n-th most used one is used about 1/n as often as the first.
# In these months Q&As on the season's topics are asked this much more.
SEASONAL_TOPICS = {
    3: ("引っ越し", "転入", "転出", "住民票", "使用開始"),
    4: ("引っ越し", "転入", "転出", "住民票", "使用開始"),
    6: ("市民税", "保険料", "税"),
}
SEASONAL_SHARE = 0.35

# Minutes a call typically takes, by kind; a visit takes about VISIT_MINUTES. Spread
# log-normally around it (σ = 0.5): 2–10 minutes for most calls, a long tail.
CALL_MINUTES = {
    Kind.QUESTION: 4.2,
    Kind.CONSULTATION: 7.0,
    Kind.REQUEST: 5.0,
    Kind.PROPOSAL: 5.0,
    Kind.COMPLAINT: 9.0,
}
VISIT_MINUTES = 8.0
ANSWER_MINUTES = 40  # written inquiries are logged when answered, typically this long after arrival

# The survey: a week from the Monday on or after these days (month, day) of each fiscal year.
SURVEY_WEEKS = ((6, 10), (10, 14), (2, 10))
SURVEY_ANSWERED = 0.84  # of phone callers asked on a survey day; the others decline
SCORES = (0.005, 0.015, 0.04, 0.17, 0.77)  # 1 to 5: a mean of about 4.7
COMPLAINT_SCORES = (0.05, 0.10, 0.25, 0.30, 0.30)

# Recent work still in hand.
OPEN_EMAILS = 0.5  # of e-mails and web forms of today and yesterday, still in the queue
OPEN_CALLBACKS = 0.04  # of calls of the last three days, waiting for a callback
DEPARTMENT_DAYS = 10  # escalations older than this have been answered by the department

# Relative weight of each hour of the day (0–23) by channel; calls, visits and letters only
# while the centre is open.
_CALL_HOURS = (0,) * 8 + (0.55, 1.25, 1.35, 1.2, 1.45, 1.3, 1.05, 0.95, 0.9, 0.85, 0.65, 0.45, 0.3) + (0,) * 3
_VISIT_HOURS = (0,) * 8 + (0.3, 1.0, 1.2, 1.1, 0.9, 1.1, 1.0, 0.9, 0.7, 0.4, 0.2, 0.1, 0.05) + (0,) * 3
_POST_HOURS = (0,) * 9 + (1.0,) * 8 + (0,) * 7  # letters are opened in office hours
_FAX_HOURS = (0.05,) * 8 + (0.6, 1, 1, 1, 0.8, 1, 1, 1, 0.9, 0.6, 0.3, 0.2, 0.1) + (0.05,) * 3
_MAIL_HOURS = (
    (0.15, 0.1, 0.08, 0.06, 0.06, 0.1, 0.3, 0.6) + (1, 1, 1, 1, 1.3) + (1,) * 5 + (0.9, 1, 1.1, 1.2, 1, 0.6)
)
# Ages (10s … 80+, unknown) and genders (female, male, other, unknown) as the operator notes
# them: callers are often older; from an e-mail the age is mostly unknown.
_SPOKEN_AGES = (0.01, 0.05, 0.10, 0.14, 0.16, 0.19, 0.20, 0.09, 0.06)
_WRITTEN_AGES = (0.005, 0.035, 0.07, 0.09, 0.07, 0.04, 0.015, 0.005, 0.67)
_POST_AGES = (0.0, 0.005, 0.02, 0.05, 0.09, 0.18, 0.27, 0.19, 0.195)
_SPOKEN_GENDERS = (0.55, 0.425, 0.002, 0.023)
_WRITTEN_GENDERS = (0.28, 0.30, 0.002, 0.418)
_POST_GENDERS = (0.40, 0.45, 0.0, 0.15)


@dataclass(frozen=True)
class ChannelShape:
    share: float
    kinds: tuple[float, ...]
    hours: tuple[float, ...]
    while_open: bool  # only while the centre is open (and never on its closed days)
    ages: tuple[float, ...]
    genders: tuple[float, ...]


CHANNELS = {
    Channel.PHONE: ChannelShape(
        0.80, (0.88, 0.045, 0.035, 0.005, 0.035), _CALL_HOURS, True, _SPOKEN_AGES, _SPOKEN_GENDERS
    ),
    Channel.EMAIL: ChannelShape(
        0.08, (0.75, 0.05, 0.08, 0.05, 0.07), _MAIL_HOURS, False, _WRITTEN_AGES, _WRITTEN_GENDERS
    ),
    Channel.WEB: ChannelShape(
        0.06, (0.75, 0.05, 0.08, 0.05, 0.07), _MAIL_HOURS, False, _WRITTEN_AGES, _WRITTEN_GENDERS
    ),
    Channel.VISIT: ChannelShape(
        0.03, (0.90, 0.06, 0.02, 0.0, 0.02), _VISIT_HOURS, True, _SPOKEN_AGES, _SPOKEN_GENDERS
    ),
    Channel.FAX: ChannelShape(
        0.02, (0.62, 0.03, 0.15, 0.08, 0.12), _FAX_HOURS, False, _POST_AGES, _POST_GENDERS
    ),
    Channel.LETTER: ChannelShape(
        0.01, (0.45, 0.05, 0.20, 0.12, 0.18), _POST_HOURS, True, _POST_AGES, _POST_GENDERS
    ),
}
CALLER_TYPES = (0.87, 0.05, 0.005, 0.05, 0.025)  # resident, non-resident, tourist, business, unknown
UNKNOWN_AREA = 0.05  # of residents and businesses; the others' area is unknown
LANGUAGES = (0.985, 0.007, 0.004, 0.002, 0.002)  # ja, en, zh-hans, ko, other

# How busy each day is: by month (January first), weekday (Monday first) and season.
MONTHS = (0.92, 0.95, 1.3, 1.45, 1.05, 1.15, 0.95, 0.85, 0.85, 0.9, 0.85, 0.8)
CALL_WEEKDAYS = (1.3, 1.1, 1.0, 1.0, 1.05, 0.6, 0.5)
MAIL_WEEKDAYS = (1.1, 1.0, 1.0, 1.0, 1.0, 0.85, 0.8)
SURGE = 1.3  # the last ten days of March and the first ten of April (moves), June from the 10th (tax notices)
YEAR_END = 0.5  # 29 December to 3 January: the city's offices are closed, the centre is not

# What was asked when no Q&A was used, by kind: (topic, summary) in an operator's words. Never
# a name, a number or an address.
NOTES = {
    Kind.QUESTION: [
        ("住民票・戸籍・証明書", "区役所の窓口の受付時間について"),
        ("", "担当部署の電話番号を知りたい"),
        ("公共施設・スポーツ・文化/区民センター・集会施設", "区民センターの駐車場の有無について"),
        ("防災・災害/避難所・避難情報", "最寄りの避難所の場所について"),
        ("ごみ・リサイクル/家庭ごみの分け方・出し方", "品目ごとのごみの分け方について"),
        ("交通・道路/地下鉄・バス", "市営バスの路線と乗り場について"),
        ("公共施設・スポーツ・文化/図書館", "図書館の休館日について"),
        ("", "市のホームページで申請書が見つからない"),
    ],
    Kind.CONSULTATION: [
        ("福祉・介護/介護保険・高齢者福祉", "親の介護について相談できる窓口を知りたい"),
        ("福祉・介護/生活保護・生活の困りごと", "生活費に困っており相談したい"),
        ("子育て・保育/子育ての相談", "子どもの発達について相談したい"),
        ("健康・医療/救急・医療相談", "夜間に子どもが発熱したときの相談先"),
        ("ペット・動物/動物に関する相談", "近所の野良猫への対応について相談"),
    ],
    Kind.REQUEST: [
        ("交通・道路/道路・街路灯", "街路灯が切れているので修理してほしい"),
        ("交通・道路/除雪", "生活道路の除雪を早めてほしい"),
        ("公共施設・スポーツ・文化/公園", "公園の遊具が壊れているので直してほしい"),
        ("ごみ・リサイクル/家庭ごみの分け方・出し方", "ごみステーションのカラス対策をしてほしい"),
        ("交通・道路/地下鉄・バス", "バスの本数を増やしてほしい"),
        ("交通・道路/道路・街路灯", "歩道の段差を直してほしい"),
    ],
    Kind.PROPOSAL: [
        ("公共施設・スポーツ・文化/図書館", "図書館の開館時間を延ばしてはどうかとの提案"),
        ("公共施設・スポーツ・文化/公園", "公園にベンチを増やしてはどうかとの提案"),
        ("ごみ・リサイクル/資源物・その他", "資源回収の品目を増やしてはどうかとの提案"),
        ("交通・道路/敬老パス", "敬老パスの使える範囲を広げてはどうかとの提案"),
        ("", "市の手続きをもっとオンラインでできるようにしてほしいとの提案"),
    ],
    Kind.COMPLAINT: [
        ("ごみ・リサイクル/家庭ごみの分け方・出し方", "ごみが収集されずに残っているとの苦情"),
        ("交通・道路/地下鉄・バス", "バスが時刻どおりに来ないとの苦情"),
        ("交通・道路/除雪", "除雪のあと家の前に雪を残されたとの苦情"),
        ("住民票・戸籍・証明書", "区役所の窓口の待ち時間が長いとの苦情"),
        ("税金/市民税・県民税", "税の通知書がわかりにくいとの苦情"),
        ("国民健康保険/保険料", "保険料が高いとの苦情"),
        ("", "電話がつながりにくいとの苦情"),
        ("公共施設・スポーツ・文化/公園", "公園で夜遅くまで騒ぐ人がいるとの苦情"),
    ],
}
ABANDONED_NOTES = ("無言のため終話", "間違い電話", "つながってすぐに切れた")
# What the centre answered: the first sentence of the Q&A used, or by kind when none was.
RESOLVED_ANSWERS = {
    Kind.QUESTION: "担当窓口と手続きを案内した。",
    Kind.CONSULTATION: "お話を伺い、相談窓口を案内した。",
    Kind.REQUEST: "ご要望を伺い、現在の取り扱いを説明した。",
    Kind.PROPOSAL: "ご提案として承り、市の考え方を説明した。",
    Kind.COMPLAINT: "お詫びし、経緯と今後の対応を説明した。",
}
ESCALATED_ANSWER = "{department}に回答を依頼した。"
TRANSFERRED_ANSWER = "{department}へ転送した。"
SOME_DEPARTMENT = "所管課"  # when the Q&A names none, or no Q&A was used
CALLBACK_ANSWER = "担当課に確認のうえ折り返す。"
