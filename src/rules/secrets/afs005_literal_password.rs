//! AFS005 literal-password: the detector is in `crate::secrets`.

detector_rule!(Afs005, "AFS005");
