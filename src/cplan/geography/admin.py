from django.contrib import admin

from cplan.geography.models import (
    Area,
    AreaCodeAlias,
    Boundary,
    Deprivation,
    DeprivationEdition,
    Locality,
    Population,
    Typology,
    TypologyMembership,
)


class AreaCodeAliasInline(admin.TabularInline[AreaCodeAlias, Area]):
    model = AreaCodeAlias
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ("code", "name", "level", "parent", "council_area")
    list_filter = ("level",)
    search_fields = ("code", "name", "aliases__code")
    raw_id_fields = ("parent", "council_area", "health_board", "ward")
    inlines = [AreaCodeAliasInline]


@admin.register(AreaCodeAlias)
class AreaCodeAliasAdmin(admin.ModelAdmin[AreaCodeAlias]):
    list_display = ("code", "area", "note")
    search_fields = ("code", "area__code", "area__name")
    raw_id_fields = ("area",)


@admin.register(DeprivationEdition)
class DeprivationEditionAdmin(admin.ModelAdmin[DeprivationEdition]):
    list_display = ("code", "name", "published", "population_year", "is_current")


@admin.register(Deprivation)
class DeprivationAdmin(admin.ModelAdmin[Deprivation]):
    list_display = ("area", "edition", "rank", "quintile", "decile", "local_quintile", "population")
    list_filter = ("edition", "quintile")
    search_fields = ("area__code", "area__name")
    raw_id_fields = ("area",)


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin[Population]):
    list_display = ("area", "year", "count", "source")
    list_filter = ("year",)
    search_fields = ("area__code", "area__name")
    raw_id_fields = ("area",)


@admin.register(Typology)
class TypologyAdmin(admin.ModelAdmin[Typology]):
    list_display = ("code", "name", "source")


@admin.register(TypologyMembership)
class TypologyMembershipAdmin(admin.ModelAdmin[TypologyMembership]):
    list_display = ("area", "typology", "group_number", "group_name")
    list_filter = ("typology",)
    search_fields = ("area__code", "area__name", "group_name")
    raw_id_fields = ("area",)


@admin.register(Boundary)
class BoundaryAdmin(admin.ModelAdmin[Boundary]):
    list_display = ("area", "source")
    raw_id_fields = ("area",)
    exclude = ("geometry",)


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin[Locality]):
    list_display = ("name", "partnership", "updated_at")
    list_filter = ("partnership",)
    search_fields = ("name",)
    filter_horizontal = ("areas",)
