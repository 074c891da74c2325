//! AFS006 uri-credentials: the detector is in `crate::secrets`.

detector_rule!(Afs006, "AFS006");
