//! Widgets shared by several pages.

pub mod form;
pub mod layout;
pub mod policy_editor;
