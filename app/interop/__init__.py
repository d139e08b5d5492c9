"""Open Referral HSDS 3.0 exchange: JSON serialization, CSV datapackage import and export."""
