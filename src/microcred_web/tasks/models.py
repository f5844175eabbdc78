"""A job as its starter sees it: what, for whom, how far, with what result.

The task library (django-tasks' database backend, ``docs/decisions/0017-background-tasks.md``)
keeps the queue: one ``DBTaskResult`` row per run, claimed by a worker. It knows nothing of
learners, rows or providers, so the progress and the report live here, one :class:`Job` per
piece of work, written by the task as it goes. The uploaded CSV of a bulk issue is kept apart
(:class:`JobInput`) and deleted when the job has finished: it holds learners' names and
identifiers, which the register keeps no longer than the work needs.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    BULK_ISSUE = "bulk-issue", _("Bulk issue")
    REINDEX = "reindex", _("Search reindex")
    PUBLISH_STATUS_LISTS = "publish-status-lists", _("Status list publication")
    IMPORT = "import", _("Import")
    REFRESH_STANDING = "refresh-standing", _("QA standing refresh")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=32, choices=JobKind.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    #: Kept when the account is deleted, as the audit log keeps it.
    started_by_name = models.CharField(max_length=150, blank=True, default="")
    provider = models.ForeignKey(
        "register.Provider", null=True, blank=True, on_delete=models.CASCADE
    )
    specification = models.ForeignKey(
        "register.Specification", null=True, blank=True, on_delete=models.CASCADE
    )
    #: The door it came through (``page``, ``api``, ``cli``): its writes are audited as such.
    interface = models.CharField(max_length=8, default="cli")
    #: What the task needs besides the records above (the cryptosuite, a file name).
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    existing = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    #: ``[{"line": n, "message": "..."}]``, the first :data:`~.work.MAX_ERRORS` of them.
    errors = models.JSONField(default=list, blank=True)
    #: One sentence for the whole job: why it failed, or what it did.
    message = models.TextField(blank=True, default="")
    #: Runs of the task: more than one when a worker stopped and another resumed it.
    attempts = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: Written at each progress report: a running job whose worker has gone quiet is stale.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    #: A scheduled job's slot (``refresh-standing:2026-12-04``): unique, so two workers that
    #: both find the day's job missing queue it once (the second insert fails).
    schedule_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["started_by", "-created"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class JobInput(models.Model):
    """The uploaded file of a job, until the job has finished."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="input")
    text = models.TextField()


class JobReportRow(models.Model):
    """One row of a background import's report, as the synchronous import reports it.

    Written in the same transaction as the row's own write (``importing.import_bytes``'s
    ``on_row``), so a worker killed at any moment leaves a report row for exactly the rows
    committed: the resumed run skips those (their first outcome, ``created``, is kept rather
    than the ``unchanged`` a second pass would find) and does the rest.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="report_rows")
    #: The row's place in the file, from 1 (the order of the report).
    position = models.PositiveIntegerField()
    row = models.TextField()
    key = models.TextField(blank=True, default="")
    outcome = models.CharField(max_length=16)
    public_id = models.CharField(max_length=64, blank=True, default="")
    findings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="tasks_report_row_once")
        ]

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "key": self.key,
            "outcome": self.outcome,
            "public_id": self.public_id or None,
            "findings": self.findings,
        }
