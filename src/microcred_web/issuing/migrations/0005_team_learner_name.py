"""The learner's name as given at issue, for the provider's issued list (personal data; never
public). Credentials issued before have none: their name is not recovered from the signed
copy."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("issuing", "0004_audit_interface_details"),
    ]

    operations = [
        migrations.AddField(
            model_name="issuedcredentialrecord",
            name="learner_name",
            field=models.CharField(blank=True, default="", max_length=700),
        ),
    ]
