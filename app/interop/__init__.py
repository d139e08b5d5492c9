"""Open Referral HSDS 3.0 exchange: JSON serialisation, CSV datapackage import and export."""
