//! Pieces shared by several pages.

pub mod badges;
pub mod bulk_bar;
pub mod burndown_chart;
pub mod conflict_view;
pub mod csv_section;
pub mod delete_document;
pub mod document_fields;
pub mod entity_picker;
pub mod field;
pub mod header_search;
pub mod nav;
pub mod number_filters;
pub mod number_history;
pub mod number_row;
pub mod problems;
pub mod report_export;
pub mod scan_editor;
pub mod scan_preview;
pub mod scan_uploads;
pub mod sync_status;
pub mod toasts;
