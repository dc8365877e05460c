from django.db import models


class LocalArea(models.Model):
    """An English local authority that holds (or held) SEND duties.

    Rows come from the project's own register table (areas/data/), built from
    mySociety's register and data-to-insight's Ofsted lookup.
    """

    class AuthorityType(models.TextChoices):
        COUNTY = "county", "County council"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN = "metropolitan", "Metropolitan borough"
        LONDON = "london", "London borough"
        OTHER = "other", "Other"

    class Region(models.TextChoices):
        # England's nine regions (ONS): a fixed set, so forms validate a region without reading the table. Each
        # label is the region's full name, as the dashboard and the analysis pages print it: a label derived from
        # the member's name ("Yorkshire", "East") made the lists' filters speak of regions the dashboard did not.
        NORTH_EAST = "North East", "North East"
        NORTH_WEST = "North West", "North West"
        YORKSHIRE = "Yorkshire and The Humber", "Yorkshire and The Humber"
        EAST_MIDLANDS = "East Midlands", "East Midlands"
        WEST_MIDLANDS = "West Midlands", "West Midlands"
        EAST = "East of England", "East of England"
        LONDON = "London", "London"
        SOUTH_EAST = "South East", "South East"
        SOUTH_WEST = "South West", "South West"

    register_code = models.CharField(
        max_length=8, unique=True, help_text="mySociety register code (e.g. HPL)."
    )
    name = models.CharField(max_length=200)
    official_name = models.CharField(max_length=255, blank=True)
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    dfe_la_code = models.CharField("DfE LA code", max_length=3, blank=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    region = models.CharField(max_length=64, blank=True, choices=Region.choices)
    authority_type = models.CharField(max_length=16, choices=AuthorityType.choices)
    alt_names = models.JSONField(default=list, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    replaced_by = models.ManyToManyField(
        "self", symmetrical=False, related_name="replaced", blank=True
    )
    stat_neighbours = models.JSONField(
        default=list, blank=True, help_text="GSS codes of DfE statistical neighbours, closest first."
    )
    population_0_25 = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        # name: every list sorts by area name (areas, weaknesses, inspections); with the index PostgreSQL reads
        # the first page in name order instead of joining and sorting every row (33 ms -> 2 ms at 10x).
        indexes = [models.Index(fields=["region"]), models.Index(fields=["authority_type"]),
                   models.Index(fields=["name"], name="localarea_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.end_date is None
