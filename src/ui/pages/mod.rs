//! One file per route.

pub mod activity;
pub mod addresses;
pub mod buy;
pub mod document_form;
pub mod documents;
pub mod not_found;
pub mod number;
pub mod numbers;
pub mod overview;
pub mod workspace;
