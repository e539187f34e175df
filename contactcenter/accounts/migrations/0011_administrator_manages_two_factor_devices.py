from django.db import migrations

from contactcenter.accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    # Administrators register factory-seeded hardware tokens and remove lost ones.
    grant_permissions(
        apps,
        schema_editor,
        {
            Role.ADMINISTRATOR: [
                "otp_totp.add_totpdevice",
                "otp_totp.change_totpdevice",
                "otp_totp.delete_totpdevice",
                "otp_totp.view_totpdevice",
            ]
        },
    )


grant.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_user_must_change_password"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
