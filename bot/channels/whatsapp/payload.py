"""Pydantic models of the Cloud API ``messages`` webhook, as Meta sends it.

Shape: ``{"object": "whatsapp_business_account", "entry": [{"changes": [{"field":
"messages", "value": {"metadata", "contacts", "messages", "statuses", "errors"}}]}]}``.
Only what the bot uses is modelled; unknown fields are ignored and every
message part is optional, so a new message type Meta adds tomorrow parses as
"unsupported" instead of failing the whole delivery. Contact names are not
modelled at all: the bot has no use for them and must never log them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Text(_Model):
    body: str = ""


class Reply(_Model):
    """A tapped reply button or list row: ``id`` is the id the bot gave it."""

    id: str
    title: str = ""


class Interactive(_Model):
    type: str
    button_reply: Reply | None = None
    list_reply: Reply | None = None


class TemplateButton(_Model):
    """A quick-reply button of a template message (type ``button``)."""

    text: str = ""
    payload: str | None = None


class Reaction(_Model):
    message_id: str | None = None
    emoji: str | None = None  # absent when the person removes a reaction


class Location(_Model):
    latitude: float | None = None
    longitude: float | None = None


class MediaRef(_Model):
    """An audio (or other media) part of a message: the media id the Graph API knows it by."""

    id: str | None = None
    mime_type: str | None = None


class Message(_Model):
    """One message from a person. ``from`` is their phone number: memory only."""

    id: str
    from_: str | None = Field(default=None, alias="from")
    timestamp: int | None = None
    type: str = "unknown"
    text: Text | None = None
    interactive: Interactive | None = None
    button: TemplateButton | None = None
    reaction: Reaction | None = None
    location: Location | None = None
    audio: MediaRef | None = None
    """A voice note or audio file: its media id, kept (sealed) when it goes into a case."""
    system: dict[str, object] | None = None
    """A notice WhatsApp writes (the person changed number...): nobody said anything."""
    revoke: dict[str, object] | None = None
    edit: dict[str, object] | None = None


class Status(_Model):
    """A delivery receipt for a message the bot sent (sent, delivered, read, failed)."""

    id: str
    status: str
    errors: list[ErrorInfo] = Field(default_factory=list)


class ErrorInfo(_Model):
    code: int | None = None
    title: str | None = None


class Metadata(_Model):
    phone_number_id: str | None = None


class Value(_Model):
    messaging_product: str | None = None
    metadata: Metadata | None = None
    messages: list[Message] = Field(default_factory=list)
    statuses: list[Status] = Field(default_factory=list)
    errors: list[ErrorInfo] = Field(default_factory=list)


class Change(_Model):
    field: str = "messages"
    value: Value = Field(default_factory=Value)


class Entry(_Model):
    id: str | None = None
    changes: list[Change] = Field(default_factory=list)


class Notification(_Model):
    """The whole body of one webhook POST."""

    object: str = "whatsapp_business_account"
    entry: list[Entry] = Field(default_factory=list)


Status.model_rebuild()
