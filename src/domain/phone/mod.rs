//! Phone numbers: E.164, the numbering plan (types and local areas), comparing a city with an area, and the shop's inventory.

pub mod e164;
pub mod inventory;
pub mod locality;
pub mod national_plan;
pub mod numbering;
