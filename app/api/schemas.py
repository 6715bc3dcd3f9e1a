from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from flask_babel import lazy_gettext
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, post_dump, validate
from werkzeug.datastructures import FileStorage


class AudienceSchema(Schema):
    """A resource as its reader may see it: `hidden` (the feature's access policy) names the
    fields kept from the current user, so the API shows what the page shows them."""

    hidden: ClassVar[Callable[[], frozenset[str]]]

    @post_dump
    def _for_the_reader(self, data: dict, **kwargs) -> dict:
        for name in type(self).hidden():
            data.pop(name, None)
        return data


NAMES_EXAMPLE = {"pl": "Leszno", "en": "Leszno"}


class RegionSchema(Schema):
    slug = fields.String(metadata={"example": "wielkopolskie"})
    teryt = fields.String(
        metadata={"description": "Voivodeship TERYT code (2 digits)", "example": "30"}
    )
    names = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "The name in each language", "example": {"pl": "Wielkopolskie"}},
    )


class TenantSchema(Schema):
    slug = fields.String(metadata={"example": "leszno"})
    names = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "The name in each language", "example": NAMES_EXAMPLE},
    )
    kind = fields.String(
        metadata={
            "description": "city, gmina, county (a powiat) or voivodeship (the self-government "
            "of the voivodeship, its marshal office)",
            "example": "city",
        }
    )
    teryt = fields.String(
        metadata={
            "description": "TERYT (TERC) code, 7 digits; a powiat's (3013000) and a "
            "voivodeship's (3000000) are padded with zeros",
            "example": "3063011",
        }
    )
    population = fields.Integer(allow_none=True, metadata={"example": 61398})
    locale = fields.String(metadata={"example": "pl"})
    timezone = fields.String(metadata={"example": "Europe/Warsaw"})
    region = fields.Nested(RegionSchema)


class PlaceRefSchema(Schema):
    slug = fields.String()
    names = fields.Dict(keys=fields.String(), values=fields.String())


class MembershipSchema(Schema):
    tenant = fields.Nested(PlaceRefSchema)
    role = fields.String()


class RegionalRoleSchema(Schema):
    region = fields.Nested(PlaceRefSchema)
    role = fields.String()


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.Email()
    name = fields.String()
    locale = fields.String(allow_none=True)
    memberships = fields.List(fields.Nested(MembershipSchema))
    regional_roles = fields.List(fields.Nested(RegionalRoleSchema))


class TokenRequestSchema(Schema):
    email = fields.Email(required=True, metadata={"example": "pracownik@leszno.demo"})
    password = fields.String(required=True, load_only=True, metadata={"format": "password"})
    name = fields.String(load_default="API", validate=validate.Length(max=100))


class TokenSchema(Schema):
    token = fields.String()
    token_type = fields.String()


class FileUpload(Upload):
    """A file of a multipart/form-data body (the `multipart` location): text sent under its
    name is refused (422) rather than taken for a file. Its content is checked by the
    feature, as on the pages (app/files.py)."""

    default_error_messages = {"invalid": lazy_gettext("Send a file here, not text.")}

    def _deserialize(self, value, attr, data, **kwargs) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise self.make_error("invalid")
        return value
