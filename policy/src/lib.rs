//! The AWS IAM JSON policy language.
//!
//! This crate does no I/O and never reads the clock: time and the principal reach it only through
//! the request context, so it runs the same on the server and in the browser (wasm32).

pub mod catalog;
#[cfg(feature = "managed-policies")]
pub mod managed;

pub mod json;
pub mod span;
