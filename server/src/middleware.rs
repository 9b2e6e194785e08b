//! Request middleware, outermost first: security headers, the client's address, cross-site
//! refusal, the server functions' content types, session.

pub mod client;
pub mod content_type;
pub mod headers;
pub mod origin;
pub mod session;
