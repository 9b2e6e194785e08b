//! One module per page.

pub mod change_password;
pub mod dashboard;
pub mod events;
pub mod groups;
pub mod not_found;
pub mod policies;
pub mod settings;
pub mod setup;
pub mod signin;
pub mod users;
