"""Field types shared by the schemas: money, strict integers, and text people will read."""

from __future__ import annotations

import unicodedata

from marshmallow import ValidationError, fields, validate

MAX_MONEY = 10**12


class StrictInteger(fields.Integer):
    """A JSON integer: no strings, no floats, no booleans."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class Paise(StrictInteger):
    """Money: a JSON integer of paise."""

    def __init__(self, *, minimum: int = 1, maximum: int = MAX_MONEY, **kwargs):
        super().__init__(validate=validate.Range(minimum, maximum), **kwargs)
        self.metadata.setdefault("description", f"Integer paise, {minimum} to {maximum}")


# Characters that print nothing: controls (Cc), format characters such as zero-width spaces
# and bidirectional overrides (Cf), and unassigned or private code points.
_INVISIBLE = {"Cc", "Cf", "Cn", "Co", "Cs"}


class Text(fields.String):
    """A string people will read: valid Unicode (no lone surrogates), no NUL, no control or
    invisible formatting characters (kept: newlines and tabs where `multiline`), surrounding
    spaces dropped, and (with `visible`) at least one character that shows."""

    def __init__(
        self, *, strip: bool = True, visible: bool = False, multiline: bool = False, **kwargs
    ):
        super().__init__(**kwargs)
        self.strip = strip
        self.visible = visible
        self.multiline = multiline

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("Must be valid Unicode text.") from None
        if "\x00" in text:
            raise ValidationError("Must not contain NUL characters.")
        if self.strip:
            kept = "\n\t" if self.multiline else ""
            text = "".join(
                ch for ch in text if ch in kept or unicodedata.category(ch) not in _INVISIBLE
            ).strip()
        if self.visible and not any(not ch.isspace() for ch in text):
            raise ValidationError("Must contain at least one visible character.")
        return text


class Secret(Text):
    """A password: valid Unicode, kept exactly as typed."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, load_only=True, **kwargs)


class StrictBoolean(fields.Boolean):
    """A JSON true or false, nothing that merely looks like one."""

    def __init__(self, **kwargs):
        super().__init__(truthy={True}, falsy={False}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):  # 1 == True, so the sets above let 1 and 0 through
            raise self.make_error("invalid", input=value)
        return value
