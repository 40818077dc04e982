"""Two-way job recommendations and targeted pushes (issue 5): pure, in memory, explained in Chinese.

Modules: :mod:`.filters` (hard filters, one named check each), :mod:`.tokens` (tokenisation shared with the
occupation classifier's dictionary), :mod:`.index` (BM25 + columnar hard-filter masks), :mod:`.rank`
(candidates and the explicit score), :mod:`.explanation` and :mod:`.push` (gx38（十七） targeted pushes).

>>> import datetime as dt
>>> from jiuye.jobs.model import Posting, Seeker
>>> index = PostingIndex([Posting("p1", "出纳", "甲公司", region="450103", occupation_code="2-06-03-00")])
>>> seeker = Seeker("s1", titles=("会计",), occupation_codes=("2-06-03-00",), regions=("450100",))
>>> [m.posting.id for m in recommend_jobs(seeker, index, dt.date(2026, 3, 1))]
['p1']
"""

from jiuye.jobs.recommend.explanation import Explanation, ScorePart
from jiuye.jobs.recommend.filters import HARD_FILTERS, Verdict, check_all, passes
from jiuye.jobs.recommend.index import PostingIndex, SeekerIndex
from jiuye.jobs.recommend.push import TARGETED_MAX, TARGETED_MIN, TargetedPush, push_targeted_jobs
from jiuye.jobs.recommend.rank import JobMatch, SeekerMatch, classify_title, recommend_jobs, recommend_seekers

__all__ = [
    "HARD_FILTERS",
    "TARGETED_MAX",
    "TARGETED_MIN",
    "Explanation",
    "JobMatch",
    "PostingIndex",
    "ScorePart",
    "SeekerIndex",
    "SeekerMatch",
    "TargetedPush",
    "Verdict",
    "check_all",
    "classify_title",
    "passes",
    "push_targeted_jobs",
    "recommend_jobs",
    "recommend_seekers",
]
