//! Request middleware, outermost first: security headers, the client's address, cross-site
//! refusal, session.

pub mod client;
pub mod headers;
pub mod origin;
pub mod session;
