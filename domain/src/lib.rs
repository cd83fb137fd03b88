//! Pure business rules of Mesa de Soporte. No I/O, no clock reads: callers pass `now`.
pub mod accounts;
pub mod api;
pub mod billing;
pub mod calendar;
pub mod chat;
pub mod contract;
pub mod holidays;
pub mod import;
pub mod kb;
pub mod notify;
pub mod respect;
pub mod search;
pub mod sla;
pub mod sweeps;
pub mod ticket;
pub mod validation;
pub mod workflow;
