"""The verification page's form: paste a credential or upload its file (one of the two); a
``VerifiablePresentation`` is accepted too, with the challenge and domain the verifier gave."""

from __future__ import annotations

from typing import Any

from django import forms

from microcred_web.verification import presentations, services

TOO_LARGE = "too-large"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label="Paste the credential (JSON)",
        required=False,
        strip=True,
        widget=forms.Textarea(
            attrs={"rows": 12, "spellcheck": "false", "autocomplete": "off", "class": "code"}
        ),
    )
    file = forms.FileField(label="Or upload the credential file (.json)", required=False)
    #: For a presentation: what the verifier (you) gave the holder. Optional: without them the
    #: result says the challenge / domain could not be checked.
    challenge = forms.CharField(label="Challenge you gave", required=False, max_length=512)
    domain = forms.CharField(label="Your domain", required=False, max_length=512)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > services.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {_size(upload.size)}; the largest credential accepted is "
                f"{_size(services.MAX_BYTES)}.",
                code=TOO_LARGE,
            )
        return upload

    def clean_credential(self) -> str:
        text: str = self.cleaned_data.get("credential") or ""
        if len(text.encode("utf-8")) > services.MAX_BYTES:
            raise forms.ValidationError(
                f"The pasted text is larger than {_size(services.MAX_BYTES)}, the largest "
                "credential accepted.",
                code=TOO_LARGE,
            )
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        text, upload = data.get("credential"), data.get("file")
        if text and upload is not None:
            raise forms.ValidationError("Paste the credential or upload a file, not both.")
        if not text and upload is None:
            raise forms.ValidationError("Paste a credential or choose a file to upload.")
        raw = upload.read() if upload is not None else (text or "").encode("utf-8")
        what = "the uploaded file" if upload is not None else "the pasted text"
        try:
            value = services.parse_json(raw, what)
            presentation = presentations.presentation_in(value)
            if presentation is not None:
                data["presentation"] = presentation
            else:
                data["parsed"] = services.credential_from_json(value)
        except services.InputError as error:
            field = "file" if upload is not None else "credential"
            code = TOO_LARGE if error.status == 413 else error.code
            self.add_error(field, forms.ValidationError(error.message, code=code))
        return data

    @property
    def too_large(self) -> bool:
        """Whether what was sent is over the size limit (the page then answers 413)."""
        return any(self.has_error(field, TOO_LARGE) for field in ("credential", "file"))
