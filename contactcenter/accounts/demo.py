"""Demo departments and one login for every role, for `manage.py load_demo_data`."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from contactcenter.accounts.models import Department, User
from contactcenter.accounts.roles import Role

DEMO_PASSWORD = "demo-2026-callcenter"  # noqa: S105 (published on purpose: demo only)

DEPARTMENTS = [
    # code, Japanese, English, Chinese, Korean, phone, e-mail
    (
        "koseki",
        "区役所戸籍住民課",
        "Ward Office Family Register and Residents Division",
        "区役所户籍居民科",
        "구청 호적주민과",
        "011-000-2000",
        "koseki@city.example.jp",
    ),
    (
        "gomi",
        "環境局ごみ減量推進課",
        "Waste Reduction Division, Environment Bureau",
        "环境局垃圾减量推进科",
        "환경국 쓰레기감량추진과",
        "011-000-5000",
        "gomi@city.example.jp",
    ),
    (
        "hoken-nenkin",
        "保健福祉局保険年金課",
        "Health Insurance and Pension Division, Health and Welfare Bureau",
        "保健福利局保险年金科",
        "보건복지국 보험연금과",
        "011-000-2301",
        "hoken-nenkin@city.example.jp",
    ),
    (
        "fukushi",
        "保健福祉局福祉推進課",
        "Welfare Promotion Division, Health and Welfare Bureau",
        "保健福利局福利推进科",
        "보건복지국 복지추진과",
        "011-000-2302",
        "fukushi@city.example.jp",
    ),
    (
        "kenko",
        "保健福祉局保健所",
        "Public Health Center, Health and Welfare Bureau",
        "保健福利局保健所",
        "보건복지국 보건소",
        "011-000-4000",
        "kenko@city.example.jp",
    ),
    (
        "kodomo",
        "子ども未来局子育て支援課",
        "Child Rearing Support Division, Children's Future Bureau",
        "儿童未来局育儿支援科",
        "어린이미래국 육아지원과",
        "011-000-2401",
        "kodomo@city.example.jp",
    ),
    (
        "zeisei",
        "財政局税政部",
        "Tax Department, Finance Bureau",
        "财政局税务部",
        "재정국 세정부",
        "011-000-2501",
        "zeisei@city.example.jp",
    ),
    (
        "bunka",
        "市民文化局",
        "Citizens and Culture Bureau",
        "市民文化局",
        "시민문화국",
        "011-000-2601",
        "bunka@city.example.jp",
    ),
    ("kotsu", "交通局", "Transportation Bureau", "交通局", "교통국", "011-000-2701", "kotsu@city.example.jp"),
    (
        "kiki",
        "危機管理局",
        "Crisis Management Bureau",
        "危机管理局",
        "위기관리국",
        "011-000-8000",
        "kiki@city.example.jp",
    ),
    (
        "kensetsu",
        "建設局",
        "Construction Bureau",
        "建设局",
        "건설국",
        "011-000-2901",
        "kensetsu@city.example.jp",
    ),
    ("suido", "水道局", "Waterworks Bureau", "水道局", "수도국", "011-000-3001", "suido@city.example.jp"),
    (
        "kyoiku",
        "教育委員会学校教育課",
        "School Education Division, Board of Education",
        "教育委员会学校教育科",
        "교육위원회 학교교육과",
        "011-000-3101",
        "kyoiku@city.example.jp",
    ),
    (
        "jutaku",
        "都市局市営住宅課",
        "Municipal Housing Division, Urban Planning Bureau",
        "城市局市营住宅科",
        "도시국 시영주택과",
        "011-000-3201",
        "jutaku@city.example.jp",
    ),
    (
        "shobo",
        "消防局予防課",
        "Fire Prevention Division, Fire Bureau",
        "消防局预防科",
        "소방국 예방과",
        "011-000-3301",
        "shobo@city.example.jp",
    ),
    (
        "keizai",
        "経済観光局",
        "Economy and Tourism Bureau",
        "经济观光局",
        "경제관광국",
        "011-000-3401",
        "keizai@city.example.jp",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    role: Role
    department_code: str | None = None
    is_staff: bool = False


DEMO_LOGINS = [
    DemoLogin("operator", "山田 花子（オペレーター）", Role.OPERATOR),
    DemoLogin("leader", "佐藤 健（リーダー）", Role.LEADER),
    DemoLogin("supervisor", "鈴木 一郎（スーパーバイザー）", Role.SUPERVISOR),
    DemoLogin("editor-gomi", "高橋 美咲（ごみ減量推進課）", Role.DEPARTMENT_EDITOR, "gomi"),
    DemoLogin("editor-koseki", "田中 誠（戸籍住民課）", Role.DEPARTMENT_EDITOR, "koseki"),
    DemoLogin("admin", "伊藤 直子（システム管理者）", Role.ADMINISTRATOR, is_staff=True),
]

# The rest of the centre's floor, who take the demo inquiries with "operator" and "leader":
# eight operators and two leaders in all.
DEMO_TEAM = [
    DemoLogin("operator2", "中村 由美（オペレーター）", Role.OPERATOR),
    DemoLogin("operator3", "小林 大輔（オペレーター）", Role.OPERATOR),
    DemoLogin("operator4", "加藤 恵（オペレーター）", Role.OPERATOR),
    DemoLogin("operator5", "吉田 翔（オペレーター）", Role.OPERATOR),
    DemoLogin("operator6", "山口 真理（オペレーター）", Role.OPERATOR),
    DemoLogin("operator7", "松本 陽子（オペレーター）", Role.OPERATOR),
    DemoLogin("operator8", "井上 拓也（オペレーター）", Role.OPERATOR),
    DemoLogin("leader2", "木村 彩（リーダー）", Role.LEADER),
]


@transaction.atomic
def load_demo_accounts() -> list[DemoLogin]:
    """Add the demo departments and logins that are missing; what was changed in the product
    (a department's phone number, a login's password or roles) stays as it is."""
    for code, name, name_en, name_zh, name_ko, phone, email in DEPARTMENTS:
        Department.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "name_zh_hans": name_zh,
                "name_ko": name_ko,
                "phone": phone,
                "email": email,
            },
        )
    # One hash for every new demo login: hashing is slow on purpose, and this password is public.
    password = None
    for login in [*DEMO_LOGINS, *DEMO_TEAM]:
        user, created = User.objects.get_or_create(
            username=login.username,
            defaults={
                "display_name": login.display_name,
                "department": Department.objects.filter(code=login.department_code).first(),
                "is_staff": login.is_staff,
                "is_active": True,
            },
        )
        if created:
            password = password or make_password(DEMO_PASSWORD)
            user.password = password
            user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=login.role.value)])
    return DEMO_LOGINS


def demo_floor(role: Role) -> list[User]:
    """The demo logins of the centre's floor holding `role` (operators or leaders), by username."""
    names = [login.username for login in [*DEMO_LOGINS, *DEMO_TEAM] if login.role == role]
    return list(User.objects.filter(username__in=names, groups__name=role.value).order_by("username"))
