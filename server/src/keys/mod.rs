//! SSH public keys: reading what people paste.

pub mod parse;
