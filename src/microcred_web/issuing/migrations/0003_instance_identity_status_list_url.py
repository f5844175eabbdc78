"""The instance's recorded identity, and each status list's own address.

For a database that already issued, both are taken from what was signed: each list's address
from a credential that names it, the instance's identity from the first credential issued (the
address its first lists were opened under). A database with keys but no credential records the
identity the settings give now; an empty one records nothing (the first key will).
"""

from urllib.parse import urlsplit

from django.db import migrations, models


def _status_urls(credential):
    status = credential.get("credentialStatus") if isinstance(credential, dict) else None
    entries = status if isinstance(status, list) else [status]
    return [
        entry["statusListCredential"]
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("statusListCredential"), str)
    ]


def forwards(apps, schema_editor):
    from microcred_web.issuing.identity import configured

    identities = apps.get_model("issuing", "InstanceIdentity")
    issued = apps.get_model("issuing", "IssuedCredentialRecord")
    lists = apps.get_model("issuing", "StatusListRecord")
    keys = apps.get_model("issuing", "ProviderKey")

    first = issued.objects.order_by("issued_at", "pk").first()
    base = None
    if first is not None:
        for url in _status_urls(first.credential):
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc:
                base = (parts.netloc, parts.scheme)
                break
    if base is None and (first is not None or keys.objects.exists()):
        now = configured()
        base = (now.host, now.scheme)
    if base is not None:
        identities.objects.get_or_create(singleton=1, defaults={"host": base[0], "scheme": base[1]})

    for status_list in lists.objects.select_related("provider").filter(url=""):
        path = f"/status/{status_list.provider.slug}/{status_list.purpose}/{status_list.number}"
        url = None
        for field in ("revocation", "suspension"):
            record = (
                issued.objects.filter(**{f"{field}__status_list": status_list})
                .order_by("issued_at", "pk")
                .first()
            )
            if record is not None:
                url = next((u for u in _status_urls(record.credential) if u.endswith(path)), None)
            if url:
                break
        if url is None and base is not None:
            url = f"{base[1]}://{base[0]}{path}"
        if url:
            status_list.url = url
            status_list.save(update_fields=["url"])


class Migration(migrations.Migration):
    dependencies = [
        ("issuing", "0002_key_fingerprint"),
    ]

    operations = [
        migrations.AddField(
            model_name="statuslistrecord",
            name="url",
            field=models.CharField(default="", max_length=500),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="InstanceIdentity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "singleton",
                    models.PositiveSmallIntegerField(default=1, editable=False, unique=True),
                ),
                ("host", models.CharField(max_length=255)),
                ("scheme", models.CharField(max_length=5)),
                ("recorded", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("singleton", 1)), name="one_instance_identity"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("scheme__in", ["http", "https"])),
                        name="identity_scheme_http_s",
                    ),
                ],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
