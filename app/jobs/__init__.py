"""Background work on RQ (Redis): outbox e-mail, reminders, outreach, search index upkeep,
nightly maintenance.

- `tasks.py`: the jobs, by name. Each runs in its own app context, calls the domain's service
  functions and commits. Every job is safe to run twice at once: the outbox claims each message
  (app.notify.claims), reminders claim each row with a guarded UPDATE, and jobs that cannot claim
  row by row (outreach, maintenance, rebuilds) first take a lease on their `job_run` row.
- `runner.py`: the queue (REDIS_URL; empty = no queue) and `enqueue`, which never raises: when
  Redis is down the work waits in the database (outbox rows, due reminders) or on disk (the
  search queue) for the next run.
- `hooks.py`: after a commit that queued e-mail, a job to send it.
- `schedule.py`: the periodic jobs for `flask jobs scheduler` (RQ's cron scheduler).
- `cli.py`: `flask jobs worker | scheduler | run NAME | status`.
"""
