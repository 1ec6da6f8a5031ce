//! One file per route, and a file for a part of a page that would make its file hard to read.

pub mod activity;
pub mod addresses;
pub mod buy;
pub mod document;
pub mod document_form;
pub mod document_view;
pub mod documents;
pub mod not_found;
pub mod number;
pub mod numbers;
pub mod overview;
pub mod plan;
pub mod search;
pub mod team;
pub mod workspace;
