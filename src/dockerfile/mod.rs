//! Dockerfile lexer and parser following BuildKit's grammar. (Being written.)

#[derive(Clone, Debug, Default)]
pub struct Dockerfile {}

pub fn parse(_text: &str) -> Dockerfile {
    Dockerfile {}
}
