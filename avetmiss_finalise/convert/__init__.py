"""NAT ⇄ CSV, byte-exact both ways: the library behind ``avetmiss-finalise convert``.

An SMS or a pipeline converts in Python exactly as the command does::

    from avetmiss_finalise import read_collection
    from avetmiss_finalise.convert import collection_to_csv, csv_to_nat

    collection_to_csv(read_collection("submission/"), Path("csv/"))       # NAT000nn.csv + _nat_meta.json
    csv_to_nat(Path("csv/"), Path("nat/"))                                # the same NAT bytes back

Both write all or nothing (:func:`avetmiss_finalise.staging.write_files`). :func:`csv_to_nat` raises
``WriteError`` with every problem located by CSV cell and writes nothing when a value would be lost or changed.
"""

from avetmiss_finalise.convert.from_csv import csv_file_id, csv_to_nat, is_csv_source
from avetmiss_finalise.convert.sidecar import META_NAME
from avetmiss_finalise.convert.to_csv import collection_to_csv

__all__ = ["META_NAME", "collection_to_csv", "csv_file_id", "csv_to_nat", "is_csv_source"]
