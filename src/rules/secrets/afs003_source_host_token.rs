//! AFS003 source-host-token: the detector is in `crate::secrets`.

detector_rule!(Afs003, "AFS003");
