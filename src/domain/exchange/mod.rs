//! Exchange formats: the workspace export and its validation, the CSV import of numbers, and locating a field in a refused record.

pub mod csv_import;
pub mod json_path;
pub mod portable;
pub mod report;
