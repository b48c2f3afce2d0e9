"""Queensland (DETConnect) rules from the census of public rules (public_avs_rules.md): QLD-DUP-ACHIEVED.

Rows are compared with each other per learner, so a chunked run must keep every record of a client in one chunk
(:data:`~.keysets.CLIENT_PARTITIONED`).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation._fieldcheck import ACT, is_in
from avetmiss_finalise.validation.keysets import first_rows, frame_codes, repeated
from avetmiss_finalise.validation.registry import Context, Hit, not_implemented, rule
from avetmiss_finalise.validation.rules_crossfile import activity_overlap, activity_unique

__all__: list[str] = []

#: Outcomes that claim the unit (competency achieved, RPL granted) in the QLD rule.
ACHIEVED = frozenset({"20", "51"})


@rule(
    "QLD-DUP-ACHIEVED",
    severity=Severity.ERROR,
    title="QLD: a unit reported again for a learner who already has it achieved (20) or RPL granted (51)",
    message=(
        "Duplicate activity: the same training organisation, learner and subject appear on another NAT00120 record "
        "and one of them has outcome 20 or 51, even without overlapping dates"
    ),
    source=(
        "public_avs_rules.md C049 (STA-QLD duplicate activity). QLD keys on the USI (client id when the "
        "USI is blank, INTOFF or INDIV); we key on the client identifier, as X-11 does (docs/validation.md). Rows "
        "X-11 (overlap) or X-12 (exact duplicate) already report are left to them"
    ),
    family="qld",
    fix=(
        "Report the unit once for the learner: delete the extra enrolment in the SMS, or, for a genuine re-attempt "
        "after a fail, keep only the attempt that Queensland funds and ask DETConnect how to report the other."
    ),
    files=(ACT,),
    fields=("training_organisation_id", "client_id", "subject_id", "outcome_national"),
    profiles=("qld",),
)
def duplicate_achieved(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None or not len(df):
        return
    codes = frame_codes(ctx, ACT, ("training_organisation_id", "client_id", "subject_id"))
    shared = repeated(codes)
    if not shared.any():
        return
    achieved = is_in(df["outcome_national"], ACHIEVED) & shared
    groups = np.unique(codes[achieved])
    in_group = shared & np.isin(codes, groups)
    first = first_rows(codes)
    positions = np.arange(len(df))
    later = in_group & (first[np.where(codes >= 0, codes, 0)] != positions)
    taken: set[int] = set()
    for hit in (*activity_overlap(ctx), *activity_unique(ctx)):
        taken.update(int(r) for r in hit.rows)
    later &= ~df.index.isin(list(taken))
    if not later.any():
        return
    first_line = pd.Series(df.index.to_numpy()[first[codes[later]]] + 1, dtype="Int64").astype("string[pyarrow]")
    yield Hit(
        file_id=ACT,
        rows=df.index[later],
        field="subject_id",
        details="same organisation, learner and subject as line " + first_line,
    )


not_implemented(
    "QLD-PROGRAM-AUDIT",
    severity=Severity.ERROR,
    title="QLD: a completed program reports as many competencies as the training package requires",
    source="public_avs_rules.md C050 (STA-QLD DQ_ProgramAudit)",
    family="qld",
    fix=(
        "Report in NAT00120 every unit the learner completed for the qualification (core and electives, credit "
        "transfers as 60) before reporting its NAT00130 completion."
    ),
    files=("NAT00130", ACT),
    reason=(
        "needs the training package's packaging rules (how many core and elective units a qualification needs), "
        "which neither the NAT files nor the training.gov.au lists loaded by --reference hold"
    ),
)

not_implemented(
    "QLD-MULTIPLE-CLAIM",
    severity=Severity.ERROR,
    title="QLD: a unit already completed or claimed is not claimed again, and a claimed record is not changed",
    source="public_avs_rules.md C055 (STA-QLD multiple claim)",
    family="qld",
    fix=(
        "Check the learner's claim history in DETConnect before reporting the unit again; correct a claimed record "
        "through the department rather than by changing it in the export."
    ),
    files=(ACT,),
    reason="needs the department's history of claims made in earlier submissions, which is not in the NAT files",
)
