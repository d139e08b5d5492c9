"""Flask-WTF forms for the referral pages: clients, team, consent, referrals and their steps."""
