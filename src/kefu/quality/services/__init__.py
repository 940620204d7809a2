"""Every change in quality inspection goes through one of these functions."""

from kefu.quality.services.calls import LineInput, record_call_transcript  # noqa: F401
from kefu.quality.services.config import ItemInput, save_plan, save_scorecard, update_check_rules  # noqa: F401
from kefu.quality.services.sampling import (  # noqa: F401
    claim_sample,
    harvest_contacts,
    run_sampling,
    sample_month,
)
from kefu.quality.services.scoring import (  # noqa: F401
    CommentInput,
    calibrate,
    create_calibration,
    decide_appeal,
    file_appeal,
    score_contact,
    set_reference,
)
