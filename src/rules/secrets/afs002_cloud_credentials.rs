//! AFS002 cloud-credentials: the detector is in `crate::secrets`.

detector_rule!(Afs002, "AFS002");
