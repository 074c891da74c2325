//! AFS007 high-entropy-secret: the detector is in `crate::secrets`.

detector_rule!(Afs007, "AFS007");
