"""Text messages to the person: consent, an SMS outbox sent by a job, Twilio, keywords."""
