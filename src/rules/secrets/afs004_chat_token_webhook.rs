//! AFS004 chat-token-webhook: the detector is in `crate::secrets`.

detector_rule!(Afs004, "AFS004");
