//! Request middleware, outermost first: security headers, cross-site refusal, session.

pub mod headers;
pub mod origin;
pub mod session;
