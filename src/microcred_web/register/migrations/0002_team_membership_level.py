"""Provider roles: editor, issuer, admin. Every existing provider membership becomes admin
(the default): provider staff keep everything they could do before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="level",
            field=models.CharField(
                choices=[
                    ("editor", "Editor (specifications)"),
                    ("issuer", "Issuer (credentials)"),
                    ("admin", "Admin (specifications, credentials and the team)"),
                ],
                default="admin",
                max_length=8,
            ),
        ),
    ]
