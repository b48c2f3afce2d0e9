"""avetmiss-finalise: finalise AVETMISS 8.0 enrolments and read, write and validate NAT collections offline."""

__version__ = "0.1.0"
