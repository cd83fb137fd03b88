//! One file per route.
pub mod admin;
pub mod home;
pub mod hours;
pub mod kb;
pub mod kb_admin;
pub mod login;
pub mod my_tickets;
pub mod new_ticket;
pub mod not_found;
pub mod policy;
pub mod preferences;
pub mod queue;
pub mod ticket;
