//! Reusable pieces of the shell.
pub mod admin;
pub mod bell;
pub mod guard;
pub mod invoices;
pub mod lang_switch;
pub mod nav;
pub mod page;
pub mod tickets;
