"""Release plans: one plan per person, the checklist of what must be arranged before release.

A package of its own, not a corner of referrals/: the plan is the spine of the counselor's work
(what is still missing, by when, who owns it), and referrals and discharge cards serve plan items
rather than the other way round. This package may import referrals' models and services; the
referrals package does not import plans' routes.
"""
