"""No table escapes the second wall unnoticed: every table of the models' metadata either
has row-level security forced with policies, or is named below with the reason it has none.
A new table fails this test until it is put behind the wall or explained."""

from __future__ import annotations

from sqlalchemy import text

from app.extensions import Model, db

# Global by design: identities and definitions every tenant shares, holding no city's data.
GLOBAL_TABLES = {
    "tenants": "the cities themselves, defined as code in tenants/",
    "regions": "the voivodeships, defined as code in tenants/",
    "users": "one identity across cities (DESIGN.md: global identities)",
    "organisations": "one NGO identity across cities",
    "organisation_areas": "the NGO's own areas of public benefit",
    "organisation_members": "who acts for an NGO, the same in every city",
    "organisation_invitations": "an NGO's invitation of its own people",
    "organisation_claims": "a person's request to act for an NGO, read by the person and the "
    "NGO's representatives; a city's decision of it is its own walled claim_reviews",
    "regional_assignments": "a coordinator's region, not a city's",
    "standards_projects": "a region's project, public knowledge",
    "standardisation_groups": "a region's project, public knowledge",
    "thematic_blocks": "a region's project, public knowledge",
    "standards": "a region's project, public knowledge",
    "standard_target_changes": "the record of a region's target dates, per region's project",
    "cross_tenant_reads": "the record of regional reads, append-only, per region",
    "operator_log": "the platform operator's acts on whole cities and on people's data, "
    "append-only; kept when a city's own log goes with the city",
}


def test_every_table_is_walled_or_explained(app_context):
    walled = set(
        db.session.scalars(
            text(
                "SELECT c.relname FROM pg_class c WHERE c.relrowsecurity "
                "AND c.relforcerowsecurity AND EXISTS "
                "(SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname)"
            )
        )
    )
    tables = {table.name for table in Model.metadata.sorted_tables}
    unexplained = tables - walled - set(GLOBAL_TABLES)
    assert not unexplained, f"behind no row-level security and not explained: {unexplained}"
    assert not walled & set(GLOBAL_TABLES), "explained needlessly"
