//! AFS001 private-key: the detector is in `crate::secrets`.

detector_rule!(Afs001, "AFS001");
