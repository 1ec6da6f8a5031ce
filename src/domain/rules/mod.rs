//! Rules: what regulations ask for and how records are judged against them (the catalog, requirement checks, compliance, mapping choices, the purchase guard, what may be edited or deleted, the reviewer, list filters).

pub mod compliance;
pub mod document_filter;
pub mod evaluation;
pub mod lifecycle;
pub mod mapping_index;
pub mod problem;
pub mod regulation;
pub mod reviewer;
