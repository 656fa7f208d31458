//! placeholder
pub mod read;
