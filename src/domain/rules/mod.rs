//! Rules: what regulations ask for and how records are judged against them (the catalog, requirement checks, compliance, what a number lacks, mapping choices, the purchase guard, what may be edited or deleted, the reviewer, list filters, the programme plan and its burndown).

pub mod bulk;
pub mod burndown;
pub mod compliance;
pub mod document_filter;
pub mod evaluation;
pub mod gap;
pub mod lifecycle;
pub mod mapping_index;
pub mod number_filter;
pub mod plan;
pub mod problem;
pub mod regulation;
pub mod reviewer;
pub mod search;
