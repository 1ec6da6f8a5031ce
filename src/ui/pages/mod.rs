//! One file per route.

pub mod activity;
pub mod addresses;
pub mod buy;
pub mod documents;
pub mod not_found;
pub mod numbers;
pub mod overview;
