//! Widgets shared by several pages.

pub mod access_advisor;
pub mod checkbox_picker;
pub mod datetime;
pub mod denied;
pub mod form;
pub mod layout;
pub mod policy_editor;
pub mod tags;
