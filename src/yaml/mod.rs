//! The YAML layer: saphyr-parser events loaded into a small arena tree that
//! keeps exact spans, every duplicate key, aliases as nodes, and resolves
//! scalars the way Kubernetes does (YAML 1.1 booleans).

mod loader;
mod tree;

pub use loader::{MAX_DEPTH, parse};
pub use tree::*;
