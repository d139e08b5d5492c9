"""Open Referral HSDS 3.1 exchange: JSON serialization, CSV datapackage import and export."""
